/**
The visible screen of a headless xterm (@xterm/headless), one string per row with trailing spaces
trimmed: what the key-to-screen bench (bench/keys.ts) and the dashboard's end-to-end tests
(test/ui/e2e/pty.ts) read off the pseudo-terminal. Typed by shape so that the bench can load
@xterm/headless lazily (it is a devDependency).
*/
export type ScreenTerminal = {
	readonly rows: number;
	readonly buffer: {readonly active: {readonly viewportY: number; getLine(row: number): {translateToString(trim: boolean): string} | undefined}};
};

export function screenLines(term: ScreenTerminal): string[] {
	const out: string[] = [];
	const buffer = term.buffer.active;
	for (let row = 0; row < term.rows; row++) {
		out.push(buffer.getLine(buffer.viewportY + row)?.translateToString(true) ?? '');
	}

	return out;
}
