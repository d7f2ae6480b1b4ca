/**
Windowing for long lists (witnesses, walkers, kernels): only the visible slice is ever handed to
React, so ten thousand witnesses cost what twenty do.
*/

/** First visible index that keeps `cursor` in a window of `height` rows, centred where possible. */
export function windowStart(total: number, cursor: number, height: number): number {
	if (height <= 0 || total <= height) {
		return 0;
	}

	const centred = cursor - Math.floor(height / 2);
	return Math.min(Math.max(0, centred), total - height);
}

/** Clamp a cursor into [0, total). */
export function clampCursor(cursor: number, total: number): number {
	return total <= 0 ? 0 : Math.min(Math.max(0, cursor), total - 1);
}

export type MoveKey = {
	readonly upArrow: boolean;
	readonly downArrow: boolean;
	readonly pageUp: boolean;
	readonly pageDown: boolean;
	readonly home: boolean;
	readonly end: boolean;
};

/**
The cursor after a movement key (arrows, j/k when `vim`, PgUp/PgDn by `page`, Home/End, g/G),
or undefined when the key is not a movement key.
*/
export function moveCursor(input: string, key: MoveKey, cursor: number, total: number, page: number, vim = true): number | undefined {
	let next: number | undefined;
	if (key.downArrow || (vim && input === 'j')) {
		next = cursor + 1;
	} else if (key.upArrow || (vim && input === 'k')) {
		next = cursor - 1;
	} else if (key.pageDown) {
		next = cursor + Math.max(1, page);
	} else if (key.pageUp) {
		next = cursor - Math.max(1, page);
	} else if (key.home || (vim && input === 'g')) {
		next = 0;
	} else if (key.end || (vim && input === 'G')) {
		next = total - 1;
	}

	return next === undefined ? undefined : clampCursor(next, total);
}
