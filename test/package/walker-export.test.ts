/**
A walker written outside the repository imports `pfnaudit/walker` from an installed pfnaudit
(package.json `exports`, source/walker/public.ts; issue 12 item 11). A test that packs the
package as `npm pack` would (the built dist/ must exist: `npm run build`), unpacks it into the
node_modules of an empty directory, writes a walker there that imports `pfnaudit/walker`, and
expects: TypeScript resolves the types through the export map, and `pfnaudit audit --walker`
loads the walker and audits with it.
*/
import {execFileSync} from 'node:child_process';
import {existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {createAuditCommand} from '../../source/cli/commands/audit.js';
import {runCli} from '../cli/harness.js';

const REPO = path.resolve(import.meta.dirname, '..', '..');
const dir = mkdtempSync(path.join(tmpdir(), 'pfnaudit-pack-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

const WALKER = `import {atLeast, defineWalker, type Model, type StepContext} from 'pfnaudit/walker';

function onlineBlocks(model: Model) {
	return model.entries.filter(entry => entry.kind === 'hotplug' && entry.state !== 'offline' && entry.state !== 'offlined').map(entry => ({start: entry.start_pfn, end: entry.end_pfn}));
}

export default defineWalker({
	name: 'outside_walker',
	models: 'mm/memory_hotplug.c:scan_movable_pages()',
	trigger: 'echo offline > /sys/devices/system/memory/memoryN/state',
	reachability: 'root',
	shape: 'consecutive pfns of a memory block, stride 1',
	fields: ['flags'],
	history: [{since: '4.13', guard: 'pfn_valid()', confidence: 'A'}],
	plan(model) {
		return {
			label: atLeast(model.kernel, '5.0') ? 'v5.0+: pfn_valid()' : 'v4.13+: pfn_valid()',
			guard: 'guards with pfn_valid()',
			passes: [{label: 'online hot-plugged blocks', ranges: onlineBlocks(model), direction: 'up', stride: 1, step(ctx: StepContext, pfn: number) {
				if (ctx.pfn_valid(pfn)) {
					ctx.page(pfn, ['flags'], 'outside_walker');
				}
			}}],
		};
	},
});
`;

describe('pfnaudit/walker from an installed package', () => {
	it('packs, resolves with its types, and runs a walker outside the repository', async () => {
		expect(existsSync(path.join(REPO, 'dist', 'source', 'walker', 'public.d.ts')), 'dist/ is missing: run npm run build first').toBe(true);
		execFileSync('npm', ['pack', '--ignore-scripts', '--pack-destination', dir], {cwd: REPO, stdio: 'pipe'});
		const tarball = readdirSync(dir).find(name => name.endsWith('.tgz'))!;
		const installed = path.join(dir, 'node_modules', 'pfnaudit');
		mkdirSync(installed, {recursive: true});
		execFileSync('tar', ['-xzf', path.join(dir, tarball), '-C', installed, '--strip-components=1']);
		writeFileSync(path.join(dir, 'walker.ts'), WALKER);
		writeFileSync(
			path.join(dir, 'tsconfig.json'),
			JSON.stringify({compilerOptions: {module: 'NodeNext', moduleResolution: 'NodeNext', target: 'ES2022', strict: true, noEmit: true, skipLibCheck: true, types: []}, files: ['walker.ts']}),
		);
		writeFileSync(path.join(dir, 'package.json'), JSON.stringify({type: 'module'}));

		// The types come through the export map: a wrong import would fail to compile.
		execFileSync(process.execPath, [path.join(REPO, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', dir], {stdio: 'pipe'});

		const result = await runCli(['audit', path.join(REPO, 'topologies', 'x86-vm-hotplug.yaml'), '--walker', path.join(dir, 'walker.ts'), '--format', 'json'], {
			cwd: dir,
			commands: [createAuditCommand({audit: {runner: 'in-process'}})],
		});
		expect(result.stderr).toBe('');
		const report = JSON.parse(result.stdout) as {walkers: Array<{name: string; pfns_visited: number; touches: Record<string, number>}>};
		const walker = report.walkers.find(item => item.name === 'outside_walker');
		expect(walker?.pfns_visited).toBeGreaterThan(0);
		expect(walker?.touches.ok).toBeGreaterThan(0);
	}, 120_000);
});

describe('the walker guide', () => {
	// A test of the first command of docs/writing-a-walker.md, as a reader runs it: expect the
	// example walker to walk pfns and touch struct pages (it printed "0 pfns; no touches" on the
	// showcase, whose hot-added memory is all offline).
	it('opens with a command whose example walker shows something', async () => {
		const guide = readFileSync(path.join(REPO, 'docs', 'writing-a-walker.md'), 'utf8');
		const command = /```sh\n(pfnaudit audit [^\n]+)/.exec(guide)?.[1];
		expect(command).toContain('--walker docs/examples/my_walker.ts');
		const argv = command!.split(/\s+/).slice(1);
		const result = await runCli([...argv, '--format', 'json'], {cwd: REPO, commands: [createAuditCommand({audit: {runner: 'in-process'}})]});
		expect(result.stderr).toBe('');
		const walker = (JSON.parse(result.stdout) as {walkers: Array<{name: string; pfns_visited: number; touches: Record<string, number>}>}).walkers.find(item => item.name === 'scan_movable_pages');
		expect(walker?.pfns_visited).toBeGreaterThan(0);
		expect(Object.values(walker!.touches).reduce((a, b) => a + b, 0)).toBeGreaterThan(0);
	}, 60_000);
});
