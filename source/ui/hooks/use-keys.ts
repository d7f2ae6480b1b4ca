import {type Key, useInput, useStdin} from 'ink';

export type KeyHandler = (input: string, key: Key) => void;

const NO_KEY: Key = {
	upArrow: false,
	downArrow: false,
	leftArrow: false,
	rightArrow: false,
	pageDown: false,
	pageUp: false,
	home: false,
	end: false,
	return: false,
	escape: false,
	ctrl: false,
	shift: false,
	tab: false,
	backspace: false,
	delete: false,
	meta: false,
	super: false,
	hyper: false,
	capsLock: false,
	numLock: false,
};

/**
One character as ink 6.8 reports it when it arrives alone (build/parse-keypress.js, then
hooks/use-input.js): Return keeps its '\r' as input, Tab, Backspace and DEL arrive as flags with
no input, NUL and 0x01–0x1a other than those are Ctrl+letter (the letter, key.ctrl), and '\n'
(ink's 'enter', not `return`), 0x1c–0x1f and printable characters pass as they are.
*/
function charKey(char: string): [string, Key] {
	switch (char) {
		case '\r': {
			return [char, {...NO_KEY, return: true}];
		}

		case '\t': {
			return ['', {...NO_KEY, tab: true}];
		}

		case '\b': {
			return ['', {...NO_KEY, backspace: true}];
		}

		case '\u007F': {
			// ink 6.8 reports DEL (what Backspace sends) as `delete`.
			return ['', {...NO_KEY, delete: true}];
		}

		default: {
			if (char !== '\n' && char <= '\u001A') {
				return [String.fromCodePoint((char.codePointAt(0) ?? 0) + 0x60), {...NO_KEY, ctrl: true}];
			}

			return [char, {...NO_KEY, shift: /^[A-Z]$/.test(char)}];
		}
	}
}

/**
The key presses in one input event. ink 6.8's input parser (build/input-parser.js) splits escape
sequences apart but hands a run of plain characters to useInput as one string, as it does a
paste: keys typed faster than a read (a pty or tmux send-keys, auto-repeat, " \r" for Space then
Enter) would match no handler and be lost. Such a run is split into one press per character,
each described as ink describes that character alone; every handler here builds on refs
(useLatestState), so a burst acts as the same keys one by one, and a paste into a text field
appends the same text. Escape sequences and single keys pass through unchanged.
*/
export function splitKeys(input: string, key: Key): Array<[string, Key]> {
	const chars = [...input];
	if (chars.length < 2 || input.includes('\u001B') || key.ctrl || key.meta) {
		return [[input, key]];
	}

	return chars.map(char => charKey(char));
}

/**
useInput that never enables raw mode on a stdin that cannot do it: `isRawModeSupported` is
undefined for pipes, and ink only skips raw mode for `isActive === false`,
so the comparison must be `=== true`. Bursts of plain characters reach `handler` one key at a
time (splitKeys()).
*/
export function useKeys(handler: KeyHandler, active = true): void {
	const {isRawModeSupported} = useStdin();
	useInput(
		(input, key) => {
			for (const [one, oneKey] of splitKeys(input, key)) {
				handler(one, oneKey);
			}
		},
		{isActive: active && isRawModeSupported === true},
	);
}
