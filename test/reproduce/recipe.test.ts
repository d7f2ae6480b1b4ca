/**
The recipe (source/reproduce/recipe.ts): a topology → QEMU pc options, kernel command line and
guest steps; what QEMU or Debian's kernels cannot realise is refused with one sentence.
*/
import {readFileSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {isInputError} from '../../source/errors/input-error.js';
import {buildRecipe, memparseSize, renderRecipe} from '../../source/reproduce/recipe.js';
import {parseTopology} from '../../source/topology/load.js';

const header = (kernel = '6.12', arch = 'x86_64') => `name: t\narch: ${arch}\nkernel: "${kernel}"\nmemory:\n`;
const lowRam = '  - {kind: boot, start: 0x1000, end: 0x9_f000}\n  - {kind: boot, start: 0x10_0000, end: 0x8000_0000}\n';

function recipe(yaml: string, kernel?: string) {
	return buildRecipe(parseTopology(yaml, 't.yaml', kernel === undefined ? {} : {kernel}), kernel === undefined ? {} : {kernel});
}

function refusal(yaml: string, kernel?: string): string {
	try {
		recipe(yaml, kernel);
	} catch (error) {
		if (isInputError(error)) {
			return error.format();
		}

		throw error;
	}

	throw new Error('expected a refusal');
}

describe('reproduce recipe', () => {
	it('A test that the issue 9 layout (topologies/qemu-pmem-hotplug.yaml) becomes 2 GiB of pc RAM with memmap=496M!1040M, a pc-dimm and an nvdimm at their addresses. Expect the machine args, the command line and the steps in order.', () => {
		//  0          0x4100_0000        0x6000_0000   0x8000_0000 .. 4G        4G+1G      4G+1.5G
		//  |boot RAM   | legacy pmem devdax | boot RAM   |  (PCI)     | pc-dimm  | nvdimm  |
		const topology = parseTopology(readFileSync('topologies/qemu-pmem-hotplug.yaml', 'utf8'), 'topologies/qemu-pmem-hotplug.yaml');
		const r = buildRecipe(topology);
		expect(r.plan.kernel).toBe('6.12');
		expect(r.plan.machineArgs).toEqual([
			'-machine', 'pc,nvdimm=on', '-m', '2G,slots=2,maxmem=4G',
			'-object', 'memory-backend-ram,id=nvdimm0-mem,size=512M', '-device', 'nvdimm,id=nvdimm0,memdev=nvdimm0-mem,addr=0x140000000',
			'-object', 'memory-backend-ram,id=dimm1-mem,size=1G', '-device', 'pc-dimm,id=dimm1,memdev=dimm1-mem,addr=0x100000000',
		]);
		expect(r.plan.cmdline).toEqual(['memmap=496M!1040M', 'memhp_default_state=offline', 'nokaslr']);
		expect(r.plan.modules).toEqual(['nd_e820', 'nfit', 'nd_pmem', 'dax_pmem', 'device_dax']);
		const steps = r.plan.steps.map(s => (s.kind === 'capture' ? `capture ${s.label}` : s.script.split('\n').at(-1)!));
		expect(steps).toEqual([
			'capture boot',
			'ndctl create-namespace -f -e $ns --mode=devdax --map=dev --align=4K >/dev/null',
			'ndctl create-namespace -f -e $ns --mode=fsdax --map=mem --align=4K >/dev/null',
			'for n in $(seq 32 32); do echo online > /sys/devices/system/memory/memory$n/state && echo offline > /sys/devices/system/memory/memory$n/state || exit 1; done',
			'for n in $(seq 33 33); do echo online_movable > /sys/devices/system/memory/memory$n/state || exit 1; done',
			'capture layout',
			'for n in $(seq 34 34); do echo online > /sys/devices/system/memory/memory$n/state || exit 1; done',
			'capture operations[0]',
		]);
		// The namespace is found by its region's start, as regionN/resource prints it.
		expect(r.plan.steps[1]!.kind === 'sh' && r.plan.steps[1]!.script).toContain('= 0x41000000 ]');
		const text = renderRecipe(topology, r);
		expect(text).toContain("-append 'console=ttyS0 memmap=496M!1040M memhp_default_state=offline nokaslr'");
		expect(text).toContain('memory33 onlined to ZONE_MOVABLE');
	});

	it('A test that a hole between boot ranges below 4 GiB becomes memmap=nn$ss and RAM above 4 GiB follows the pc split (3 GiB low). Expect -m 4G and one reserved range.', () => {
		//  0x10_0000  0x4000_0000 0x4020_0000      0xc000_0000  4G      4G+1G
		//  | RAM        | hole (2M) | RAM             |  (PCI hole) | RAM   |
		const r = recipe(`${header()}  - {kind: boot, start: 0x1000, end: 0x9_f000}\n  - {kind: boot, start: 0x10_0000, end: 0x4000_0000}\n  - {kind: boot, start: 0x4020_0000, end: 0xc000_0000}\n  - {kind: boot, start: 0x1_0000_0000, end: 0x1_4000_0000}\n`);
		expect(r.plan.machineArgs).toEqual(['-machine', 'pc', '-m', '4G']);
		expect(r.plan.cmdline).toEqual(['memmap=2M$1G', 'memhp_default_state=offline', 'nokaslr']);
		expect(r.plan.steps).toEqual([{kind: 'capture', label: 'boot'}]);
	});

	it('A test that what QEMU or a Debian kernel cannot give is refused with the reason. Expect one sentence each, naming the entry line where there is one.', () => {
		expect(refusal(`${header('6.12', 'arm64-64k')}  - {kind: boot, start: 0x4000_0000, size: 1G}\n`)).toMatch(/arch arm64-64k: Debian builds arm64 kernels with 4K pages \(-arm64\) and 16K pages \(-arm64-16k\) only/);
		expect(refusal(`${header('5.10')}${lowRam}`)).toMatch(/kernel 5\.10: Debian has linux-image packages of 6\.1 and 6\.12 only/);
		// --kernel chooses the Debian kernel and the semantics together.
		expect(recipe(`${header('5.10')}${lowRam}`, '6.1').plan.kernel).toBe('6.1');
		// 510 MiB is not a multiple of the 16 MiB region alignment (ndctl refused it on 6.12).
		expect(refusal(`${header()}  - {kind: boot, start: 0x1000, end: 0x9_f000}\n  - {kind: boot, start: 0x10_0000, end: 0x4100_0000}\n  - {kind: boot, start: 0x6200_0000, end: 0x8000_0000}\n  - {kind: device, type: devdax, start: 0x4100_0000, size: 510M, altmap: {}}\n`)).toMatch(/^t\.yaml:8:5: .*devdax@0x41000000 .* is not 16 MiB aligned .*size 496 MiB/);
		expect(refusal(`${header()}${lowRam}  - {kind: device, type: generic, start: 0x1_0000_0000, size: 512M}\n`)).toMatch(/type generic: .*dax_hmem, cxl/);
		expect(refusal(`${header()}${lowRam}  - {kind: device, type: fsdax, start: 0x1_0000_0000, size: 512M, altmap: {reserve: 16K}}\n`)).toMatch(/ndctl --map=dev always lays out/);
		// 2 GiB below 4 GiB and 1 GiB above: pc gives 3 GiB below once RAM reaches 3.5 GiB.
		expect(refusal(`${header()}${lowRam}  - {kind: boot, start: 0x1_0000_0000, size: 1G}\n`)).toMatch(/gigabyte_align/);
		expect(refusal(`${header()}  - {kind: boot, start: 0x1000, size: 1G}\n`)).toMatch(/\[0x9f000, 0x100000\)/);
		// A pc-dimm below QEMU's device memory region (it starts at 4 GiB here).
		expect(refusal(`${header()}  - {kind: boot, start: 0x1000, end: 0x9_f000}\n  - {kind: boot, start: 0x10_0000, end: 0x4000_0000}\n  - {kind: hotplug, start: 0x8000_0000, size: 128M}\n`)).toMatch(/below QEMU's device memory region at 0x1_0000_0000/);
		expect(refusal(`${header()}${lowRam}  - {kind: hotplug, start: 0x1_0000_0000, size: 128M, state: offline}\noperations:\n  - {op: remove, start: 0x1_0000_0000}\n`)).toMatch(/QEMU's monitor \(device_del\)/);
	});

	it('A test that sizes are written for QEMU and memparse() with the largest exact unit. Expect 496M, 1040M, 2G and a byte count when no unit divides.', () => {
		expect([memparseSize(496 * 2 ** 20), memparseSize(1040 * 2 ** 20), memparseSize(2 ** 31), memparseSize(0x9_f000), memparseSize(1000)]).toEqual(['496M', '1040M', '2G', '636K', '1000']);
	});
});
