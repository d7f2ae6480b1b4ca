/**
The arm64 recipe (source/reproduce/recipe-arm64.ts): a topology → QEMU virt arguments and the
no-map children of /reserved-memory, or one sentence saying why QEMU's virt machine or Debian's
arm64 kernels cannot give it.
*/
import {describe, expect, it} from 'vitest';
import {isInputError} from '../../source/errors/input-error.js';
import {addReservedMemory, reservedMemoryNode} from '../../source/reproduce/recipe-arm64.js';
import {buildRecipe, renderRecipe} from '../../source/reproduce/recipe.js';
import {readFileSync} from 'node:fs';
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
		// RAM elsewhere than 1 GiB, a hole between boot ranges, a no-map over QEMU's initrd, 16K pages at 6.1.
		expect(refusal(`${header()}  - {kind: boot, start: 0x8000_0000, size: 1G}\n`)).toMatch(/starts at 0x8000_0000, but QEMU's virt machine puts RAM at 0x4000_0000/);
		expect(refusal(`${header()}  - {kind: boot, start: 0x4000_0000, size: 512M}\n  - {kind: boot, start: 0x6400_0000, size: 512M}\n`)).toMatch(/one range without holes/);
		expect(refusal(`${header()}  - {kind: boot, start: 0x4000_0000, size: 1G, nomap: [{start: 0x4800_1000, end: 0x4800_4000}]}\n`)).toMatch(/t\.yaml:5:\d+: .*where QEMU loads the kernel Image, the initrd and the dtb/);
		expect(refusal(`${header('arm64-16k', '6.1')}  - {kind: boot, start: 0x4000_0000, size: 1G}\n`)).toMatch(/kernel 6\.1 on arm64-16k: Debian has linux-image packages of 6\.12 for it/);
	});

	it('A test that topologies/qemu-arm64-numa-split.yaml puts its two nodes on -numa node,memdev=. Expect a 1000 MiB memory backend per node in node id order (QEMU lays them out from 0x4000_0000 in that order), node 0 ending at 0x7e80_0000 inside section 15', () => {
		// 0x40000 node 0 | 0x78000 section 15 | 0x7e800 node 1 | 0x80000 | ... 0xbd000
		const r = buildRecipe(loadTopologyFile(new URL('../../topologies/qemu-arm64-numa-split.yaml', import.meta.url).pathname));
		expect(r.plan.machineArgs).toEqual([
			'-machine', 'virt', '-cpu', 'max', '-m', '2000M',
			'-object', 'memory-backend-ram,id=ram-node0,size=1000M', '-numa', 'node,nodeid=0,memdev=ram-node0',
			'-object', 'memory-backend-ram,id=ram-node1,size=1000M', '-numa', 'node,nodeid=1,memdev=ram-node1',
		]);
		expect(r.plan.steps).toEqual([{kind: 'capture', label: 'boot'}]);
	});

	it('A test of NUMA layouts QEMU\'s virt machine cannot give. Expect one sentence each: nodes out of address order, a node in two ranges, a node boundary off a MiB', () => {
		// [0x4000_0000, 0x6000_0000) node 1 | [0x6000_0000, 0x8000_0000) node 0: QEMU puts node 0 first.
		expect(refusal(`${header()}  - {kind: boot, node: 1, start: 0x4000_0000, size: 512M}\n  - {kind: boot, node: 0, start: 0x6000_0000, size: 512M}\n`)).toMatch(/t\.yaml:5:\d+: .*is on node 1 but is the first boot range: QEMU's virt machine lays the nodes' RAM out from 0x4000_0000 in node id order/);
		expect(refusal(`${header()}  - {kind: boot, start: 0x4000_0000, size: 256M}\n  - {kind: boot, node: 1, start: 0x5000_0000, size: 256M}\n  - {kind: boot, start: 0x6000_0000, size: 256M}\n`)).toMatch(/is on node 0 again after other nodes/);
		expect(refusal(`${header()}  - {kind: boot, start: 0x4000_0000, end: 0x4c08_0000}\n  - {kind: boot, node: 1, start: 0x4c08_0000, end: 0x5000_0000}\n`)).toMatch(/node 0's boot memory .* not a whole number of MiB/);
	});

	it('A test of virtio-mem on a two-node guest: Linux booted from a device tree ignores the device\'s node= (read only through ACPI, VIRTIO_MEM_F_ACPI_PXM) and takes memory_add_physaddr_to_nid(). Expect node 1 refused on 6.1 (its stub says node 0) and node 0 refused on 6.12 (numa_meminfo.blk[0]: the first memory node of QEMU\'s device tree, node 1); the accepted ones passed as node= too', () => {
		// 0x40000 node 0 | 0x7e800 node 1 | 0xbd000 hole | 0xc0000 virtio-mem memory24-25 | 0xd0000
		const split = readFileSync(new URL('../../topologies/qemu-arm64-numa-split.yaml', import.meta.url).pathname, 'utf8');
		const hot = (node: number, kernel: string) => `${split.replace('kernel: "6.12"', `kernel: "${kernel}"`)}  - {kind: hotplug, node: ${node}, start: 0xc000_0000, size: 256M, state: online}\n`;
		expect(refusal(hot(1, '6.1'))).toMatch(/is on node 1, but on a device-tree boot Debian's 6\.1 arm64 kernel puts virtio-mem memory on node 0 .*kernel\/numa\.c stub.*write node: 0/);
		expect(refusal(hot(0, '6.12'))).toMatch(/is on node 0, but on a device-tree boot Debian's 6\.12 arm64 kernel puts virtio-mem memory on node 1 .*numa_meminfo\.blk\[0\].*write node: 1/);
		expect(buildRecipe(parseTopology(hot(1, '6.12'), 't.yaml')).plan.machineArgs.at(-1)).toBe('virtio-mem-pci,id=vmem0,memdev=vmem0-mem,memaddr=0xc0000000,requested-size=256M,node=1');
		expect(buildRecipe(parseTopology(hot(0, '6.1'), 't.yaml')).plan.machineArgs.at(-1)).toBe('virtio-mem-pci,id=vmem0,memdev=vmem0-mem,memaddr=0xc0000000,requested-size=256M,node=0');
	});

	it('A test that topologies/qemu-arm64-virtio-mem.yaml hot-adds its 256 MiB at 0xc000_0000 through virtio-mem. Expect maxmem for the device memory region from ROUND_UP(0xbd00_0000, 1 GiB), a fully plugged virtio-mem-pci at memaddr 0xc0000000, virtio_mem loaded, auto-online (memhp_default_state=online) and a wait for memory24-25 online before the one capture', () => {
		// 0x40000 RAM (ZONE_DMA) 0xbd000 | hole | 0xc0000 memory24 | 0xc8000 memory25 | 0xd0000: virtio-mem, online
		const topology = loadTopologyFile(new URL('../../topologies/qemu-arm64-virtio-mem.yaml', import.meta.url).pathname);
		const r = buildRecipe(topology);
		expect(r.plan.machineArgs).toEqual([
			'-machine', 'virt', '-cpu', 'max', '-m', '2000M,maxmem=2256M',
			'-object', 'memory-backend-ram,id=vmem0-mem,size=256M',
			'-device', 'virtio-mem-pci,id=vmem0,memdev=vmem0-mem,memaddr=0xc0000000,requested-size=256M',
		]);
		expect(r.plan.modules).toEqual(['virtio_mem']);
		expect(r.plan.cmdline).toEqual(['memhp_default_state=online', 'nokaslr']);
		expect(r.plan.steps.map(s => s.kind === 'sh' ? s.why : `capture ${s.label}`)).toEqual([
			'hotplug@0xc0000000: wait until virtio_mem has plugged memory24-memory25 and the kernel has auto-onlined them (online)',
			'capture layout',
		]);
		expect((r.plan.steps[0] as {script: string}).script).toContain('for n in $(seq 24 25)');
	});

	it('A test of a virtio-mem range whose blocks differ: memory24 online_movable, memory25 left offline. Expect the kernel told to leave new blocks offline and memory24 onlined through sysfs, memory25 untouched', () => {
		// 0xc0000 memory24 online_movable | 0xc8000 memory25 offline | 0xd0000
		const r = buildRecipe(parseTopology(`${header()}  - {kind: boot, start: 0x4000_0000, size: 2000M}\n  - {kind: hotplug, start: 0xc000_0000, size: 256M, state: online_movable, blocks: [{start: 0xc800_0000, size: 128M, state: offline}]}\n`, 't.yaml'));
		expect(r.plan.cmdline).toEqual(['memhp_default_state=offline', 'nokaslr']);
		expect(r.plan.steps.map(s => s.kind === 'sh' ? s.why : `capture ${s.label}`)).toEqual([
			'hotplug@0xc0000000: wait until virtio_mem has plugged memory24-memory25',
			'hotplug@0xc0000000: memory24 onlined to ZONE_MOVABLE (online_pages())',
			'capture layout',
		]);
		expect((r.plan.steps[1] as {script: string}).script).toBe('for n in $(seq 24 24); do echo online_movable > /sys/devices/system/memory/memory$n/state || exit 1; done');
	});

	it('A test that topologies/qemu-arm64-uefi-nvdimm.yaml boots under UEFI with ACPI and two NFIT nvdimms. Expect -machine virt,acpi=on,nvdimm=on, slots and maxmem for the device memory region from 0xc000_0000, the AAVMF firmware, the nvdimm modules, and each region made a namespace through sysfs (devdax: dax_seed, align 4K — PAGE_SIZE, not the 2 MiB default, which would give compound pages the topology does not ask for —, mode pmem, dax_pmem; fsdax: pfn_seed, align 4K, mode ram, nd_pmem) before the one capture', () => {
		// 0x40000 RAM 0xbd000 | hole | 0xc0000 devdax (map=dev) 0xe0000 | fsdax (map=mem) 0xf0000
		const topology = loadTopologyFile(new URL('../../topologies/qemu-arm64-uefi-nvdimm.yaml', import.meta.url).pathname);
		const r = buildRecipe(topology);
		expect(r.plan.machineArgs).toEqual([
			'-machine', 'virt,acpi=on,nvdimm=on', '-cpu', 'max', '-m', '2000M,slots=2,maxmem=2768M',
			'-object', 'memory-backend-ram,id=nvdimm0-mem,size=512M', '-device', 'nvdimm,id=nvdimm0,memdev=nvdimm0-mem,addr=0xc0000000',
			'-object', 'memory-backend-ram,id=nvdimm1-mem,size=256M', '-device', 'nvdimm,id=nvdimm1,memdev=nvdimm1-mem,addr=0xe0000000',
		]);
		expect(r.plan.firmware).toEqual({code: '/usr/share/AAVMF/AAVMF_CODE.fd', vars: '/usr/share/AAVMF/AAVMF_VARS.fd'});
		expect(r.plan.reservedNomap).toBeUndefined();
		expect(r.plan.modules).toEqual(['nfit', 'nd_pmem', 'dax_pmem', 'device_dax']);
		const [devdax, fsdax, capture] = r.plan.steps;
		expect(devdax).toMatchObject({kind: 'sh', script: expect.stringMatching(/= 0xc0000000 \] && r=\$x[\s\S]*cat \$r\/dax_seed[\s\S]*echo 4096 > \$nd\/\$s\/align[\s\S]*echo pmem > \$nd\/\$s\/mode[\s\S]*drivers\/dax_pmem\/bind/)});
		expect(fsdax).toMatchObject({kind: 'sh', script: expect.stringMatching(/= 0xe0000000 \] && r=\$x[\s\S]*cat \$r\/pfn_seed[\s\S]*echo 4096 > \$nd\/\$s\/align[\s\S]*echo ram > \$nd\/\$s\/mode[\s\S]*drivers\/nd_pmem\/bind/)});
		expect(capture).toEqual({kind: 'capture', label: 'layout'});
		expect(r.plan.steps).toHaveLength(3);
		expect(renderRecipe(topology, r)).toContain('-drive if=pflash,format=raw,readonly=on,file=/usr/share/AAVMF/AAVMF_CODE.fd');
	});

	it('A test that what UEFI and the nvdimms cannot give is refused. Expect one sentence each: a device on 6.1 (no CONFIG_ZONE_DEVICE), nomap under UEFI, a device below the device memory region, --uefi on x86_64', () => {
		const boot = `${header()}  - {kind: boot, start: 0x4000_0000, size: 2000M}\n`;
		expect(refusal(`${header('arm64-4k', '6.1')}  - {kind: boot, start: 0x4000_0000, size: 2000M}\n  - {kind: device, type: devdax, start: 0xc000_0000, size: 512M, altmap: {}}\n`)).toMatch(/t\.yaml:6:\d+: .*Debian's 6\.1 arm64 kernel is built without CONFIG_ZONE_DEVICE/);
		expect(refusal(`${header()}  - {kind: boot, start: 0x4000_0000, size: 2000M, nomap: [{start: 0x5000_0000, end: 0x5020_0000}]}\n  - {kind: device, type: fsdax, start: 0xc000_0000, size: 512M}\n`)).toMatch(/under UEFI \(fsdax@0xc0000000 is an ACPI NFIT nvdimm, which needs it\) the kernel takes its memory map from the firmware/);
		const withNomap = parseTopology(`${header()}  - {kind: boot, start: 0x4000_0000, size: 2000M, nomap: [{start: 0x5000_0000, end: 0x5020_0000}]}\n`, 't.yaml');
		expect(() => buildRecipe(withNomap, {uefi: true})).toThrow(/under UEFI \(--uefi\)/);
		expect(buildRecipe(withNomap).plan.firmware).toBeUndefined();
		expect(refusal(`${boot}  - {kind: device, type: devdax, start: 0xbe00_0000, size: 16M}\n`)).toMatch(/below QEMU's device memory region at 0xc000_0000 where -device nvdimm goes/);
		const x86 = parseTopology('name: t\narch: x86_64\nkernel: "6.12"\nmemory:\n  - {kind: boot, start: 0x10_0000, end: 0x4000_0000}\n', 't.yaml');
		expect(() => buildRecipe(x86, {uefi: true})).toThrow(/--uefi is for arm64 guests/);
		// With 16K pages a device without align: has no nd_pfn->align that realises it.
		const k16 = `name: t\narch: arm64-16k\nkernel: "6.12"\nmemory:\n  - {kind: boot, start: 0x4000_0000, size: 2048M}\n`;
		expect(refusal(`${k16}  - {kind: device, type: devdax, start: 0xc000_0000, size: 512M, altmap: {}}\n`)).toMatch(/t\.yaml:6:\d+: .*has no align:.*write align: the page size or 32M/);
	});

	it('A test that what virtio-mem on the virt machine cannot place is refused. Expect one sentence each: below the device memory region, memmap_on_memory', () => {
		// RAM [0x4000_0000, 0xb800_0000): device memory region from 0xc000_0000; [0xb800_0000, 0xc000_0000) is neither.
		const boot = `${header()}  - {kind: boot, start: 0x4000_0000, size: 1920M}\n`;
		expect(refusal(`${boot}  - {kind: hotplug, start: 0xb800_0000, size: 128M, state: online}\n`)).toMatch(/t\.yaml:6:\d+: .*starts at 0xb800_0000, below QEMU's device memory region at 0xc000_0000 where virtio-mem goes/);
		expect(refusal(`${boot}  - {kind: hotplug, start: 0xc000_0000, size: 128M, state: online, memmap_on_memory: true}\n`)).toMatch(/virtio-mem's add_memory_driver_managed\(\) .*passes only MHP_MERGE_RESOURCE/);
	});
});
