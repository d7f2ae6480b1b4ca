import {describe, expect, it} from 'vitest';
import {buildModel} from '../../source/model/build.js';
import type {TopologyConfig} from '../../source/topology/types.js';
import {pfnmapExposures, subtractSpans} from '../../source/walker/pfnmap.js';
import {GiB, MiB, topology} from '../helpers/topology.js';

// 36-bit physical address space (max_possible_pfn 0x1000000):
//
//   | boot RAM |offline (C1)|   | devdax (busy) |   | p2pdma BAR (busy) |   …
//   0x0   0x80000      0x88000 0x100000     0x108000 0x200000       0x208000  0x1000000
function model(config: Partial<TopologyConfig> = {}, arch: 'x86_64' | 'arm64-4k' = 'x86_64') {
	return buildModel(
		topology({arch, kernel: '6.12', config: {max_physmem_bits: 36, ...config}})
			.boot(0, 2 * GiB)
			.hotplug(2 * GiB, 128 * MiB, 'offline')
			.device('devdax', 4 * GiB, 128 * MiB)
			.device('p2pdma', 8 * GiB, 128 * MiB)
			.build(),
	);
}

const END = 0x100_0000;
const spans = (m: ReturnType<typeof model>) => pfnmapExposures(m).map(e => [e.label, e.ranges.map(r => [r.start, r.end])]);

describe('which pfns a VM_PFNMAP mapping can expose', () => {
	// A test of the distribution default on x86 (CONFIG_STRICT_DEVMEM, CONFIG_IO_STRICT_DEVMEM,
	// a driver's PFNMAP). Expect /dev/mem to take the first 1 MiB (devmem_is_allowed() returns 2 for
	// System RAM there), then every pfn that is neither System RAM (boot, and the hot-added block
	// whatever its online state) nor busy (both device ranges); the p2pdma BAR through a driver.
	it('gives /dev/mem the low 1 MiB and what is not System RAM or busy, a driver its BAR, at the x86 default', () => {
		expect(spans(model())).toEqual([
			['/dev/mem mmap: x86 first 1 MiB', [[0, 0x100]]],
			['/dev/mem mmap: not System RAM', [[0x8_8000, 0x10_0000], [0x10_8000, 0x20_0000], [0x20_8000, END]]],
			['driver PFNMAP: PCI BAR memory', [[0x20_0000, 0x20_8000]]],
		]);
	});

	// A test of CONFIG_IO_STRICT_DEVMEM=n. Expect busy device ranges given to /dev/mem (the low
	// 1 MiB is still its own pass), and no driver pass left over.
	it('gives /dev/mem busy device memory without CONFIG_IO_STRICT_DEVMEM', () => {
		expect(spans(model({io_strict_devmem: false}))).toEqual([
			['/dev/mem mmap: x86 first 1 MiB', [[0, 0x100]]],
			['/dev/mem mmap: not System RAM', [[0x8_8000, END]]],
		]);
	});

	// A test of CONFIG_STRICT_DEVMEM=n. Expect one pass over every pfn, System RAM and the
	// never-onlined block included.
	it('gives /dev/mem every pfn without CONFIG_STRICT_DEVMEM', () => {
		expect(spans(model({strict_devmem: false, io_strict_devmem: false}))).toEqual([['/dev/mem mmap: every pfn (CONFIG_STRICT_DEVMEM=n)', [[0, END]]]]);
	});

	// A test of device_pfnmap: false. Expect the BAR gone, /dev/mem unchanged.
	it('drops the BAR without a driver PFNMAP', () => {
		expect(spans(model({device_pfnmap: false})).map(([label]) => label)).toEqual(['/dev/mem mmap: x86 first 1 MiB', '/dev/mem mmap: not System RAM']);
	});

	// A test of the generic devmem_is_allowed() (lib/devmem_is_allowed.c): no low-1MiB exception
	// off x86. Expect arm64's boot RAM at pfn 0 refused from its first pfn.
	it('has no first-1MiB exception on arm64', () => {
		const labels = spans(model({}, 'arm64-4k')).map(([label]) => label);
		expect(labels).not.toContain('/dev/mem mmap: x86 first 1 MiB');
		expect(spans(model({}, 'arm64-4k'))[0]).toEqual(['/dev/mem mmap: not System RAM', [[0x8_8000, 0x10_0000], [0x10_8000, 0x20_0000], [0x20_8000, END]]]);
	});
});

describe('span arithmetic behind the exposures', () => {
	// A test of a \ b over several spans on each side, as many System RAM ranges less many busy
	// device ranges are:
	//
	//   a:  [0x10      0x40)   [0x50 0x60)   [0x70               0xa0)
	//   b:     [0x20 0x28) [0x3c   0x54)    [0x6c 0x74) [0x80 0x84) [0x9c 0xb0)
	//
	// Expect each span of a cut by every span of b that overlaps it, and a span of b that
	// overlaps two spans of a (0x3c-0x54) cutting both.
	it('subtracts sorted disjoint spans, one span of b across two of a', () => {
		const a = [{start: 0x10, end: 0x40}, {start: 0x50, end: 0x60}, {start: 0x70, end: 0xa0}];
		const b = [{start: 0x20, end: 0x28}, {start: 0x3c, end: 0x54}, {start: 0x6c, end: 0x74}, {start: 0x80, end: 0x84}, {start: 0x9c, end: 0xb0}];
		expect(subtractSpans(a, b).map(s => [s.start, s.end])).toEqual([
			[0x10, 0x20],
			[0x28, 0x3c],
			[0x54, 0x60],
			[0x74, 0x80],
			[0x84, 0x9c],
		]);
		expect(subtractSpans(a, [])).toEqual(a);
		expect(subtractSpans([], b)).toEqual([]);
	});
});
