/**
The version rules for patches and for arm64 52-bit physical addresses: each rejection at its
file:line:column (or at the CLI option), naming the rule.
*/
import {describe, expect, test} from 'vitest';
import {boot, expectRejected, inputError, parse, yaml} from './helpers.js';

const BOOT = boot('0', '4G');

describe('patch versions', () => {
	test('a backport at or past its mainline release is rejected at its list item', () => {
		const text = yaml({kernel: '5.18', extra: ['patches:', '  - backport-a431dbbc5405'], entries: BOOT});
		expectRejected(text, 't.yaml:5:5', ['backport-a431dbbc5405', 'applies to v4.13-v5.17 only, not to v5.18', 'mainline v5.18', 'change kernel']);
	});

	test('a stable preset only at its own series, also after --kernel', () => {
		expect(parse(yaml({kernel: '5.10', extra: ['patches: [stable-5.10.262]'], entries: BOOT})).patches).toEqual(['stable-5.10.262']);
		const text = yaml({kernel: '5.10', extra: ['patches: [stable-5.10.262]'], entries: BOOT});
		expectRejected(text, 't.yaml:4:11', ['stable-5.10.262', 'v5.10 only, not to v6.1'], {kernel: '6.1'});
		expect(inputError(yaml({kernel: '6.1', entries: BOOT}), {patches: ['stable-6.12.117']}).format()).toMatch(/^--patch: patch "stable-6.12.117" applies to v6.12 only/);
	});

	test('an arm64 backport on x86 is rejected for the arch', () => {
		const text = yaml({kernel: '5.10', extra: ['patches: [backport-eeb0753ba27b]'], entries: BOOT});
		expectRejected(text, 't.yaml:4:11', ['not to arch x86_64', 'change arch']);
	});

	test('a stable release as kernel: names the preset that models it', () => {
		expectRejected(yaml({kernel: '5.10.262', entries: BOOT}), 't.yaml:3:9', ['give "5.10"', 'stable-5.10.262']);
		expectRejected(yaml({kernel: '5.4.280', entries: BOOT}), 't.yaml:3:9', ['give "5.4"', 'stable backports it carries']);
	});
});

describe('arm64 52-bit physical addresses', () => {
	test('4K pages with 52 bits before LPA2 are rejected naming ARM64_PA_BITS_52', () => {
		const text = yaml({arch: 'arm64-4k', kernel: '6.1', config: ['max_physmem_bits: 52'], entries: BOOT});
		expectRejected(text, 't.yaml:5:21', ['CONFIG_ARM64_PA_BITS_52', 'depends on ARM64_64K_PAGES', 'v6.9']);
	});

	test('64K pages at any version and 4K/16K pages from v6.9 are accepted', () => {
		expect(parse(yaml({arch: 'arm64-64k', kernel: '5.10', config: ['max_physmem_bits: 52'], entries: BOOT})).config.max_physmem_bits).toBe(52);
		expect(parse(yaml({arch: 'arm64-4k', kernel: '6.9', config: ['max_physmem_bits: 52'], entries: BOOT})).config.max_physmem_bits).toBe(52);
		expect(parse(yaml({arch: 'arm64-16k', kernel: '6.12', config: ['max_physmem_bits: 52'], entries: BOOT})).config.max_physmem_bits).toBe(52);
	});
});
