/**
memory_block_size_bytes() by arch and version (source/model/memory-block.ts).
*/
import {describe, expect, test} from 'vitest';
import {v} from '../../source/kernel/version.js';
import {type Arch, geometryFor} from '../../source/model/geometry.js';
import {explicitMemoryBlockSizeProblem, memory_block_size_bytes} from '../../source/model/memory-block.js';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

function block(arch: Arch, kernel: string, boot_mem_end: number, hypervisor = false): number {
	const version = v(kernel);
	return memory_block_size_bytes({arch, kernel: version, geometry: geometryFor(arch, version), boot_mem_end, hypervisor}).bytes;
}

describe('x86_64 probe_memory_block_size()', () => {
	test('128 MiB while boot memory ends below 64 GiB (MEM_SIZE_FOR_LARGE_BLOCK), any version, VM or not', () => {
		for (const kernel of ['4.13', '5.10', '6.12']) {
			expect(block('x86_64', kernel, 24 * GiB)).toBe(128 * MiB);
			expect(block('x86_64', kernel, 64 * GiB - 128 * MiB, true)).toBe(128 * MiB);
		}
	});

	test('from v5.8 bare metal with >= 64 GiB uses MAX_BLOCK_SIZE = 2 GiB, whatever the end alignment', () => {
		expect(block('x86_64', '5.8', 64 * GiB + 128 * MiB)).toBe(2 * GiB);
		expect(block('x86_64', '6.12', 97 * GiB)).toBe(2 * GiB);
	});

	test('a VM with >= 64 GiB uses the largest power of two <= 2 GiB that divides the end of boot memory', () => {
		expect(block('x86_64', '6.12', 96 * GiB, true)).toBe(2 * GiB);
		expect(block('x86_64', '6.12', 97 * GiB, true)).toBe(GiB);
		expect(block('x86_64', '6.12', 64 * GiB + 384 * MiB, true)).toBe(128 * MiB);
		expect(block('x86_64', '6.12', 64 * GiB + 512 * MiB, true)).toBe(512 * MiB);
	});

	test('v4.17 to v5.7 apply the alignment loop on bare metal too', () => {
		expect(block('x86_64', '5.7', 97 * GiB)).toBe(GiB);
		expect(block('x86_64', '4.17', 97 * GiB)).toBe(GiB);
	});

	test('before v4.17: 2 GiB from 64 GiB of boot memory on', () => {
		expect(block('x86_64', '4.16', 97 * GiB)).toBe(2 * GiB);
		expect(block('x86_64', '4.13', 64 * GiB)).toBe(2 * GiB);
	});
});

describe('other arches', () => {
	test('arm64 uses the section: 1 GiB up to v5.11, 128 MiB (4K, 16K) or 512 MiB (64K) from v5.12', () => {
		expect(block('arm64-4k', '5.11', 8 * GiB)).toBe(GiB);
		expect(block('arm64-64k', '5.11', 8 * GiB)).toBe(GiB);
		expect(block('arm64-4k', '5.12', 8 * GiB)).toBe(128 * MiB);
		expect(block('arm64-16k', '6.12', 8 * GiB)).toBe(128 * MiB);
		expect(block('arm64-64k', '5.12', 8 * GiB)).toBe(512 * MiB);
	});

	test('riscv64 128 MiB, s390x 256 MiB (max(section, rzm)), ppc64 256 MiB (pseries LMB)', () => {
		expect(block('riscv64', '6.12', 8 * GiB)).toBe(128 * MiB);
		expect(block('s390x', '6.12', 8 * GiB)).toBe(256 * MiB);
		expect(block('ppc64-64k', '6.12', 8 * GiB)).toBe(256 * MiB);
	});

	test('memory_block_size auto never depends on the VM knob outside x86_64', () => {
		expect(block('arm64-4k', '6.12', 128 * GiB, true)).toBe(block('arm64-4k', '6.12', 128 * GiB, false));
	});
});

describe('explicit memory_block_size', () => {
	test('a power of two of at least one section', () => {
		const g = geometryFor('x86_64', v('6.12'));
		expect(explicitMemoryBlockSizeProblem(128 * MiB, g)).toBeUndefined();
		expect(explicitMemoryBlockSizeProblem(2 * GiB, g)).toBeUndefined();
		expect(explicitMemoryBlockSizeProblem(64 * MiB, g)).toContain('smaller than one section');
		expect(explicitMemoryBlockSizeProblem(384 * MiB, g)).toContain('not a power of two');
		expect(explicitMemoryBlockSizeProblem(16 * MiB, geometryFor('ppc64-64k', v('6.12')))).toBeUndefined();
	});
});
