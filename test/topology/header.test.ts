/**
Kernel version, --kernel, patches, --patch and config values: each rejection at its file:line:column
(or at the CLI option), naming the rule.
*/
import {describe, expect, test} from 'vitest';
import {boot, expectRejected, inputError, parse, yaml} from './helpers.js';

const BOOT = boot('0', '4G');

describe('kernel version', () => {
	test('an unknown version is rejected at the kernel value with the modelled range', () => {
		expectRejected(yaml({kernel: '7.0', entries: BOOT}), 't.yaml:3:9', ['unknown kernel version "7.0"', 'from 4.13 to 6.18']);
		expectRejected(yaml({kernel: '4.12', entries: BOOT}), 't.yaml:3:9', ['unknown kernel version "4.12"']);
	});

	test('a stable release and a v prefix get a corrected example', () => {
		expectRejected(yaml({kernel: '6.1.76', entries: BOOT}), 't.yaml:3:9', ['stable release', 'give "6.1"']);
		expectRejected(yaml({kernel: 'v6.12', entries: BOOT}), 't.yaml:3:9', ['v prefix', 'write "6.12"']);
	});

	test('--kernel overrides kernel: and is validated with the CLI as the where', () => {
		const t = parse(yaml({kernel: '6.12', entries: BOOT}), {kernel: '5.10'});
		expect(t.kernel).toBe('5.10');
		const error = inputError(yaml({entries: BOOT}), {kernel: '9.9'});
		expect(error.format()).toBe('--kernel: unknown kernel version "9.9": pfnaudit models a mainline release "MAJOR.MINOR" from 4.13 to 6.18 (pfnaudit list kernels); quote it in YAML so that "6.10" is not read as 6.1');
	});

	test('--kernel wins even over an invalid kernel: in the file', () => {
		expect(parse(yaml({kernel: 'nonsense', entries: BOOT}), {kernel: '6.1'}).kernel).toBe('6.1');
	});
});

describe('patches', () => {
	test('an unknown patch is rejected at its list item', () => {
		const text = yaml({arch: 'arm64-4k', extra: ['patches:', '  - arm64-pfn-valid-v3'], entries: BOOT});
		expectRejected(text, 't.yaml:5:5', ['unknown patch "arm64-pfn-valid-v3"', 'arm64-pfn-valid-v2']);
	});

	test('a patch for another arch is rejected', () => {
		const text = yaml({extra: ['patches: [arm64-pfn-valid-v2]'], entries: BOOT});
		expectRejected(text, 't.yaml:4:11', ['applies to arm64-4k, arm64-16k, arm64-64k, not to arch x86_64']);
	});

	// A test of turning off the file's own patches: `--patch none` (also `--no-patch`) drops them
	// all, `--patch none,NAME` applies NAME only, and dropPatches (the dashboard's `p` chooser)
	// drops one by name. A dropped patch is not checked either: an x86_64 file naming an arm64
	// patch loads once the patch is dropped.
	test('--patch none and dropPatches turn off the patches: of the file', () => {
		const text = yaml({arch: 'arm64-4k', extra: ['patches: [arm64-pfn-valid-v2]'], entries: BOOT});
		expect(parse(text, {patches: ['none']}).patches).toEqual([]);
		expect(parse(text, {patches: ['none', 'arm64-pfn-valid-v2']}).patches).toEqual(['arm64-pfn-valid-v2']);
		expect(parse(text, {dropPatches: ['arm64-pfn-valid-v2']}).patches).toEqual([]);
		expect(parse(text).patches).toEqual(['arm64-pfn-valid-v2']);
		expect(parse(yaml({extra: ['patches: [arm64-pfn-valid-v2]'], entries: BOOT}), {patches: ['none']}).patches).toEqual([]);
	});

	test('--patch adds to patches:, once, and is validated with the CLI as the where', () => {
		const t = parse(yaml({arch: 'arm64-4k', extra: ['patches: [arm64-pfn-valid-v2]'], entries: BOOT}), {patches: ['arm64-pfn-valid-v2']});
		expect(t.patches).toEqual(['arm64-pfn-valid-v2']);
		expect(parse(yaml({arch: 'arm64-16k', entries: BOOT}), {patches: ['arm64-pfn-valid-v2']}).patches).toEqual(['arm64-pfn-valid-v2']);
		expect(inputError(yaml({entries: BOOT}), {patches: ['arm64-pfn-valid-v2']}).format()).toMatch(/^--patch: patch "arm64-pfn-valid-v2" applies to arm64/);
		expect(inputError(yaml({entries: BOOT}), {patches: ['nope']}).format()).toMatch(/^--patch: unknown patch "nope"/);
	});
});

describe('config', () => {
	test('max_physmem_bits must be one the arch can have', () => {
		expectRejected(yaml({config: ['max_physmem_bits: 48'], entries: BOOT}), 't.yaml:5:21', ['config.max_physmem_bits 48', 'use one of 46, 52']);
		expect(parse(yaml({arch: 'arm64-4k', config: ['max_physmem_bits: 52'], entries: BOOT})).config.max_physmem_bits).toBe(52);
		expect(parse(yaml({arch: 'riscv64', entries: BOOT})).config.max_physmem_bits).toBe(56);
	});

	test('x86_64 MAX_PHYSMEM_BITS 52 needs 5-level paging (v4.14)', () => {
		const text = yaml({kernel: '4.13', config: ['max_physmem_bits: 52'], entries: BOOT});
		expectRejected(text, 't.yaml:5:21', ['5-level paging', 'v4.14']);
		expect(parse(yaml({kernel: '4.14', config: ['max_physmem_bits: 52'], entries: BOOT})).config.max_physmem_bits).toBe(52);
	});

	test('an explicit memory_block_size must be a power of two of at least a section', () => {
		expectRejected(yaml({config: ['memory_block_size: 384M'], entries: BOOT}), 't.yaml:5:22', ['not a power of two']);
		expectRejected(yaml({config: ['memory_block_size: 64M'], entries: BOOT}), 't.yaml:5:22', ['smaller than one section', '128 MiB']);
		// arm64 4K pages before v5.12: sections are 1 GiB, so 512M is too small there.
		expectRejected(yaml({arch: 'arm64-4k', kernel: '5.11', config: ['memory_block_size: 512M'], entries: BOOT}), 't.yaml:5:22', ['smaller than one section', '1 GiB']);
		const t = parse(yaml({config: ['memory_block_size: 1G'], entries: BOOT}));
		expect(t.config).toMatchObject({memory_block_size: 2 ** 30, memory_block_size_auto: false});
	});

	test('config.hypervisor on another arch is accepted with a warning', () => {
		const t = parse(yaml({arch: 'arm64-4k', config: ['hypervisor: true'], entries: BOOT}));
		expect(t.warnings).toHaveLength(1);
		expect(t.warnings[0]!.message).toContain('no effect on arm64-4k');
		expect(t.warnings[0]!.pos).toEqual({line: 5, column: 15});
	});
});
