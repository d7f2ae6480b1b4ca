/**
The arm64 recipe (source/reproduce/recipe-arm64.ts): a topology → QEMU virt arguments and the
no-map children of /reserved-memory, or one sentence saying why QEMU's virt machine or Debian's
arm64 kernels cannot give it.
*/
import {describe, expect, it} from 'vitest';
import {isInputError} from '../../source/errors/input-error.js';
import {addReservedMemory, reservedMemoryNode} from '../../source/reproduce/recipe-arm64.js';
import {buildRecipe, renderRecipe} from '../../source/reproduce/recipe.js';
import {loadTopologyFile, parseTopology} from '../../source/topology/load.js';

const header = (arch = 'arm64-4k', kernel = '6.12') => `name: t\narch: ${arch}\nkernel: "${kernel}"\nmemory:\n`;

function refusal(yaml: string): string {
	try {
		buildRecipe(parseTopology(yaml, 't.yaml'));
	} catch (error) {
		if (isInputError(error)) {
			return error.format();
		}

		throw error;
	}

	throw new Error('expected a refusal');
}

describe('reproduce recipe for arm64', () => {
	it('A test that topologies/qemu-arm64-nomap.yaml becomes -machine virt -cpu max -m 2000M with its five nomap ranges as no-map reserved memory. Expect the machine args, nokaslr and the ranges in bytes', () => {
		// 0x40000 RAM | 0x50000-0x50200 nomap | 0x5c001-0x5c004 nomap | 0x67ff0-0x68010 nomap (crosses section 13/14) | 0x70005 nomap | 0xbcf00-0xbd000 nomap
		const topology = loadTopologyFile(new URL('../../topologies/qemu-arm64-nomap.yaml', import.meta.url).pathname);
		const r = buildRecipe(topology);
		expect(r.plan.arch).toBe('arm64-4k');
		expect(r.plan.machineArgs).toEqual(['-machine', 'virt', '-cpu', 'max', '-m', '2000M']);
		expect(r.plan.cmdline).toEqual(['nokaslr']);
		expect(r.plan.reservedNomap).toEqual([
			{start: 0x5000_0000, end: 0x5020_0000},
			{start: 0x5c00_1000, end: 0x5c00_4000},
			{start: 0x67ff_0000, end: 0x6801_0000},
			{start: 0x7000_5000, end: 0x7000_6000},
			{start: 0xbcf0_0000, end: 0xbd00_0000},
		]);
		expect(renderRecipe(topology, r)).toContain('qemu-system-aarch64 -accel tcg -machine virt -cpu max -m 2000M -dtb virt-nomap.dtb -kernel Image');
	});

	it('A test that adds the no-map node to a device tree source as dtc writes it. Expect it as the root node\'s last child with 2-cell reg values, and a second /reserved-memory refused', () => {
		const dts = '/dts-v1/;\n\n/ {\n\tmemory@40000000 {\n\t\treg = <0x00 0x40000000 0x00 0x7d000000>;\n\t};\n};\n';
		const out = addReservedMemory(dts, [{start: 0x1_2000_0000, end: 0x1_2000_1000}]);
		expect(out).toContain('\t\tnomap@120000000 {\n\t\t\treg = <0x1 0x20000000 0x0 0x1000>;\n\t\t\tno-map;\n\t\t};\n\t};\n};\n');
		expect(out.indexOf('memory@40000000')).toBeLessThan(out.indexOf('reserved-memory'));
		expect(() => addReservedMemory(out, [{start: 0x5000_0000, end: 0x5000_1000}])).toThrow(/already has a \/reserved-memory node/);
		expect(reservedMemoryNode([])).toBe('\treserved-memory {\n\t\t#address-cells = <0x02>;\n\t\t#size-cells = <0x02>;\n\t\tranges;\n\t};\n');
	});

	it('A test that what the virt machine or Debian\'s arm64 kernels cannot give is refused. Expect one sentence each with the reason', () => {
		// RAM elsewhere than 1 GiB, a hole between boot ranges, a no-map over QEMU's initrd, a second node, hot-added memory, 16K pages at 6.1.
		expect(refusal(`${header()}  - {kind: boot, start: 0x8000_0000, size: 1G}\n`)).toMatch(/starts at 0x8000_0000, but QEMU's virt machine puts RAM at 0x4000_0000/);
		expect(refusal(`${header()}  - {kind: boot, start: 0x4000_0000, size: 512M}\n  - {kind: boot, start: 0x6400_0000, size: 512M}\n`)).toMatch(/one range without holes/);
		expect(refusal(`${header()}  - {kind: boot, start: 0x4000_0000, size: 1G, nomap: [{start: 0x4800_1000, end: 0x4800_4000}]}\n`)).toMatch(/t\.yaml:5:\d+: .*where QEMU loads the kernel Image, the initrd and the dtb/);
		expect(refusal(`${header()}  - {kind: boot, node: 1, start: 0x4000_0000, size: 1G}\n`)).toMatch(/is on node 1; the arm64 recipe builds a single-node guest/);
		expect(refusal(`${header()}  - {kind: boot, start: 0x4000_0000, size: 1G}\n  - {kind: hotplug, start: 0x1_0000_0000, size: 1G, state: online}\n`)).toMatch(/kind hotplug: on arm64 only boot memory/);
		expect(refusal(`${header('arm64-16k', '6.1')}  - {kind: boot, start: 0x4000_0000, size: 1G}\n`)).toMatch(/kernel 6\.1 on arm64-16k: Debian has linux-image packages of 6\.12 for it/);
	});
});
