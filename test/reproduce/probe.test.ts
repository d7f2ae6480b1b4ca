/**
The probe module's output (docs/probe-format.md) read and compared with the model
(source/reproduce/probe/format.ts, checks.ts, through compare.ts) on the small hand-made layout
of ./capture-fixture.ts; ./probe-fixture.ts has the probe's pfn map.
*/
import {describe, expect, it} from 'vitest';
import {isInputError} from '../../source/errors/input-error.js';
import {compareCapture} from '../../source/reproduce/compare.js';
import {parseProbeRuns} from '../../source/reproduce/probe/format.js';
import {layoutCapture} from './capture-fixture.js';
import {probeRuns, replacing} from './probe-fixture.js';

const byName = (checks: ReadonlyArray<{name: string; pfns: number; agree: number}>) => Object.fromEntries(checks.filter(c => c.name.startsWith('layout: probe ')).map(c => [c.name.replace(/^layout: probe /, ''), [c.agree, c.pfns]]));
const withProbe = (text: string) => [...layoutCapture(), {name: 'probe.runs', text}];
const probeDisagreements = (result: ReturnType<typeof compareCapture>) => result.disagreements.filter(d => d.check.startsWith('layout: probe '));

describe('reproduce probe checks', () => {
	it('A test that the probe output of the small layout agrees with the model at v6.12 + stable-6.12.117 on every column. Expect all 0x120000 pfns of each predicate to agree, the zone on the 392704 pfns whose struct page is read, and PageReserved on the 93827 read pfns outside boot RAM (131 hole pfns, 60928 ZONE_DEVICE pfns, 32768 Movable pfns)', () => {
		const result = compareCapture('layout', withProbe(probeRuns()));
		expect(result.modelled).toBe('v6.12 + stable-6.12.117');
		expect(result.disagreements).toEqual([]);
		const all = [0x12_0000, 0x12_0000];
		expect(byName(result.checks)).toEqual({
			pfn_valid: all,
			pfn_to_online_page: all,
			present_section: all,
			valid_section: all,
			online_section: all,
			early_section: all,
			SECTION_TAINT_ZONE_DEVICE: all,
			pfn_section_valid: all,
			get_dev_pagemap: all,
			// [0, 0x41000) + [0x41200, 0x50000) + [0x108000, 0x118000)
			zone: [392_704, 392_704],
			// 131 + (0x48000 - 0x41200) + 0x8000 + 0x8000
			PageReserved: [93_827, 93_827],
		});
	});

	it('A test of the negative control at v5.10 semantics: no SECTION_TAINT_ZONE_DEVICE and no pgmap check in pfn_to_online_page() before v5.12 (1f90a3477df3). Expect section 8 [0x40000, 0x48000) to disagree on the taint, its pmem pfns [0x41000, 0x48000) on pfn_to_online_page (kernel NULL, model page), and the nvdimm above max_pfn [0x110000, 0x118000), which /proc/kpageflags never shows, on the zone (kernel Device, model no page read: no pgmap_pfn_valid() before v5.12)', () => {
		const result = compareCapture('layout', withProbe(probeRuns()), {kernel: '5.10'});
		const found = probeDisagreements(result);
		expect(found).toContainEqual({check: 'layout: probe SECTION_TAINT_ZONE_DEVICE', start_pfn: 0x4_0000, end_pfn: 0x4_8000, kernel: 'set', model: 'clear'});
		expect(found).toContainEqual({check: 'layout: probe pfn_to_online_page', start_pfn: 0x4_1000, end_pfn: 0x4_8000, kernel: 'NULL', model: 'page'});
		expect(found).toContainEqual({check: 'layout: probe zone', start_pfn: 0x11_0000, end_pfn: 0x11_8000, kernel: 'Device', model: 'no page read'});
		expect(byName(result.checks)['pfn_valid']).toEqual([0x12_0000, 0x12_0000]);
	});

	it('A test that a kernel answer the model does not give is a pfn range with both answers: get_dev_pagemap() NULL on the nvdimm\'s second half [0x114000, 0x118000). Expect that range alone to disagree on get_dev_pagemap, kernel NULL, model pgmap', () => {
		const runs = replacing({'110000': ['110000 114000 101100011 Device R', '114000 118000 101100010 Device R']});
		const result = compareCapture('layout', withProbe(probeRuns({runs})));
		expect(probeDisagreements(result)).toEqual([{check: 'layout: probe get_dev_pagemap', start_pfn: 0x11_4000, end_pfn: 0x11_8000, kernel: 'NULL', model: 'pgmap'}]);
		expect(byName(result.checks)['get_dev_pagemap']).toEqual([0x12_0000 - 0x4000, 0x12_0000]);
	});

	it('A test that a struct page whose zone index names no zone is reported: Debian\'s 6.1 and 6.12 under QEMU give the first three pages of the firmware\'s reserved top of low RAM zone index 5 (== MAX_NR_ZONES: init_reserved_page() of CONFIG_DEFERRED_STRUCT_PAGE_INIT finds no zone spanning a memblock-reserved pfn). Expect [0x4ffdf, 0x4ffe2) to disagree on the zone, kernel #5, model DMA32, and PageReserved still to agree', () => {
		const runs = replacing({'4ffdf': ['4ffdf 4ffe2 111111010 #5 R', '4ffe2 50000 111111010 DMA32 R']});
		const result = compareCapture('layout', withProbe(probeRuns({runs})));
		expect(probeDisagreements(result)).toEqual([{check: 'layout: probe zone', start_pfn: 0x4_ffdf, end_pfn: 0x4_ffe2, kernel: '#5', model: 'DMA32'}]);
		expect(byName(result.checks)['PageReserved']).toEqual([93_827, 93_827]);
	});

	it('A test that PageReserved on boot RAM is not compared (memblock allocations are not modelled) but is elsewhere. Expect boot RAM given as reserved to change nothing, and the Movable block given as reserved to disagree on [0x108000, 0x110000)', () => {
		const boot = compareCapture('layout', withProbe(probeRuns({runs: replacing({'2b72': ['2b72 40000 111111010 DMA32 R']})})));
		expect(probeDisagreements(boot)).toEqual([]);
		const movable = compareCapture('layout', withProbe(probeRuns({runs: replacing({'108000': ['108000 110000 111110010 Movable R']})})));
		expect(probeDisagreements(movable)).toEqual([{check: 'layout: probe PageReserved', start_pfn: 0x10_8000, end_pfn: 0x11_0000, kernel: 'PageReserved', model: 'not reserved'}]);
	});

	it('A test that a column the kernel build cannot answer is left out with a note. Expect no pfn_section_valid check and a note with the module\'s reason', () => {
		const runs = replacing({}).map(line => line.replace(/^(\S+ \S+ \S{7})\S/, '$1-'));
		const result = compareCapture('layout', withProbe(probeRuns({runs, extraHeader: ['# unavailable pfn_section_valid CONFIG_SPARSEMEM_VMEMMAP is not set']})));
		expect(Object.keys(byName(result.checks))).not.toContain('pfn_section_valid');
		expect(result.notes).toContain('layout: the probe module could not answer pfn_section_valid on this kernel build (CONFIG_SPARSEMEM_VMEMMAP is not set): not checked');
		expect(probeDisagreements(result)).toEqual([]);
	});

	it('A test that a capture without probe.runs is compared on /proc/kpageflags only. Expect no probe check and a note saying so', () => {
		const result = compareCapture('layout', layoutCapture());
		expect(Object.keys(byName(result.checks))).toEqual([]);
		expect(result.notes).toContain('layout: no probe.runs in the capture (the probe module was not loaded): only /proc/kpageflags was compared');
	});

	it('A test that damaged probe output is refused with where and what. Expect an InputError for a run that does not continue the previous one (file:line), one for a missing "# end" line, one for a run with too few answers, and one for a module error line', () => {
		const refusal = (text: string) => {
			try {
				parseProbeRuns(text, 'cap/probe.runs');
			} catch (error) {
				expect(isInputError(error)).toBe(true);
				return (error as {format(): string}).format();
			}

			throw new Error('not refused');
		};

		expect(refusal(probeRuns({runs: replacing({'9f': ['a0 100 111111010 DMA R']})}))).toBe('cap/probe.runs:8:1: run [0xa0, 0x100) does not continue the previous run at 0x9f; the file is damaged');
		expect(refusal(probeRuns({end: null}))).toBe('cap/probe.runs: no "# end" line: the guest stopped before it finished reading /proc/pfnaudit_probe');
		expect(refusal(probeRuns({runs: replacing({'0': ['0 1 11111101 DMA R']})}))).toMatch(/^cap\/probe\.runs:6:1: "0 1 11111101 DMA R" is not a probe run/);
		expect(refusal(probeRuns({runs: [], end: null}).replace('# range 0 120000', '# error -12'))).toBe('cap/probe.runs:5:1: the probe module failed in the guest (error -12); the capture\'s probe output is incomplete');
	});
});
