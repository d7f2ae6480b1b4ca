/**
Import at scale (issue 8, "a machine with 10 000 memory blocks"): a capture as `pfnaudit capture`
writes it, generated in memory for N memory blocks of 128 MiB — half boot memory (an e820 map and
its System RAM), half hot-added as 1 GiB DIMMs (one `System RAM` resource each, on node 1) whose
blocks are online, online_movable or offline in a pattern — with every per-block sysfs file
(state, valid_zones, phys_index, removable, phys_device), the node links, and `lsmem -a` listing
every block. `measureImport(N)` imports it as `pfnaudit import` does and returns the CPU time;
bench/run.ts reports the ratio 10 000 : 1 000 (linear is 10).
*/
import {importCapture} from '../source/import/index.js';
import type {CaptureFile} from '../source/import/collect.js';

const MiB = 2 ** 20;
const BLOCK = 128 * MiB;
/** Blocks per hot-added DIMM (1 GiB). */
const DIMM = 8;

const hex = (n: number): string => n.toString(16);
const hex16 = (n: number): string => `0x${n.toString(16).padStart(16, '0')}`;

/** The state of the hot-added block i of its DIMM: a DIMM in three states, one all online, one all offline. */
function hotState(dimm: number, i: number): 'online' | 'online_movable' | 'offline' {
	switch (dimm % 3) {
		case 0: {
			return i < 2 ? 'online' : (i < 4 ? 'online_movable' : 'offline');
		}

		case 1: {
			return 'online_movable';
		}

		default: {
			return 'offline';
		}
	}
}

export function syntheticCapture(blocks: number): CaptureFile[] {
	const bootBlocks = Math.max(32, Math.floor(blocks / 2 / DIMM) * DIMM);
	const dimms = Math.floor((blocks - bootBlocks) / DIMM);
	// Boot: [0x1000, 0x9fc00) and [1 MiB, 3 GiB) below 4 GiB, then up to block 32 + (bootBlocks - 24).
	const highEnd = (32 + bootBlocks - 24) * BLOCK;
	const files: CaptureFile[] = [
		{name: 'proc/sys/kernel/osrelease', text: '6.12.118+deb12-amd64\n'},
		{
			name: 'dmesg.txt',
			text: [
				'[    0.000000] Linux version 6.12.118+deb12-amd64 (debian-kernel@lists.debian.org) #1 SMP',
				`[    0.000000] BIOS-e820: [mem ${hex16(0)}-${hex16(0x9_fbff)}] usable`,
				`[    0.000000] BIOS-e820: [mem ${hex16(0x9_fc00)}-${hex16(0x9_ffff)}] reserved`,
				`[    0.000000] BIOS-e820: [mem ${hex16(0x10_0000)}-${hex16(24 * BLOCK - 1)}] usable`,
				`[    0.000000] BIOS-e820: [mem ${hex16(32 * BLOCK)}-${hex16(highEnd - 1)}] usable`,
				'',
			].join('\n'),
		},
		{name: 'sys/devices/system/memory/block_size_bytes', text: `${hex(BLOCK)}\n`},
		{name: 'sys/devices/system/memory/auto_online_blocks', text: 'offline\n'},
	];
	const iomem = ['00001000-0009fbff : System RAM', `00100000-${hex(24 * BLOCK - 1)} : System RAM`, `${hex(32 * BLOCK)}-${hex(highEnd - 1)} : System RAM`];
	const lsmem = ['RANGE                                  SIZE   STATE REMOVABLE BLOCK NODE  ZONES'];
	const block = (id: number, state: 'online' | 'online_movable' | 'offline', node: number, zone: string): void => {
		const dir = `sys/devices/system/memory/memory${id}`;
		files.push(
			{name: `${dir}/state`, text: `${state === 'offline' ? 'offline' : 'online'}\n`},
			{name: `${dir}/valid_zones`, text: `${state === 'offline' ? 'Normal Movable' : zone}\n`},
			{name: `${dir}/phys_index`, text: `${hex(id).padStart(8, '0')}\n`},
			{name: `${dir}/removable`, text: '1\n'},
			{name: `${dir}/phys_device`, text: '0\n'},
			{name: `sys/devices/system/node/node${node}/memory${id}`, text: ''},
		);
		lsmem.push(`${hex16(id * BLOCK)}-${hex16((id + 1) * BLOCK - 1)} 128M ${state === 'offline' ? 'offline' : ' online'}       yes ${id} ${node} ${state === 'offline' ? 'Normal,Movable' : zone}`);
	};

	for (let id = 0; id < 24; id++) {
		block(id, 'online', 0, id === 0 ? 'none' : 'DMA32');
	}

	for (let id = 32; id < 32 + bootBlocks - 24; id++) {
		block(id, 'online', 0, 'Normal');
	}

	for (let d = 0; d < dimms; d++) {
		const first = highEnd / BLOCK + d * DIMM;
		iomem.push(`${hex(first * BLOCK)}-${hex((first + DIMM) * BLOCK - 1)} : System RAM`);
		for (let i = 0; i < DIMM; i++) {
			const state = hotState(d, i);
			block(first + i, state, 1, state === 'online_movable' ? 'Movable' : 'Normal');
		}
	}

	files.push({name: 'proc/iomem', text: `${iomem.join('\n')}\n`}, {name: 'lsmem.txt', text: `${lsmem.join('\n')}\n\nMemory block size:       128M\n`});
	return files;
}

export type ImportScale = {readonly blocks: number; readonly files: number; readonly entries: number; readonly cpuMs: number};

export function measureImport(blocks: number): ImportScale {
	const files = syntheticCapture(blocks);
	const cpu = process.cpuUsage();
	const result = importCapture({kind: 'capture', label: `scale-${blocks}`, files});
	const used = process.cpuUsage(cpu);
	return {blocks, files: files.length, entries: result.topology.memory.length, cpuMs: (used.user + used.system) / 1000};
}
