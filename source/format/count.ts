/**
The one count formatter of every surface: the text report's table and pass lines, the dashboard's
tally, witness pane, map status line and rate. A count reads the same wherever it is shown
(1,587,200 is `1.59M` in the dashboard and in the text report alike); the JSON report keeps the
exact numbers.
*/

/** Units for compact counts: decimal, because these are counts of touches and pfns, not sizes. */
const UNITS = ['k', 'M', 'G', 'T', 'P'] as const;

/** `value` with at most `significant` digits before and after the point together (rounded). */
function significantDigits(value: number, significant: number): string {
	for (let decimals = significant - 1; decimals > 0; decimals--) {
		const text = value.toFixed(decimals);
		if (text.indexOf('.') + decimals <= significant) {
			return text;
		}
	}

	return value.toFixed(0);
}

/**
A count in at most `width` characters (5, or 4 for a signed delta that must fit the same cell):
exact below 10^(width-1), else rounded to width-2 significant digits with a decimal unit
(width 5: 12030 → `12.0k`, 262144 → `262k`, 1587200 → `1.59M`, 999500 → `1.00M`; width 4:
1587200 → `1.6M`, 65536 → `66k`). Every safe integer fits (2^53 - 1 → `9.01P`).
*/
export function compactCount(n: number, width: 4 | 5 = 5): string {
	if (n < 10 ** (width - 1)) {
		return String(n);
	}

	let value = n;
	let unit = -1;
	while (value >= 999.5 && unit < UNITS.length - 1) {
		value /= 1000;
		unit++;
	}

	return `${significantDigits(value, width - 2)}${UNITS[unit] ?? ''}`;
}
