/**
A capture of a real booted kernel (test/fixtures/captures/firecracker-6.18.44.tar.gz, README next to
it): a Firecracker guest on 6.18.44, its /proc/kpageflags as runs of KPF_NOPAGE and KPF_RESERVED.
Imported as `pfnaudit import` reads a tarball, then compared with the model pfn by pfn
(source/reproduce/compare.ts). Its pfn map (hex pfns, 128 MiB sections = 0x8000 pfns):

  0   1      0x9f  0x100            0xc0000           0x100000              0x640000
  | 0 | RAM  | hole | RAM            | (no sections)   | RAM                  | end of kpageflags
  kernel: [0, 0x100) PageReserved (the first MiB is reserved on x86), 0 in [0xc0000, 0x100000)
*/
import {describe, expect, it} from 'vitest';
import {readImportInputs} from '../../source/cli/capture-read.js';
import {importCapture} from '../../source/import/index.js';
import {compareCapture} from '../../source/reproduce/compare.js';

const FIXTURE = new URL('../fixtures/captures/firecracker-6.18.44.tar.gz', import.meta.url).pathname;

async function capture() {
	return (await readImportInputs([FIXTURE], '/')).files;
}

const byName = (checks: ReadonlyArray<{name: string; pfns: number; agree: number}>) => Object.fromEntries(checks.map(c => [c.name.replace(/^[^:]+: /, ''), [c.agree, c.pfns]]));

describe('a capture of a real 6.18.44 kernel against the model', () => {
	it('A test that imports the capture and compares it with the model at v6.18. Expect three boot ranges, and every check to agree: the pfns the kernel gives a page (its reserved ones), the 98 reserved hole pfns, max_pfn, the 192 memory blocks and the zone spans', async () => {
		const files = await capture();
		const result = compareCapture('fc', files);
		expect(result.release).toBe('6.18.44-fc-v1300');
		expect(result.modelled).toBe('v6.18');
		expect(result.disagreements).toEqual([]);
		expect(byName(result.checks)).toEqual({
			// Only pfns with a masked flag answer: from v6.15 a 0 is a hole or a page without the flags.
			pfn_to_online_page: [0x100 + (0x225c - 0x1000) + (0x2dff - 0x2400) + (0x3576 - 0x2e00) + (0x3a6a - 0x3928), 0x100 + (0x225c - 0x1000) + (0x2dff - 0x2400) + (0x3576 - 0x2e00) + (0x3a6a - 0x3928)],
			// page 0 and [0x9f, 0x100): holes of early sections, PageReserved.
			hole_reserved: [98, 98],
			max_pfn: [0x64_0000, 0x64_0000],
			memory_blocks: [192 * 0x8000, 192 * 0x8000],
			memory_block_nodes: [192 * 0x8000, 192 * 0x8000],
			'zone_spans Node 0 DMA': [4095, 4095],
			'zone_spans Node 0 DMA32': [1_044_480, 1_044_480],
			'zone_spans Node 0 Normal': [5_505_024, 5_505_024],
		});
		expect(result.notes.join('\n')).toMatch(/reads 0 where pfn_to_online_page\(\) is NULL/);
	});

	it('A test that imports the capture. Expect the e820 usable ranges page-rounded (0x9fbff down to 0x9f000), 128 MiB blocks, v6.18 without a stable preset (warned), and no zone difference', async () => {
		const result = importCapture({kind: 'capture', label: 'fc', files: await capture()});
		expect(result.topology.memory.map(e => [e.kind, e.start, e.end])).toEqual([
			['boot', 0x1000, 0x9_f000],
			['boot', 0x10_0000, 0xc000_0000],
			['boot', 0x1_0000_0000, 0x6_4000_0000],
		]);
		expect(result.topology).toMatchObject({kernel: '6.18', patches: [], config: {memory_block_size: 0x800_0000, hypervisor: true}});
		expect(result.warnings.map(w => w.message)).toEqual([expect.stringMatching(/^kernel 6\.18\.44-fc-v1300: no modelled stable tree of 6\.18\.y at or below sublevel 44/)]);
	});

	it('A test of the negative control: the same capture compared as if /proc/kpageflags still said KPF_NOPAGE (v6.12 semantics). Expect exactly the absent sections [0xc0000, 0x100000) to disagree: kernel 0 (a page, read that way), model NULL', async () => {
		const result = compareCapture('fc', await capture(), {kernel: '6.12'});
		expect(result.disagreements.map(d => [d.check, d.start_pfn, d.end_pfn, d.kernel, d.model])).toEqual([['fc: pfn_to_online_page', 0xc_0000, 0x10_0000, 'page', 'NULL (KPF_NOPAGE)']]);
	});
});
