/**
User what-if patches from a file (`--patch ./mine.ts`, docs/writing-a-patch.md): the worked
example changes what it says it changes, the load-time checks are those of user walkers, and a
patch that misbehaves during the model build is one sentence and exit 2.
*/
import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {createAuditCommand} from '../../source/cli/commands/audit.js';
import {buildModel} from '../../source/model/build.js';
import {loadPatchFile} from '../../source/patch/load.js';
import {runCli} from '../cli/harness.js';
import {at} from '../helpers/model-probe.js';
import {GiB, topology} from '../helpers/topology.js';

const ROOT = path.resolve(import.meta.dirname, '../..');
const COLLISION = 'topologies/pmem-section-collision.yaml';

type Json = {patches: string[]; walkers: Array<{name: string; touches: Record<string, number>}>};

async function audit(args: string[], cwd = ROOT) {
	return runCli(['audit', ...args, '--format', 'json'], {cwd, commands: [createAuditCommand()]});
}

function file(content: string, name = 'mine.ts'): {dir: string; file: string} {
	const dir = mkdtempSync(path.join(tmpdir(), 'pfnaudit-patch-'));
	writeFileSync(path.join(dir, name), content);
	return {dir, file: name};
}

describe('--patch with a file', () => {
	// A test that audits the section-collision topology at v5.4 with docs/examples/my_patch.ts
	// (pfn_to_online_page() NULL for every ZONE_DEVICE pfn).
	//
	//   | boot RAM | legacy pmem 0x2_0000_0000 - 0x3_0400_0000 | boot RAM from 0x3_0400_0000 ...
	//              '------ section 0x60: early, online, shared ------'
	//
	// Expect the report to name the patch, kpageflags_read's C2 touches (the pmem pfns of the
	// online section 0x60) to be gone, and its ok touches unchanged.
	it('applies the worked example', async () => {
		const base = await audit([COLLISION, '--kernel', '5.4', '--walker', 'kpageflags_read']);
		const patched = await audit([COLLISION, '--kernel', '5.4', '--walker', 'kpageflags_read', '--patch', 'docs/examples/my_patch.ts']);
		expect(patched.stderr).toBe('');
		const [b, p] = [JSON.parse(base.stdout) as Json, JSON.parse(patched.stdout) as Json];
		expect(p.patches).toEqual(['online-excludes-zone-device']);
		expect(b.walkers[0]!.touches['C2']).toBe(16_384);
		expect(p.walkers[0]!.touches['C2']).toBe(0);
		expect(p.walkers[0]!.touches['ok']).toBe(b.walkers[0]!.touches['ok']);
	});

	// A test that loads broken patch files. Expect exit 2 and one sentence naming the file for: no
	// default export, an unknown key, a built-in patch's name, nothing to override, a syntax error
	// (with line and column).
	it('checks the file when it is loaded', async () => {
		const cases: Array<[string, RegExp]> = [
			['export const x = 1;\n', /mine\.ts: the what-if patch file has no default export/],
			["export default {name: 'a', summary: 's', source: 'm', predicates() {}, colour: 1};\n", /mine\.ts: not a what-if patch: unknown key 'colour'/],
			["export default {name: 'pfn-zone-device', summary: 's', source: 'm', predicates() {}};\n", /like a built-in patch/],
			["export default {name: 'a', summary: 's', source: 'm'};\n", /overrides nothing/],
			["export default {name: 'a',, };\n", /mine\.ts:1:\d+: syntax error in the what-if patch file/],
		];
		for (const [content, message] of cases) {
			const {dir, file: name} = file(content);
			// eslint-disable-next-line no-await-in-loop
			const run = await audit([path.join(ROOT, COLLISION), '--walker', 'kpageflags_read', '--patch', `./${name}`], dir);
			expect(run.code, content).toBe(2);
			expect(run.stderr, content).toMatch(message);
			expect(run.stderr.split('\n').filter(Boolean)).toHaveLength(1);
		}
	});

	// A test that gives a patch whose predicates() answers a string, and one whose afterStep() writes
	// outside its entry. Expect exit 2 and a sentence saying what to return / where to write.
	it('refuses bad answers and writes during the build', async () => {
		const answer = file("export default {name: 'bad-answer', summary: 's', source: 'm', predicates: () => ({pfn_valid: 'yes'})};\n");
		const run = await audit([path.join(ROOT, COLLISION), '--walker', 'kpageflags_read', '--patch', './mine.ts'], answer.dir);
		expect(run.code).toBe(2);
		expect(run.stderr).toMatch(/what-if patch 'bad-answer': predicates\(\) returned pfn_valid: "yes"; return true or false/);

		const outside = file(
			"export default {name: 'bad-write', summary: 's', source: 'm', afterStep(step, memmap) { if (step.step === 'P4') memmap.poison(0, 1); }};\n",
		);
		const run2 = await audit([path.join(ROOT, COLLISION), '--walker', 'kpageflags_read', '--patch', './mine.ts'], outside.dir);
		expect(run2.code).toBe(2);
		expect(run2.stderr).toMatch(/what-if patch 'bad-write': afterStep\(\) wrote the memmap of \[0, 1\) at memory\[\d+\]:P4, outside the step's entry/);
	});
});

describe('afterStep()', () => {
	// A test that loads the afterStep() example of docs/writing-a-patch.md (memmap_init_zone_device()
	// starting at base_pfn) and builds a 256 MiB fsdax namespace with an altmap reserve of 2 pages.
	//
	//   | boot 0-4G | .. | fsdax 8G: reserve (2) | memmap storage | data |
	//
	// Expect the reserve initialized with page->pgmap set by the patch (writer names it), the
	// memmap storage untouched (pgmap NULL).
	it('rewrites the memmap of a replay step', async () => {
		const {dir, file: name} = file(
			[
				'export default {',
				"\tname: 'reserve-with-pgmap', summary: 's', source: 'm',",
				'\tafterStep(step, memmap) {',
				'\t\tconst altmap = step.pgmap?.altmap;',
				"\t\tif (step.step === 'P7' && altmap && altmap.reserve > 0) memmap.initDevice(altmap.base_pfn, altmap.base_pfn + altmap.reserve, {pgmap: true});",
				'\t},',
				'};',
				'',
			].join('\n'),
		);
		const patch = await loadPatchFile(name, dir);
		const t = topology({kernel: '6.12', patches: [patch]})
			.boot(0, 4 * GiB)
			.device('fsdax', 8 * GiB, 256 * 2 ** 20, {altmap: {reserve: 2, free: 'auto'}})
			.build();
		const model = buildModel(t);
		const reserve = at(model, (8 * GiB) / 4096);
		expect(reserve.memmap).toMatchObject({content: 'init', zone: 'Device', pgmap: 0});
		expect(reserve.memmap.writer).toContain('reserve-with-pgmap afterStep() at memory[1]:P7');
		expect(at(model, (8 * GiB) / 4096 + 2).memmap).toMatchObject({content: 'init', pgmap: null});
	});
});
