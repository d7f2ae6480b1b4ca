/**
A small hand-made capture of a QEMU pc guest on Debian's 6.12.118 (the issue 9 layout, shrunk),
as the guest side brings it back: the capture format of docs/capture-format.md plus
kpageflags.runs. Its pfn map (hex pfns, 4 KiB pages, 128 MiB sections = 0x8000 pfns):

  0        1     0x9f   0x100                 0x41000     0x48000          0x4ffdf 0x50000
  | hole   | RAM  | hole | RAM ...              | pmem       | RAM             | fw    | (none) ...
  (resv)          (resv)                         devdax map=dev (section 8 shared with RAM: NOPAGE)
  0x100000    0x108000     0x110000   0x118000
  | dimm blk32 | dimm blk33 | nvdimm    |
  | offline    | Movable    | fsdax     |   /proc/kpageflags ends at 0x110000 (the DIMM's end)

`kernel` overrides runs of kpageflags.runs (to make the kernel disagree on purpose).
*/
import type {CaptureFile} from '../../source/import/collect.js';

export const NOPAGE = 0x10_0000n;
export const RESERVED = 0x1_0000_0000n;
const BUDDY = 0x400n;

export type Run = [start: number, end: number, flags: bigint];

export const KERNEL_RUNS: readonly Run[] = [
	[0x0, 0x1, RESERVED],
	[0x1, 0x9f, BUDDY],
	[0x9f, 0x100, RESERVED],
	[0x100, 0x41000, BUDDY],
	[0x41000, 0x48000, NOPAGE],
	[0x48000, 0x4ffdf, BUDDY],
	[0x4ffdf, 0x50000, RESERVED],
	[0x50000, 0x108000, NOPAGE],
	[0x108000, 0x110000, BUDDY],
];

export function kpageflagsRuns(runs: readonly Run[] = KERNEL_RUNS, mask = 'ffffffffffffffff'): string {
	const end = runs.at(-1)![1];
	return [
		'# pfnaudit kpageflags runs v1: start_pfn end_pfn flags (hex, end exclusive)',
		`# mask ${mask}`,
		...runs.map(([s, e, f]) => `${s.toString(16)} ${e.toString(16)} ${f.toString(16)}`),
		`# end ${end.toString(16)}`,
		'',
	].join('\n');
}

const dmesg = `[    0.000000] Linux version 6.12.118+deb12-amd64 (debian-kernel@lists.debian.org) (x86_64-linux-gnu-gcc-12 (Debian 12.2.0-14) 12.2.0) #1 SMP PREEMPT_DYNAMIC Debian 6.12.118-1~deb12u1
[    0.000000] Command line: console=ttyS0 memmap=112M!1040M memhp_default_state=offline nokaslr
[    0.000000] BIOS-provided physical RAM map:
[    0.000000] BIOS-e820: [mem 0x0000000000000000-0x000000000009fbff] usable
[    0.000000] BIOS-e820: [mem 0x000000000009fc00-0x000000000009ffff] reserved
[    0.000000] BIOS-e820: [mem 0x00000000000f0000-0x00000000000fffff] reserved
[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x000000004ffdefff] usable
[    0.000000] BIOS-e820: [mem 0x000000004ffdf000-0x000000004fffffff] reserved
[    0.000000] BIOS-e820: [mem 0x00000000feffc000-0x00000000feffffff] reserved
[    0.000000] BIOS-e820: [mem 0x00000000fffc0000-0x00000000ffffffff] reserved
[    0.000000] user-defined physical RAM map:
[    0.000000] user: [mem 0x0000000000000000-0x000000000009fbff] usable
[    0.000000] user: [mem 0x000000000009fc00-0x000000000009ffff] reserved
[    0.000000] user: [mem 0x00000000000f0000-0x00000000000fffff] reserved
[    0.000000] user: [mem 0x0000000000100000-0x0000000040ffffff] usable
[    0.000000] user: [mem 0x0000000041000000-0x0000000047ffffff] persistent (type 12)
[    0.000000] user: [mem 0x0000000048000000-0x000000004ffdefff] usable
[    0.000000] user: [mem 0x000000004ffdf000-0x000000004fffffff] reserved
[    0.000000] user: [mem 0x00000000feffc000-0x00000000feffffff] reserved
[    0.000000] user: [mem 0x00000000fffc0000-0x00000000ffffffff] reserved
[    0.000000] Zone ranges:
[    0.000000]   DMA      [mem 0x0000000000001000-0x0000000000ffffff]
[    0.000000]   DMA32    [mem 0x0000000001000000-0x00000000ffffffff]
[    0.000000]   Normal   empty
[    0.000000]   Device   empty
[    0.000000] Early memory node ranges
[    0.000000]   node   0: [mem 0x0000000000001000-0x000000000009efff]
[    0.000000]   node   0: [mem 0x0000000000100000-0x0000000040ffffff]
[    0.000000]   node   0: [mem 0x0000000048000000-0x000000004ffdefff]
`;

