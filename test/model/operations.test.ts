/**
What the kernel did after the first replay (docs/topology-format.md "Block states", "Operations"):
per-block states inside one add_memory(), then online / online_movable / offline of blocks,
remove_memory() of a hot-added range, memunmap_pages() of a device to the end, and
memremap_pages() again on the same range. Each step is a phase; the loader refuses what the kernel
would refuse, at file:line:column.

	| boot RAM 0-4 GiB | hot-added 1 GiB, 8 blocks of 128 MiB | fsdax 1 GiB, altmap |
	0x0          0x100000                        0x140000             0x180000
*/
import {describe, expect, it} from 'vitest';
import {buildModel} from '../../source/model/build.js';
import {parseTopology} from '../../source/topology/load.js';
import {at} from '../helpers/model-probe.js';

const head = `name: ops
arch: x86_64
kernel: "6.12"
config:
  memory_block_size: 128M
memory:
  - kind: boot
    start: 0x0
    size: 4G
  - kind: hotplug
    start: 0x1_0000_0000
    size: 1G
    state: offline
    blocks:
      - {start: 0x1_0000_0000, size: 256M, state: online}
      - {start: 0x1_1000_0000, size: 128M, state: online_movable}
      - {start: 0x1_1800_0000, size: 128M, state: offlined}
  - kind: device
    type: fsdax
    start: 0x1_4000_0000
    size: 1G
    altmap: {}
`;

const load = (operations = '', kernel?: string) => parseTopology(head + operations, 'ops.yaml', kernel === undefined ? {} : {kernel});

function error(text: string): string {
	try {
		parseTopology(head + text, 'ops.yaml');
	} catch (caught) {
		return (caught as {format(): string}).format();
	}

	return 'no error';
}

describe('per-block states inside one add_memory()', () => {
	it('A test that adds 1 GiB with blocks online, online_movable, offlined and (the rest) offline. Expect each block\'s memmap and zone, one phase per run', () => {
		const model = buildModel(load());
		expect(at(model, 0x10_0000)).toMatchObject({category: 'ok', memmap: {zone: 'Normal'}});
		expect(at(model, 0x10_8000)).toMatchObject({category: 'ok', memmap: {zone: 'Normal'}});
		expect(at(model, 0x11_0000)).toMatchObject({category: 'ok', memmap: {zone: 'Movable'}});
		expect(at(model, 0x11_8000)).toMatchObject({category: 'C1', memmap: {content: 'poison'}});
		expect(at(model, 0x12_0000)).toMatchObject({category: 'C1', section: {online: false, present: true}});
		expect(model.phases.map(p => p.id).filter(id => id.startsWith('memory[1]'))).toEqual([
			'memory[1]:added',
			'memory[1]:onlined@0x100000',
			'memory[1]:onlined@0x110000',
			'memory[1]:onlined@0x118000',
			'memory[1]:offlined@0x118000',
		]);
		expect(at(buildModel(load(), {phase: 'memory[1]:onlined@0x118000'}), 0x11_8000).category).toBe('ok');
	});

	it('A test that gives a block range outside its entry, one not block aligned, and two overlapping. Expect file:line:column and the rule', () => {
		const bad = (blocks: string) => {
			try {
				parseTopology(head.replace(/ {4}blocks:\n(?: {6}- .*\n)+/, `    blocks:\n${blocks}`), 'ops.yaml');
			} catch (caught) {
				return (caught as {format(): string}).format();
			}

			return 'no error';
		};

		expect(bad('      - {start: 0x1_4000_0000, size: 128M, state: online}\n')).toMatch(/^ops\.yaml:15:\d+: memory\[1\]\.blocks\[0\] \[0x1_4000_0000, 0x1_4800_0000\) is not inside its hot-added range/);
		expect(bad('      - {start: 0x1_0010_0000, size: 128M, state: online}\n')).toMatch(/^ops\.yaml:15:\d+: .*not aligned to the memory block size 128 MiB/);
		expect(bad('      - {start: 0x1_0000_0000, size: 256M, state: online}\n      - {start: 0x1_0800_0000, size: 128M, state: offline}\n')).toMatch(/^ops\.yaml:16:\d+: memory\[1\]\.blocks\[1\] overlaps another blocks: range/);
	});
});

