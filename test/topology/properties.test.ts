/**
Properties over many generated inputs: numbers round-trip exactly up to 2^53 - 1 and are refused
beyond; alignment rules accept exactly the aligned ranges.
*/
import fc from 'fast-check';
import {describe, expect, test} from 'vitest';
import {isInputError} from '../../source/errors/input-error.js';
import {formatAddressLiteral, parseNumberText} from '../../source/topology/numbers.js';
import {parse, yaml} from './helpers.js';

const MiB = 2 ** 20;

describe('numbers', () => {
	test('every safe integer round-trips through decimal and grouped hex', () => {
		fc.assert(fc.property(fc.maxSafeNat(), n => {
			expect(parseNumberText(String(n))).toEqual({ok: true, value: n});
			expect(parseNumberText(formatAddressLiteral(n))).toEqual({ok: true, value: n});
		}));
	});

	test('suffixes multiply exactly, and every value beyond 2^53 - 1 is refused', () => {
		const suffixes: Array<[string, bigint]> = [['K', 10n], ['M', 20n], ['G', 30n], ['T', 40n], ['P', 50n]];
		fc.assert(fc.property(fc.bigInt({min: 0n, max: 2n ** 60n}), fc.constantFrom(...suffixes), (n, [letter, shift]) => {
			const exact = n * 2n ** shift;
			const result = parseNumberText(`${n}${letter}`);
			if (exact <= BigInt(Number.MAX_SAFE_INTEGER)) {
				expect(result).toEqual({ok: true, value: Number(exact)});
			} else {
				expect(result.ok).toBe(false);
			}
		}));
	});
});

describe('alignment rules', () => {
	// A test over random device starts in [4 GiB, 8 GiB): accepted at v6.12 exactly when 2 MiB
	// aligned (check_pfn_span() with subsections), at v5.2 exactly when 128 MiB aligned.
	test('device ranges: subsection aligned from v5.3, section aligned before', () => {
		fc.assert(fc.property(fc.integer({min: 0, max: 4 * 1024 * 256 - 1}), fc.constantFrom('6.12', '5.2'), (pages, kernel) => {
			const start = 2 ** 32 + pages * 4096;
			const text = yaml({kernel, entries: ['  - kind: boot', '    start: 0', '    size: 4G', '  - kind: device', '    type: fsdax', `    start: ${start}`, '    size: 128M']});
			const align = kernel === '6.12' ? 2 * MiB : 128 * MiB;
			let accepted = true;
			try {
				parse(text);
			} catch (error) {
				if (!isInputError(error)) {
					throw error;
				}

				accepted = false;
			}

			expect(accepted).toBe(start % align === 0);
		}), {numRuns: 200});
	});
});