const iomem = `00000000-00000fff : Reserved
00001000-0009fbff : System RAM
0009fc00-0009ffff : Reserved
000f0000-000fffff : Reserved
00100000-40ffffff : System RAM
41000000-47ffffff : Persistent Memory (legacy)
  41000000-411fffff : namespace0.0
  41200000-47ffffff : dax0.0
48000000-4ffdefff : System RAM
4ffdf000-4fffffff : Reserved
fed00000-fed003ff : HPET 0
100000000-10fffffff : System RAM
110000000-117ffffff : Persistent Memory
  110000000-117ffffff : namespace1.0
`;

const ndctl = JSON.stringify([
	{dev: 'namespace1.0', mode: 'fsdax', map: 'mem', size: 134217728, uuid: '1', sector_size: 512, align: 2097152, blockdev: 'pmem1'},
	{dev: 'namespace0.0', mode: 'devdax', map: 'dev', size: 115343360, uuid: '2', chardev: 'dax0.0', align: 2097152},
]);

const zoneinfo = (movable: boolean) => `Node 0, zone      DMA
  per-node stats
      nr_inactive_anon 0
  pages free     3840
        min      10
  spanned  4095
  present  3998
  managed  3840
  start_pfn:           1
Node 0, zone    DMA32
  pages free     250000
  spanned  323551
  present  294879
  managed  280000
  start_pfn:           4096
Node 0, zone   Normal
  pages free     0
  spanned  0
  present  0
  managed  0
Node 0, zone  Movable
  pages free     ${movable ? 32768 : 0}
  spanned  ${movable ? 32768 : 0}
  present  ${movable ? 32768 : 0}
  managed  ${movable ? 32768 : 0}${movable ? '\n  start_pfn:           1081344' : ''}
Node 0, zone   Device
  pages free     0
  spanned  0
  present  0
  managed  0
`;

function blocks(movable: boolean): CaptureFile[] {
	const out: CaptureFile[] = [{name: 'sys/devices/system/memory/block_size_bytes', text: '8000000\n'}];
	const block = (id: number, state: string, zones: string) => {
		const dir = `sys/devices/system/memory/memory${id}`;
		out.push({name: `${dir}/state`, text: `${state}\n`}, {name: `${dir}/valid_zones`, text: `${zones}\n`}, {name: `${dir}/phys_index`, text: `${id.toString(16).padStart(8, '0')}\n`});
		out.push({name: `sys/devices/system/node/node0/memory${id}`, text: ''});
	};

	block(0, 'online', 'none');
	for (let id = 1; id <= 9; id++) {
		block(id, 'online', 'DMA32');
	}

	block(32, 'offline', 'Normal Movable');
	block(33, movable ? 'online' : 'offline', movable ? 'Movable' : 'Normal Movable');
	return out;
}

/** The capture after the namespaces and block states (`layout`). */
export function layoutCapture(options: {runs?: readonly Run[]; mask?: string; kpageflags?: boolean} = {}): CaptureFile[] {
	return [
		{name: 'proc/sys/kernel/osrelease', text: '6.12.118+deb12-amd64\n'},
		{name: 'proc/iomem', text: iomem},
		{name: 'proc/zoneinfo', text: zoneinfo(true)},
		{name: 'dmesg.txt', text: dmesg},
		{name: 'ndctl-list.json', text: ndctl},
		...blocks(true),
		...(options.kpageflags === false ? [] : [{name: 'kpageflags.runs', text: kpageflagsRuns(options.runs, options.mask)}]),
	];
}

/** The topology that was asked for (what `reproduce` was given). */
export const REQUESTED = `name: small
arch: x86_64
kernel: "6.12"
memory:
  - {kind: boot, start: 0x1000, end: 0x9_f000}
  - {kind: boot, start: 0x10_0000, end: 0x4100_0000}
  - {kind: boot, start: 0x4800_0000, end: 0x5000_0000}
  - {kind: device, type: devdax, start: 0x4100_0000, size: 112M, altmap: {}}
  - {kind: device, type: fsdax, start: 0x1_1000_0000, size: 128M}
  - kind: hotplug
    start: 0x1_0000_0000
    size: 256M
    state: offline
    blocks:
      - {start: 0x1_0000_0000, size: 128M, state: offlined}
      - {start: 0x1_0800_0000, size: 128M, state: online_movable}
`;
