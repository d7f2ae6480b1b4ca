/**
The comparison (source/reproduce/compare.ts) on a small hand-made capture (test/reproduce/
capture-fixture.ts has its pfn map): kernel answers vs the model of the imported capture, pfn by
pfn as runs; deviations of the realised layout from the requested one.
*/
import {describe, expect, it} from 'vitest';
import {isInputError} from '../../source/errors/input-error.js';
import {compareAnswers, compareCapture, compareReproduction, deviationsOf, parseKpageflagsRuns} from '../../source/reproduce/compare.js';
import {parseTopology} from '../../source/topology/load.js';
import {KERNEL_RUNS, kpageflagsRuns, layoutCapture, NOPAGE, REQUESTED, type Run} from './capture-fixture.js';

const byName = (checks: ReadonlyArray<{name: string; pfns: number; agree: number}>) => Object.fromEntries(checks.map(c => [c.name.replace(/^layout: /, ''), [c.agree, c.pfns]]));

describe('reproduce compare', () => {
	it('A test that the kernel\'s answers of the small layout agree with the model at v6.12 + stable-6.12.117. Expect every check to agree on every pfn: 0x110000 pfns of pfn_to_online_page, 131 hole pfns, 12 memory blocks and their node, the DMA, DMA32 and Movable spans.', () => {
		const result = compareCapture('layout', layoutCapture());
		expect(result.modelled).toBe('v6.12 + stable-6.12.117');
		expect(result.release).toBe('6.12.118+deb12-amd64');
		expect(result.disagreements).toEqual([]);
		expect(byName(result.checks)).toEqual({
			pfn_to_online_page: [0x11_0000, 0x11_0000],
			// page 0, [0x9f, 0x100) and the firmware's [0x4ffdf, 0x50000): 1 + 97 + 33
			hole_reserved: [131, 131],
			max_pfn: [0x11_0000, 0x11_0000],
			memory_blocks: [12 * 0x8000, 12 * 0x8000],
			// sys/devices/system/node/node0/memoryN: every block on node 0
			memory_block_nodes: [12 * 0x8000, 12 * 0x8000],
			'zone_spans Node 0 DMA': [4095, 4095],
			'zone_spans Node 0 DMA32': [323_551, 323_551],
			'zone_spans Node 0 Movable': [0x8000, 0x8000],
		});
	});

	it('A test of the negative control at v5.10 semantics: before v5.12 pfn_to_online_page() is blind to ZONE_DEVICE in an online section. Expect the 28672 pmem pfns of section 8 [0x41000, 0x48000) to disagree, kernel NULL, model page.', () => {
		const result = compareCapture('layout', layoutCapture(), {kernel: '5.10'});
		expect(result.modelled).toBe('v5.10');
		const online = result.disagreements.filter(d => d.check === 'layout: pfn_to_online_page');
		expect(online).toEqual([{check: 'layout: pfn_to_online_page', start_pfn: 0x41000, end_pfn: 0x48000, kernel: 'NULL (KPF_NOPAGE)', model: 'page'}]);
		expect(online[0]!.end_pfn - online[0]!.start_pfn).toBe(28_672);
	});

	it('A test of the negative control without the stable preset: mainline v6.12 raises max_pfn for the nvdimm\'s pgmap. Expect max_pfn to disagree on [0x110000, 0x118000) and nothing else.', () => {
		const result = compareCapture('layout', layoutCapture(), {withoutPreset: true});
		expect(result.modelled).toBe('v6.12');
		expect(result.disagreements).toEqual([{check: 'layout: max_pfn', start_pfn: 0x11_0000, end_pfn: 0x11_8000, kernel: 'beyond its end 0x110000', model: 'in /proc/kpageflags'}]);
	});

	it('A test that a kernel answer the model does not give is reported as a pfn range with both answers. Expect the Movable block given as NOPAGE to disagree on [0x108000, 0x110000) only.', () => {
		const runs: Run[] = [...KERNEL_RUNS.slice(0, -2), [0x50000, 0x110000, NOPAGE]];
		const result = compareCapture('layout', layoutCapture({runs}));
		expect(result.disagreements).toEqual([{check: 'layout: pfn_to_online_page', start_pfn: 0x10_8000, end_pfn: 0x11_0000, kernel: 'NULL (KPF_NOPAGE)', model: 'page'}]);
		expect(byName(result.checks)['pfn_to_online_page']).toEqual([0x11_0000 - 0x8000, 0x11_0000]);
	});

	it('A test that a mask without KPF_RESERVED skips the hole check and a capture without kpageflags.runs skips the pfn checks. Expect notes saying so, and the block and zone checks still made.', () => {
		const masked = compareCapture('layout', layoutCapture({mask: '100000'}));
		expect(Object.keys(byName(masked.checks))).not.toContain('hole_reserved');
		expect(masked.notes).toContain('layout: the kpageflags mask has no KPF_RESERVED: holes were not checked');
		const bare = compareCapture('layout', layoutCapture({kpageflags: false}));
		expect(Object.keys(byName(bare.checks))).toEqual(['memory_blocks', 'memory_block_nodes', 'zone_spans Node 0 DMA', 'zone_spans Node 0 DMA32', 'zone_spans Node 0 Movable']);
	});

	it('A test that the memory_block_nodes check compares the node links of sysfs with the model. The capture links boot block memory2 [0x10000, 0x18000) under node1 as well as node0, which its "Early memory node ranges" (all node 0) cannot give. Expect a disagreement on that block only, kernel nodes 0, 1, model node 0.', () => {
		const files = [...layoutCapture(), {name: 'sys/devices/system/node/node1/memory2', text: ''}];
		const result = compareCapture('layout', files);
		expect(result.disagreements).toEqual([{check: 'layout: memory_block_nodes', start_pfn: 0x1_0000, end_pfn: 0x1_8000, kernel: 'nodes 0, 1', model: 'node 0'}]);
	});

	it('A test of deviations: the topology asked for boot RAM up to 0x5000_0000, SeaBIOS kept its tables at the top. Expect one deviation [0x4ffdf, 0x50000) and none for the offlined block (sysfs reads it back as offline).', () => {
		const requested = parseTopology(REQUESTED, 'small.yaml');
		const result = compareReproduction(requested, '6.12.118', [{label: 'layout', files: layoutCapture()}]);
		expect(result.kernel).toBe('6.12.118');
		expect(result.disagreements).toEqual([]);
		expect(result.deviations).toEqual([{start_pfn: 0x4_ffdf, end_pfn: 0x5_0000, requested: 'boot RAM', realised: 'hole'}]);
		expect(deviationsOf(requested, requested)).toEqual([]);
	});

	it('A test that MEMBLOCK_NOMAP ranges are part of the layout compared for deviations. Requested: arm64 boot RAM [0x40000, 0x50000) with nomap [0x48000, 0x48010) and [0x4c001, 0x4c002); realised: the first range only, plus nomap [0x4e000, 0x4e200) not asked for. Expect one deviation where the second range is missing (requested NOMAP, realised RAM), one where the third appeared (the other way round), none for the first.', () => {
		// pfn map (hex pfns, 4K pages):
		//   0x40000      0x48000 0x48010   0x4c001 0x4c002   0x4e000 0x4e200   0x50000
		//   | RAM        | nomap |  RAM    | req'd |  RAM    | real'd |  RAM   |
		const arm64 = (nomap: string) => parseTopology(`name: t\narch: arm64-4k\nkernel: "6.12"\nmemory:\n  - kind: boot\n    start: 0x4000_0000\n    end: 0x5000_0000\n    nomap:\n${nomap}`, 't.yaml');
		const requested = arm64('      - {start: 0x4800_0000, end: 0x4801_0000}\n      - {start: 0x4c00_1000, end: 0x4c00_2000}\n');
		const realised = arm64('      - {start: 0x4800_0000, end: 0x4801_0000}\n      - {start: 0x4e00_0000, end: 0x4e20_0000}\n');
		expect(deviationsOf(requested, realised)).toEqual([
			{start_pfn: 0x4_c001, end_pfn: 0x4_c002, requested: 'boot RAM, NOMAP', realised: 'boot RAM'},
			{start_pfn: 0x4_e000, end_pfn: 0x4_e200, requested: 'boot RAM', realised: 'boot RAM, NOMAP'},
		]);
		expect(deviationsOf(requested, requested)).toEqual([]);
	});

	it('A test that the NUMA node of boot memory is part of the layout compared for deviations. Requested: [0x40000, 0x48000) on node 0, [0x48000, 0x50000) on node 1; realised: all of it on node 0. Expect one deviation over node 1\'s pfns.', () => {
		const requested = parseTopology('name: t\narch: arm64-4k\nkernel: "6.12"\nmemory:\n  - {kind: boot, start: 0x4000_0000, end: 0x4800_0000}\n  - {kind: boot, start: 0x4800_0000, end: 0x5000_0000, node: 1}\n', 't.yaml');
		const realised = parseTopology('name: t\narch: arm64-4k\nkernel: "6.12"\nmemory:\n  - {kind: boot, start: 0x4000_0000, end: 0x5000_0000}\n', 't.yaml');
		expect(deviationsOf(requested, realised)).toEqual([{start_pfn: 0x4_8000, end_pfn: 0x5_0000, requested: 'boot RAM on node 1', realised: 'boot RAM'}]);
	});

	it('A test that run lists are merged as runs. Expect agreement counted per overlap, gaps not compared, and adjacent disagreements with the same answers joined.', () => {
		//   pfn   0    4    8    12   16
		// kernel  |a   |b   |a   |    (gap 12-16)
		// model   |a        |b        |
		const tally = compareAnswers('x', [{start: 0, end: 4, value: 'a'}, {start: 4, end: 8, value: 'b'}, {start: 8, end: 12, value: 'a'}], [{start: 0, end: 6, value: 'a'}, {start: 6, end: 16, value: 'b'}], 0, 16);
		expect(tally).toEqual({pfns: 12, agree: 6, disagreements: [
			{check: 'x', start_pfn: 4, end_pfn: 6, kernel: 'b', model: 'a'},
			{check: 'x', start_pfn: 8, end_pfn: 12, kernel: 'a', model: 'b'},
		]});
	});

	it('A test that a damaged kpageflags.runs is refused with where. Expect a gap between runs and a missing end line named by file and line.', () => {
		const refusal = (text: string) => {
			try {
				parseKpageflagsRuns(text, 'c/kpageflags.runs');
			} catch (error) {
				return isInputError(error) ? error.format() : String(error);
			}

			return 'accepted';
		};

		expect(refusal(kpageflagsRuns([[0, 4, 0n], [5, 8, 0n]]))).toMatch(/^c\/kpageflags\.runs:4:1: run \[0x5, 0x8\) does not continue the previous run at 0x4/);
		expect(refusal(kpageflagsRuns().replace(/# end .*\n/, ''))).toMatch(/no "# end" line/);
	});
});