describe('operations after the first replay', () => {
	const history = `operations:
  - {op: online_movable, start: 0x1_2000_0000, size: 256M}
  - {op: offline, start: 0x1_0000_0000, size: 384M}
  - {op: teardown, start: 0x1_4000_0000}
  - {op: create, type: devdax, start: 0x1_4000_0000, size: 1G}
  - {op: offline, start: 0x1_2000_0000, size: 256M}
  - {op: remove, start: 0x1_0000_0000, size: 1G}
`;

	it('A test that replays online_movable, offline, teardown, create, offline, remove. Expect one phase per step and the state each leaves', () => {
		const topology = load(history);
		expect(topology.operations!.map(op => [op.op, op.entry])).toEqual([
			['online_movable', 1],
			['offline', 1],
			['teardown', 2],
			['create', 3],
			['offline', 1],
			['remove', 1],
		]);
		const model = buildModel(topology);
		const ids = model.phases.map(p => p.id);
		expect(ids.slice(ids.indexOf('operations[0]:onlined'))).toEqual([
			'operations[0]:onlined',
			'operations[1]:offlined',
			'operations[2]:T1',
			'operations[2]:T2',
			'operations[2]:T3',
			'operations[2]:T4',
			'operations[3]:P1',
			'operations[3]:P2',
			'operations[3]:P3',
			'operations[3]:P4',
			'operations[3]:P5',
			'operations[3]:P6',
			'operations[3]:P7',
			'operations[4]:offlined',
			'operations[5]:removed',
			'final',
		]);
		// online_pages() to ZONE_MOVABLE, then offline_pages() of blocks onlined to Normal and Movable.
		expect(at(buildModel(topology, {phase: 'operations[0]:onlined'}), 0x12_0000)).toMatchObject({category: 'ok', memmap: {zone: 'Movable'}});
		expect(at(buildModel(topology, {phase: 'operations[1]:offlined'}), 0x10_0000)).toMatchObject({category: 'C1', memmap: {content: 'poison'}});
		expect(at(buildModel(topology, {phase: 'operations[1]:offlined'}), 0x11_0000)).toMatchObject({category: 'C1', memmap: {content: 'poison'}});
		// The fsdax pgmap torn down to the end: its sections gone before the devdax one comes.
		expect(at(buildModel(topology, {phase: 'operations[2]:T4'}), 0x14_0000)).toMatchObject({category: 'unbacked', section: {present: false}});
		expect(at(buildModel(topology, {phase: 'operations[3]:P4'}), 0x14_0000).memmap.content).toBe('poison');
		expect(at(model, 0x14_0000)).toMatchObject({category: 'C2', memmap: {content: 'init', zone: 'Device'}});
		// The new devdax has no altmap: no C5 at its first pfn.
		expect(model.pgmaps.filter(p => p.in_xarray).map(p => [p.label, p.altmap === undefined])).toEqual([['devdax@0x140000000', true]]);
		// remove_memory(): the hot-added sections are gone.
		expect(at(model, 0x10_0000)).toMatchObject({category: 'unbacked', section: {present: false, valid: false}});
		expect(at(model, 0x13_f000).category).toBe('unbacked');
	});

	it('A test that removes memory with an online block, onlines an online block, and tears down a device that is not there. Expect the kernel\'s refusal at file:line:column', () => {
		expect(error('operations:\n  - {op: remove, start: 0x1_0000_0000}\n')).toMatch(
			/^ops\.yaml:24:\d+: operations\[0\]: the memory block at 0x1_0000_0000 of memory\[1\] \(hotplug@0x100000000\) is online: remove_memory\(\) → try_remove_memory\(\) refuses memory that is not offline .*-EBUSY.*offline it first/,
		);
		expect(error('operations:\n  - {op: online, start: 0x1_0000_0000, size: 128M}\n')).toMatch(/^ops\.yaml:24:\d+: operations\[0\]: the memory block at 0x1_0000_0000 is already online at this point of the replay/);
		expect(error('operations:\n  - {op: teardown, start: 0x1_4000_0000}\n  - {op: teardown, start: 0x1_4000_0000}\n')).toMatch(/^ops\.yaml:25:\d+: operations\[1\]: no device starts at 0x1_4000_0000 at this point of the replay/);
		expect(error('operations:\n  - {op: online, start: 0x0, size: 128M}\n')).toMatch(/is not inside one hot-added range present at this point of the replay: .*onlining or offlining boot memory is not modelled/);
		expect(error('operations:\n  - {op: remove, start: 0x1_0000_0000, size: 512M}\n')).toMatch(/ends at 0x1_4000_0000, not 0x1_2000_0000: remove_memory\(\) takes exactly the range add_memory\(\) added/);
		expect(error('operations:\n  - {op: frobnicate, start: 0x0}\n')).toMatch(/^ops\.yaml:24:\d+: .*op must be one of online, online_movable, offline, remove, teardown, create|invalid/);
	});

	it('A test that creates a device over a live one, and over the torn-down one. Expect the first refused (pagemap_range()), the second accepted', () => {
		expect(error('operations:\n  - {op: create, type: devdax, start: 0x1_4000_0000, size: 1G}\n')).toMatch(/^ops\.yaml:24:\d+: memory\[3\] \(devdax@0x140000000\) overlaps memory\[2\] \(fsdax@0x140000000\).*get_dev_pagemap\(\)/);
		expect(error('operations:\n  - {op: teardown, start: 0x1_4000_0000}\n  - {op: create, type: fsdax, start: 0x1_4000_0000, size: 1G, altmap: {}}\n')).toBe('no error');
	});

	it('A test that offlines at v5.6 on arm64 (no MEMORY_HOTREMOVE before v5.7). Expect the arch rule', () => {
		const arm = `name: arm\narch: arm64-4k\nkernel: "5.6"\nmemory:\n  - kind: boot\n    start: 0x4000_0000\n    size: 4G\n  - kind: hotplug\n    start: 0x1_4000_0000\n    size: 1G\n    state: online\n`;
		let message = 'no error';
		try {
			parseTopology(`${arm}operations:\n  - {op: offline, start: 0x1_4000_0000, size: 1G}\n`, 'arm.yaml');
		} catch (caught) {
			message = (caught as Error).message;
		}

		expect(message).toMatch(/offline cannot run on arm64-4k at v5\.6: offline_pages\(\) needs CONFIG_MEMORY_HOTREMOVE/);
	});
});

