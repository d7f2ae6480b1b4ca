/**
The probe module's output (docs/probe-format.md) for the small layout of ./capture-fixture.ts, as
Debian's 6.12.118 writes it for that layout under QEMU (end_pfn = 0x120000: one section above
the nvdimm). Its pfn map (hex pfns, 128 MiB sections = 0x8000 pfns):

  0    1    0x9f  0x100  0x1000     0x2b72          0x40000  0x41000 0x41200   0x48000      0x4ffdf 0x50000
  |hole|RAM |hole |RAM   |RAM       |RAM            |RAM     |altmap |devdax   |RAM         |fw     | (none)
  |R   |r   |R    |DMA r |DMA32 R   |DMA32 r        |taint   |no page|Device R |DMA32 r     |R      |
                          (memblock reservations: not modelled, not compared)
  0x100000   0x108000    0x110000   0x118000   0x120000
  | blk32    | blk33     | nvdimm   | (none)   |
  | offline  | Movable r | Device R |          |

`lines` replaces run lines by their start pfn (to make the kernel disagree on purpose).
*/
export const PROBE_COLUMNS_LINE = '# columns pfn_valid pfn_to_online_page present_section valid_section online_section early_section SECTION_TAINT_ZONE_DEVICE pfn_section_valid get_dev_pagemap zone PageReserved';

export const PROBE_RUNS: readonly string[] = [
	'0 1 111111010 DMA R',
	'1 9f 111111010 DMA r',
	'9f 100 111111010 DMA R',
	'100 1000 111111010 DMA r',
	'1000 2b72 111111010 DMA32 R',
	'2b72 40000 111111010 DMA32 r',
	'40000 41000 111111110 DMA32 r',
	'41000 41200 101111111 - -',
	'41200 48000 101111111 Device R',
	'48000 4ffdf 111111010 DMA32 r',
	'4ffdf 50000 111111010 DMA32 R',
	'50000 100000 000000000 - -',
	'100000 108000 101100010 - -',
	'108000 110000 111110010 Movable r',
	'110000 118000 101100011 Device R',
	'118000 120000 000000000 - -',
];

export function probeRuns(options: {runs?: readonly string[]; extraHeader?: readonly string[]; end?: string | null} = {}): string {
	return [
		'# pfnaudit probe v1',
		'# release 6.12.118+deb12-amd64',
		'# geometry PAGE_SHIFT 12 SECTION_SIZE_BITS 27 PAGES_PER_SUBSECTION 200 NR_MEM_SECTIONS 80000',
		PROBE_COLUMNS_LINE,
		...(options.extraHeader ?? []),
		'# range 0 120000',
		...(options.runs ?? PROBE_RUNS),
		...(options.end === null ? [] : [`# end ${options.end ?? '120000'}`]),
		'',
	].join('\n');
}

/** PROBE_RUNS with the runs starting at the given pfns replaced. */
export function replacing(replace: Readonly<Record<string, readonly string[]>>): string[] {
	return PROBE_RUNS.flatMap(line => replace[line.split(' ')[0]!] ?? [line]);
}
