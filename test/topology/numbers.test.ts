import {describe, expect, test} from 'vitest';
import {formatAddressLiteral, formatSize, formatSizeLiteral, parseNumberText} from '../../source/topology/numbers.js';
import {boot, expectRejected, parse, yaml} from './helpers.js';

function value(text: string): number {
	const result = parseNumberText(text);
	if (!result.ok) {
		throw new Error(result.error);
	}

	return result.value;
}

function error(text: string): string {
	const result = parseNumberText(text);
	if (result.ok) {
		throw new Error(`${text} parsed as ${result.value}`);
	}

	return result.error;
}

describe('parseNumberText', () => {
	test('decimal, hex with and without _ separators, binary suffixes', () => {
		expect(value('4096')).toBe(4096);
		expect(value('0')).toBe(0);
		expect(value('0x240000000')).toBe(0x2_4000_0000);
		expect(value('0x2_4000_0000')).toBe(0x2_4000_0000);
		expect(value('0X2_40_00_00_00')).toBe(0x2_4000_0000);
		expect(value('0xAbC')).toBe(0xabc);
		expect(value('8K')).toBe(8192);
		expect(value('128M')).toBe(2 ** 27);
		expect(value('8G')).toBe(8 * 2 ** 30);
		expect(value('64T')).toBe(2 ** 46);
		expect(value('4P')).toBe(2 ** 52);
	});

	test('2^52 is exact and 2^53 - 1 is the largest value accepted', () => {
		expect(value('0x10_0000_0000_0000')).toBe(2 ** 52);
		expect(value('4503599627370496')).toBe(2 ** 52);
		expect(value('0x1f_ffff_ffff_ffff')).toBe(Number.MAX_SAFE_INTEGER);
	});

	test('values of 2^53 and above are errors, never rounded', () => {
		expect(error('0x20_0000_0000_0000')).toContain('beyond the largest safe integer');
		expect(error('9007199254740993')).toContain('0x20000000000001');
		expect(error('8P')).toContain('beyond the largest safe integer');
		// The 64-bit value YAML's own parser would turn into 18446744073709548000.
		expect(error('0xfffffffffffff001')).toContain('0xfffffffffffff001');
	});

	test('negative, fractional, exponent, lower-case suffix, units and misplaced separators are explained', () => {
		expect(error('-4096')).toContain('negative');
		expect(error('1.5G')).toContain('1536M');
		expect(error('1e3')).toContain('exponent');
		expect(error('128m')).toContain('128M');
		expect(error('128MiB')).toContain('only the suffix letter');
		expect(error('0x_1000')).toContain('between two hex digits');
		expect(error('0x1000_')).toContain('between two hex digits');
		expect(error('0x10__00')).toContain('between two hex digits');
		expect(error('1_000')).toContain('0x hex only');
		expect(error('0x10G')).toContain('is not a number');
		expect(error('')).toContain('empty');
		expect(error('lots')).toContain('is not a number');
	});

	test('formatting helpers print exact sizes and grouped hex', () => {
		expect(formatSize(2 ** 21)).toBe('2 MiB');
		expect(formatSize(3 * 2 ** 30)).toBe('3 GiB');
		expect(formatSize(4097)).toBe('4097 bytes');
		expect(formatSizeLiteral(2 ** 27)).toBe('128M');
		expect(formatAddressLiteral(0x2_4000_0000)).toBe('0x2_4000_0000');
		expect(formatAddressLiteral(0)).toBe('0x0');
	});
});

describe('numbers in topology files', () => {
	test('YAML reads numbers from the source text: hex with _, suffixes, and values YAML 1.2 would not read as ints', () => {
		const t = parse(yaml({entries: [...boot('0x0', '0x1_0000_0000'), '  - kind: hotplug', '    start: 0x1_0000_0000', '    end: 0x1_4000_0000']}));
		expect(t.memory[0]!.end).toBe(2 ** 32);
		expect(t.memory[1]!.start).toBe(2 ** 32);
		expect(t.memory[1]!.end).toBe(0x1_4000_0000);
	});

	test('JSON numbers and JSON strings with suffixes are read the same way', () => {
		const json = JSON.stringify({name: 't', arch: 'x86_64', kernel: '6.12', memory: [{kind: 'boot', start: 0, size: '4G'}, {kind: 'hotplug', start: '0x1_0000_0000', size: 1_073_741_824}]}, null, 1);
		const t = parse(json, {}, 't.json');
		expect(t.memory[0]!.end).toBe(2 ** 32);
		expect(t.memory[1]!.end).toBe(2 ** 32 + 2 ** 30);
	});

	test('an address of 2^52 is accepted on x86_64 with max_physmem_bits 52 (5-level paging)', () => {
		// A 64 GiB device-private range ending exactly at 2^52, where request_free_mem_region() puts it.
		const text = yaml({config: ['max_physmem_bits: 52'], entries: [...boot('0', '4G'), '  - kind: device', '    type: private', '    start: 0xf_fff0_0000_0000', '    end: 0x10_0000_0000_0000']});
		const t = parse(text);
		expect(t.config.max_physmem_bits).toBe(52);
		expect(t.memory[1]!.end).toBe(2 ** 52);
		expect(t.warnings).toEqual([]);
	});

	test('the same range is beyond MAX_PHYSMEM_BITS 46 and rejected by mhp_range_allowed()', () => {
		const text = yaml({entries: [...boot('0', '4G'), '  - kind: device', '    type: private', '    start: 0xf_fff0_0000_0000', '    end: 0x10_0000_0000_0000']});
		expectRejected(text, 't.yaml:10:12', ['2^MAX_PHYSMEM_BITS', 'mhp_range_allowed', 'need_mapping = false']);
	});

	test('2^53 in a file is rejected at its line and column, not rounded', () => {
		const text = yaml({entries: ['  - kind: boot', '    start: 0', '    size: 0x20_0000_0000_0000']});
		expectRejected(text, 't.yaml:7:11', ['memory[0].size', 'beyond the largest safe integer']);
	});

	test('negative and fractional sizes are rejected at the value', () => {
		expectRejected(yaml({entries: ['  - kind: boot', '    start: 0', '    size: -4096']}), 't.yaml:7:11', ['memory[0].size', 'negative']);
		expectRejected(yaml({entries: ['  - kind: boot', '    start: 0', '    size: 1.5G']}), 't.yaml:7:11', ['1536M']);
		expectRejected(yaml({entries: ['  - kind: boot', '    start: 0', '    size: 4096.0']}), 't.yaml:7:11', ['whole number']);
	});
});