/*
Which hot-added range an operation acts on, found by address (a binary search over the ranges by
start, then whether that range is still there): two adjacent ranges, listed in the file against
address order.

	| boot RAM 0-4 GiB | memory[2]: hot-added 256 MiB | memory[1]: hot-added 256 MiB |
	0x0          0x100000                       0x110000                       0x120000
*/
describe('the range an operation names, among adjacent hot-added ranges', () => {
	const adjacent = `name: adjacent
arch: x86_64
kernel: "6.12"
config:
  memory_block_size: 128M
memory:
  - {kind: boot, start: 0x0, size: 4G}
  - {kind: hotplug, start: 0x1_1000_0000, size: 256M, state: offline}
  - {kind: hotplug, start: 0x1_0000_0000, size: 256M, state: offline}
`;
	const ops = (lines: string[]) => `${adjacent}operations:\n${lines.map(line => `  - ${line}\n`).join('')}`;
	const refusal = (lines: string[]) => {
		try {
			parseTopology(ops(lines), 'adjacent.yaml');
		} catch (caught) {
			return (caught as {format(): string}).format();
		}

		return 'no error';
	};

	it('A test that onlines the first block of the second range, the last block of the first, then offlines the first again. Expect each operation on the range that holds it', () => {
		const topology = parseTopology(ops([
			'{op: online, start: 0x1_1000_0000, size: 128M}',
			'{op: online_movable, start: 0x1_0800_0000, size: 128M}',
			'{op: offline, start: 0x1_1000_0000, size: 128M}',
		]), 'adjacent.yaml');
		expect(topology.operations!.map(op => [op.op, op.entry, op.label])).toEqual([
			['online', 1, 'online of [0x110000, 0x118000) in memory[1] (hotplug@0x110000000)'],
			['online_movable', 2, 'online_movable of [0x108000, 0x110000) in memory[2] (hotplug@0x100000000)'],
			['offline', 1, 'offline of [0x110000, 0x118000) in memory[1] (hotplug@0x110000000)'],
		]);
		const model = buildModel(topology);
		expect(at(model, 0x10_8000)).toMatchObject({category: 'ok', memmap: {zone: 'Movable'}});
		expect(at(model, 0x11_0000)).toMatchObject({category: 'C1', memmap: {content: 'poison'}});
		expect(at(model, 0x10_0000).section.online).toBe(false);
	});

	it('A test that acts on blocks across the two ranges, on a removed range, and removes it twice. Expect each refused at its line, the neighbour still found', () => {
		expect(refusal(['{op: online, start: 0x1_0800_0000, size: 256M}'])).toMatch(
			/^adjacent\.yaml:11:\d+: operations\[0\] \[0x1_0800_0000, 0x1_1800_0000\) is not inside one hot-added range present at this point of the replay: online acts on the memory blocks of a kind: hotplug entry/,
		);
		expect(refusal(['{op: remove, start: 0x1_0000_0000}', '{op: online, start: 0x1_0800_0000, size: 128M}'])).toMatch(
			/^adjacent\.yaml:12:\d+: operations\[1\] \[0x1_0800_0000, 0x1_1000_0000\) is not inside one hot-added range present at this point of the replay/,
		);
		expect(refusal(['{op: remove, start: 0x1_0000_0000}', '{op: remove, start: 0x1_0000_0000}'])).toMatch(
			/^adjacent\.yaml:12:\d+: operations\[1\]: no hot-added range starts at 0x1_0000_0000 at this point of the replay: remove names the start of a kind: hotplug entry/,
		);
		expect(refusal(['{op: remove, start: 0x1_0000_0000}', '{op: online, start: 0x1_1000_0000, size: 256M}', '{op: offline, start: 0x1_1800_0000, size: 128M}'])).toBe('no error');
	});

	it('A test that removes the first range, creates a device on it, tears it down and creates it again. Expect blocks there no longer hot-added, each teardown on the device created last', () => {
		expect(refusal([
			'{op: remove, start: 0x1_0000_0000}',
			'{op: create, type: devdax, start: 0x1_0000_0000, size: 256M}',
			'{op: online, start: 0x1_0000_0000, size: 128M}',
		])).toMatch(/^adjacent\.yaml:13:\d+: operations\[2\] \[0x1_0000_0000, 0x1_0800_0000\) is not inside one hot-added range present/);
		const topology = parseTopology(ops([
			'{op: remove, start: 0x1_0000_0000}',
			'{op: create, type: devdax, start: 0x1_0000_0000, size: 256M}',
			'{op: teardown, start: 0x1_0000_0000}',
			'{op: create, type: fsdax, start: 0x1_0000_0000, size: 256M}',
			'{op: teardown, start: 0x1_0000_0000, size: 256M}',
		]), 'adjacent.yaml');
		expect(topology.operations!.map(op => [op.op, op.entry])).toEqual([['remove', 2], ['create', 3], ['teardown', 3], ['create', 4], ['teardown', 4]]);
		expect(refusal([
			'{op: remove, start: 0x1_0000_0000}',
			'{op: create, type: devdax, start: 0x1_0000_0000, size: 256M}',
			'{op: create, type: fsdax, start: 0x1_0000_0000, size: 256M}',
		])).toMatch(/^adjacent\.yaml:13:\d+: memory\[4\] \(fsdax@0x100000000\) overlaps memory\[3\] \(devdax@0x100000000\)/);
	});
});
