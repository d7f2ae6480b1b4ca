import {PassThrough} from 'node:stream';
import {describe, expect, it} from 'vitest';
import type {Io} from '../../source/cli/command.js';
import {main} from '../../source/cli/main.js';
import {BUILTIN_WALKERS} from '../../walkers/index.js';

function capture(): {io: Io; out: () => string; err: () => string} {
	let out = '';
	let err = '';
	const stdout = new PassThrough();
	const stderr = new PassThrough();
	stdout.on('data', chunk => {
		out += String(chunk);
	});
	stderr.on('data', chunk => {
		err += String(chunk);
	});
	return {io: {stdout, stderr, stdin: new PassThrough(), env: {}, cwd: process.cwd()}, out: () => out, err: () => err};
}

describe('pfnaudit list', () => {
	it('lists every built-in walker with the guard in effect at a version', async () => {
		const {io, out} = capture();
		expect(await main(['list', 'walkers', '--kernel', '5.3', '--format', 'json'], io)).toBe(0);
		const walkers = JSON.parse(out()) as Array<{name: string; guard: string}>;
		expect(walkers.map(w => w.name)).toEqual(BUILTIN_WALKERS.map(w => w.name));
		// fs/proc/page.c switched to pfn_to_online_page() in v5.4 (aad5f69bc161).
		expect(walkers.find(w => w.name === 'kpageflags_read')?.guard).toMatch(/^pfn_valid/);
		const {io: io2, out: out2} = capture();
		await main(['list', 'walkers', '--kernel', '5.4', '--format', 'json'], io2);
		expect((JSON.parse(out2()) as typeof walkers).find(w => w.name === 'kpageflags_read')?.guard).toMatch(/pfn_to_online_page/);
	});

	// A test of the grouping: each walker under the subsystem of the file it models (a file
	// directly in mm/ is its own subsystem, anything else its directory), with the count of those
	// that exist at the release. Expect shrink_pgdat_span (gone since v5.4, 00d6c019b5bc) present
	// at v5.3 and absent at v5.4, the count one lower, and the same keys in JSON as before plus
	// subsystem and present.
	it('groups walkers by subsystem and counts those that exist at the release', async () => {
		const json = async (kernel: string) => {
			const {io, out} = capture();
			expect(await main(['list', 'walkers', '--kernel', kernel, '--format', 'json'], io)).toBe(0);
			return JSON.parse(out()) as Array<{name: string; subsystem: string; present: boolean; guard: string; since: string | null; models: string}>;
		};

		const at53 = await json('5.3');
		const at54 = await json('5.4');
		expect(at53.find(w => w.name === 'shrink_pgdat_span')?.present).toBe(true);
		expect(at54.find(w => w.name === 'shrink_pgdat_span')?.present).toBe(false);
		expect(at54.filter(w => w.present).length).toBe(at53.filter(w => w.present).length - 1);
		expect(at54.find(w => w.name === 'memory_failure')?.subsystem).toBe('mm/memory-failure');
		expect(at54.find(w => w.name === 'kpageflags_read')?.subsystem).toBe('fs/proc');
		expect(at54.find(w => w.name === 'damon_get_folio')?.subsystem).toBe('mm/damon');
		expect(Object.keys(at54[0]!)).toEqual(expect.arrayContaining(['name', 'models', 'reachability', 'guard', 'since', 'history']));

		const {io, out} = capture();
		expect(await main(['list', 'walkers', '--kernel', '5.4'], io)).toBe(0);
		const text = out();
		const present = at54.filter(w => w.present).length;
		expect(text).toContain(`Built-in walkers: ${present} of ${at54.length} exist at v5.4`);
		const hotplug = text.slice(text.indexOf('\nmm/memory_hotplug  ('), text.indexOf('\n\n', text.indexOf('\nmm/memory_hotplug  (')));
		expect(hotplug).toMatch(/^\nmm\/memory_hotplug {2}\(\d+ of \d+ at v5\.4\)/);
		expect(hotplug).toContain('  shrink_pgdat_span  [root]  absent at v5.4');
		expect(text).toMatch(/Census of 6\.12\.118: 53 PFN walkers, \d+ modelled by a built-in walker/);
		expect(text.split('\n').every(line => line.length <= 80)).toBe(true);
	});

	// A test of an LTS release given as X.Y: 6.12 is mainline v6.12, where unpoison_memory checks
	// pfn_valid() only, while every 6.12.y tree pfnaudit models (stable-6.12.117) carries the
	// d613f53c83ec backport. Expect the listing to say loudly which tree its guards are, name the
	// preset to use, and show the stable guard under unpoison_memory; and nothing of the kind at
	// v6.13, which is not long-term.
	it('says at an LTS release that the guards are mainline and shows the stable trees\' guards', async () => {
		const {io, out} = capture();
		expect(await main(['list', 'walkers', '--kernel', '6.12'], io)).toBe(0);
		const text = out();
		expect(text).toMatch(/Note: v6\.12 is a long-term stable series and these are mainline v6\.12's\s+guards\./);
		expect(text.replaceAll(/\s+/g, ' ')).toContain('Its stable trees guard differently: unpoison_memory (shown below). Audit a 6.12.y kernel with --patch stable-6.12.117.');
		const unpoison = text.slice(text.indexOf('  unpoison_memory'), text.indexOf('\n\n', text.indexOf('  unpoison_memory')));
		expect(unpoison).toContain('guard: pfn_valid() (since v4.13)');
		expect(unpoison).toContain('stable-6.12.117: pfn_to_online_page() (backport-d613f53c83ec)');

		const json = capture();
		await main(['list', 'walkers', '--kernel', '6.12', '--format', 'json'], json.io);
		const walkers = JSON.parse(json.out()) as Array<{name: string; stable: Array<{preset: string; commit: string; guard: string}>}>;
		expect(walkers.find(w => w.name === 'unpoison_memory')?.stable).toEqual([
			{preset: 'stable-6.12.117', backport: 'backport-d613f53c83ec', commit: 'd613f53c83ec', guard: 'pfn_to_online_page()'},
		]);
		expect(walkers.filter(w => w.stable.length > 0).map(w => w.name)).toEqual(['unpoison_memory']);

		const later = capture();
		await main(['list', 'walkers', '--kernel', '6.13'], later.io);
		expect(later.out()).not.toContain('long-term');
	});

	it('lists every built-in topology with its description, and the showcase', async () => {
		const {io, out} = capture();
		expect(await main(['list', 'topologies', '--format', 'json'], io)).toBe(0);
		const topologies = JSON.parse(out()) as Array<{name: string; description: string}>;
		expect(topologies.length).toBeGreaterThanOrEqual(11);
		expect(topologies.map(t => t.name)).toContain('showcase');
		expect(topologies.every(t => t.description.length > 40)).toBe(true);
	});

	it('lists kernels with the v5.12 pfn_to_online_page() rework, within 80 columns', async () => {
		const {io, out} = capture();
		expect(await main(['list', 'kernels'], io)).toBe(0);
		const text = out();
		const v512 = text.slice(text.indexOf('\nv5.12\n'), text.indexOf('\nv5.13\n'));
		expect(v512).toContain('pfn_to_online_page');
		expect(text.split('\n').every(line => line.length <= 80)).toBe(true);
	});

	it('lists the arm64-pfn-valid-v2 patch', async () => {
		const {io, out} = capture();
		expect(await main(['list', 'patches'], io)).toBe(0);
		expect(out()).toContain('arm64-pfn-valid-v2');
	});

	it('rejects an unknown version and an unknown list with exit 2 and one sentence', async () => {
		const bad = capture();
		expect(await main(['list', 'walkers', '--kernel', '4.2'], bad.io)).toBe(2);
		expect(bad.err()).toMatch(/^pfnaudit: --kernel 4\.2 is not a modelled mainline release/);
		const unknown = capture();
		expect(await main(['list', 'bogus'], unknown.io)).toBe(2);
		expect(unknown.err()).toBe('pfnaudit: bogus is not one of walkers, topologies, kernels or patches\n');
	});

	// A test of --kernel given a stable release (a Debian bookworm-security 6.12.118, an early
	// 6.12.40): --kernel takes mainline releases only, and the sentence says which tree "6.12" is
	// and which stable preset, if any, stands for the release asked about.
	//
	// Expect exit 2 and one line: mainline v6.12, and --patch stable-6.12.117 for 6.12.118; for
	// 6.12.40, that no 6.12.y preset lies at or below it.
	it('says which tree a stable release would be, and the preset to add', async () => {
		const late = capture();
		expect(await main(['list', 'walkers', '--kernel', '6.12.118'], late.io)).toBe(2);
		expect(late.err()).toBe(
			'pfnaudit: --kernel 6.12.118 names a stable release: --kernel takes the mainline release "6.12", which models mainline v6.12 alone; for the 6.12.y stable tree add --patch stable-6.12.117 (the nearest stable preset at or below 6.12.118; `pfnaudit import` of a 6.12.118 machine picks it too)\n',
		);
		const early = capture();
		expect(await main(['audit', 'topologies/showcase.yaml', '--kernel', '6.12.40'], early.io)).toBe(2);
		expect(early.err()).toMatch(/^pfnaudit: --kernel 6\.12\.40 names a stable release: .*mainline v6\.12 alone; pfnaudit has no 6\.12\.y stable preset at or below 6\.12\.40/);
	});
});
