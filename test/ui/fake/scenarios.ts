/**
Scripted topologies of the fake port (PFNAUDIT_FAKE=1 and the dashboard tests). They mimic what
the real engine will report for the showcase and two other built-ins, but nothing here is
modelled: the regions are written by hand and the fake never claims kernel facts beyond them.
*/
import type {MapRegion} from '../../../source/engine/types.js';
import {parseKernelVersion} from '../../../source/kernel/version.js';
import {DEFAULT_FAIL_ON} from '../../../source/model/categories.js';
import {type Arch, geometryFor, PHYS_PFN} from '../../../source/model/geometry.js';
import {modelNotes} from '../../../source/model/notes.js';
import {TOOL_VERSION} from '../../../source/paths.js';
import type {AuditMeta} from '../../../source/ui/port.js';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

type RegionSpec = {
	readonly start: number;
	readonly end: number;
	readonly category: MapRegion['category'];
	readonly label: string;
};

export type FakeScenario = {
	readonly name: string;
	/** File name under topologies/ the fake answers to. */
	readonly file: string;
	readonly description: string;
	readonly arch: Arch;
	readonly kernel: string;
	readonly regions: readonly RegionSpec[];
};

const fsdaxAltmap = (start: number, size: number, label: string): RegionSpec[] => {
	// struct vmem_altmap: reserve 8 KiB (2 pages, the info block), free = memmap of the range (64 B per page).
	const reserveEnd = start + 8 * 1024;
	const freeEnd = reserveEnd + (size / 4096) * 64;
	return [
		{start, end: reserveEnd, category: 'C5', label: `${label} altmap reserve`},
		{start: reserveEnd, end: freeEnd, category: 'metadata', label: `${label} altmap free (memmap)`},
		{start: freeEnd, end: start + size, category: 'C2', label: `${label} data`},
	];
};

export const FAKE_SCENARIOS: readonly FakeScenario[] = [
	{
		name: 'showcase',
		file: 'showcase.yaml',
		description:
			'Every category on one x86_64 machine: boot RAM with the BIOS hole, an offline hot-added DIMM, fsdax with an altmap, a devdax namespace that shares a section, one pgmap mid-init, one in teardown.',
		arch: 'x86_64',
		kernel: '6.12',
		regions: [
			{start: 0, end: 0x9_f000, category: 'ok', label: 'boot@0x0'},
			{start: 0x9_f000, end: 0x10_0000, category: 'hole', label: 'hole in boot@0x0 (BIOS)'},
			{start: 0x10_0000, end: 2 * GiB, category: 'ok', label: 'boot@0x0'},
			{start: 4 * GiB, end: 8 * GiB, category: 'ok', label: 'boot@0x100000000'},
			{start: 8 * GiB, end: 12 * GiB, category: 'C1', label: 'hotplug@0x200000000 offline'},
			...fsdaxAltmap(12 * GiB, 16 * GiB, 'fsdax@0x300000000'),
			{start: 28 * GiB, end: 28 * GiB + 2 * MiB, category: 'C3', label: 'section of devdax@0x700200000, outside the range'},
			{start: 28 * GiB + 2 * MiB, end: 29 * GiB, category: 'C2', label: 'devdax@0x700200000'},
			{start: 32 * GiB, end: 36 * GiB, category: 'C4', label: 'devdax@0x800000000 initializing'},
			{start: 36 * GiB, end: 37 * GiB, category: 'teardown', label: 'generic@0x900000000 teardown'},
			{start: 40 * GiB, end: 40 * GiB + 64 * MiB, category: 'C2', label: 'p2pdma@0xa00000000'},
			{start: 40 * GiB + 64 * MiB, end: 40 * GiB + 128 * MiB, category: 'unbacked', label: 'section tail of p2pdma@0xa00000000, no memmap'},
		],
	},
	{
		name: 'x86-pmem-fsdax-altmap',
		file: 'x86-pmem-fsdax-altmap.yaml',
		description: '8 GiB of boot RAM and a 16 GiB fsdax namespace created with --map=dev.',
		arch: 'x86_64',
		kernel: '6.12',
		regions: [
			{start: 0, end: 0x9_f000, category: 'ok', label: 'boot@0x0'},
			{start: 0x9_f000, end: 0x10_0000, category: 'hole', label: 'hole in boot@0x0 (BIOS)'},
			{start: 0x10_0000, end: 8 * GiB, category: 'ok', label: 'boot@0x0'},
			...fsdaxAltmap(9 * GiB, 16 * GiB, 'fsdax@0x240000000'),
		],
	},
	{
		name: 'arm64-nomap-thunderx2',
		file: 'arm64-nomap-thunderx2.yaml',
		description: 'ThunderX2-like arm64 box with MEMBLOCK_NOMAP firmware regions, the machine that failed CKI boot with arm64-pfn-valid-v2.',
		arch: 'arm64-4k',
		kernel: '5.10',
		regions: [
			{start: 0x8000_0000, end: 0x8020_0000, category: 'nomap', label: 'nomap in boot@0x80000000 (firmware)'},
			{start: 0x8020_0000, end: 0x1_0000_0000, category: 'ok', label: 'boot@0x80000000'},
			{start: 0x88_0000_0000, end: 0x8c_0000_0000, category: 'ok', label: 'boot@0x8800000000'},
			...fsdaxAltmap(0x90_0000_0000, 8 * GiB, 'fsdax@0x9000000000'),
		],
	},
];

export function findScenario(file: string): FakeScenario | undefined {
	const base = file.split(/[\\/]/).pop() ?? file;
	return FAKE_SCENARIOS.find(scenario => scenario.file === base || scenario.name === base);
}

/** The header and map data of a scenario at a kernel version. */
export function scenarioMeta(scenario: FakeScenario, file: string, kernel: string, patches: readonly string[]): AuditMeta {
	const version = parseKernelVersion(kernel);
	if (!version) {
		throw new Error(`internal: fake port given unknown kernel ${kernel}`);
	}

	const g = geometryFor(scenario.arch, version);
	return {
		tool: {name: 'pfnaudit', version: TOOL_VERSION},
		topology: {name: scenario.name, file, description: scenario.description},
		arch: scenario.arch,
		kernel,
		patches,
		// The notes the real model gives this kernel, arch and patches (source/model/notes.ts).
		notes: modelNotes(version, scenario.arch, patches),
		phases: ['final'],
		fail_on: DEFAULT_FAIL_ON,
		geometry: {
			PAGE_SHIFT: g.PAGE_SHIFT,
			SECTION_SIZE_BITS: g.SECTION_SIZE_BITS,
			MAX_PHYSMEM_BITS: g.MAX_PHYSMEM_BITS,
			PAGES_PER_SECTION: g.PAGES_PER_SECTION,
			PAGES_PER_SUBSECTION: g.PAGES_PER_SUBSECTION,
			NR_MEM_SECTIONS: g.NR_MEM_SECTIONS,
			memory_block_size: 2 ** g.SECTION_SIZE_BITS,
		},
		map: scenario.regions.map(region => ({
			start_pfn: PHYS_PFN(g, region.start),
			end_pfn: PHYS_PFN(g, region.end),
			category: region.category,
			label: region.label,
		})),
	};
}
