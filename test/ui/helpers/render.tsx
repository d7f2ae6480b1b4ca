/**
Render an Ink tree at a fixed terminal size. ink-testing-library fixes columns at 100 and has no
rows; the dashboard sizes itself from both, so this helper provides a stdout with settable
`columns`/`rows` that emits 'resize', and a TTY stdin.
*/
import {EventEmitter} from 'node:events';
import {render} from 'ink';
import React, {type ReactElement} from 'react';
import {makeTheme, ThemeContext} from '../../../source/ui/theme.js';

class TestStdout extends EventEmitter {
	readonly isTTY = true;
	frames: string[] = [];
	constructor(
		public columns: number,
		public rows: number,
	) {
		super();
	}

	write = (frame: string): boolean => {
		this.frames.push(frame);
		return true;
	};

	resize(columns: number, rows: number): void {
		this.columns = columns;
		this.rows = rows;
		this.emit('resize');
	}
}

class TestStdin extends EventEmitter {
	readonly isTTY = true;
	private data: string | null = null;
	write = (data: string): void => {
		this.data = data;
		this.emit('readable');
		this.emit('data', data);
	};

	read = (): string | null => {
		const {data} = this;
		this.data = null;
		return data;
	};

	setEncoding(): void {}
	setRawMode(): void {}
	resume(): void {}
	pause(): void {}
	ref(): void {}
	unref(): void {}
}

const ANSI = /\u001B\[[\d;?]*[A-Za-z]/g;

export function stripAnsi(text: string): string {
	return text.replace(ANSI, '');
}

export type Rendered = {
	/** The last frame without escape sequences. */
	frame(): string;
	lines(): string[];
	stdout: TestStdout;
	press(...keys: string[]): Promise<void>;
	unmount(): void;
	rerender(tree: ReactElement): void;
	/** ink's waitUntilExit(): settles when the app calls exit() (rejects with exit(error)'s error). */
	exited: Promise<unknown>;
};

/**
Let React 19's scheduler flush effects between keystrokes (Shopify CLI's pattern, three rounds):
ink re-subscribes useInput handlers in passive effects, and a lone Esc is itself delivered from a
setImmediate, so one round can return before the handlers of the new view are listening.
*/
export async function tick(): Promise<void> {
	for (let round = 0; round < 3; round++) {
		await new Promise(resolve => {
			setImmediate(() => setTimeout(resolve, 0));
		});
	}
}

export function renderAt(tree: ReactElement, size: {columns: number; rows: number; ascii?: boolean}): Rendered {
	const stdout = new TestStdout(size.columns, size.rows);
	const stdin = new TestStdin();
	const wrap = (node: ReactElement): ReactElement => <ThemeContext.Provider value={makeTheme(size.ascii ?? false)}>{node}</ThemeContext.Provider>;
	const instance = render(wrap(tree), {
		stdout: stdout as unknown as NodeJS.WriteStream,
		stdin: stdin as unknown as NodeJS.ReadStream,
		debug: true,
		exitOnCtrlC: false,
		patchConsole: false,
	});
	const frame = (): string => stripAnsi(stdout.frames.at(-1) ?? '');
	const exited = instance.waitUntilExit();
	// Most tests never exit the app: keep an unawaited rejection quiet.
	exited.catch(() => undefined);
	return {
		exited,
		frame,
		lines: () => frame().split('\n'),
		stdout,
		async press(...keys) {
			for (const key of keys) {
				stdin.write(key);
				await tick();
			}
		},
		unmount: () => {
			instance.unmount();
			instance.cleanup();
		},
		rerender: node => {
			instance.rerender(wrap(node));
		},
	};
}

/** Poll `check` until it stops throwing (or returns true), or fail after `timeout` ms. */
export async function waitFor(check: () => boolean | void, timeout = 5000, what = 'condition'): Promise<void> {
	const started = Date.now();
	let last: unknown;
	for (;;) {
		try {
			if (check() !== false) {
				return;
			}
		} catch (error) {
			last = error;
		}

		if (Date.now() - started > timeout) {
			throw new Error(`timed out waiting for ${what}${last instanceof Error ? `: ${last.message}` : ''}`);
		}

		await new Promise(resolve => setTimeout(resolve, 15));
	}
}

export const KEYS = {
	up: '\u001B[A',
	down: '\u001B[B',
	right: '\u001B[C',
	left: '\u001B[D',
	enter: '\r',
	escape: '\u001B',
	tab: '\t',
	shiftTab: '\u001B[Z',
	pageDown: '\u001B[6~',
	pageUp: '\u001B[5~',
	backspace: '\u007F',
	ctrlC: '\u0003',
} as const;

/** waitFor on the app's last frame; the frame is in the error when it times out. */
export async function waitForFrame(app: Rendered, check: (frame: string) => boolean, what: string, timeout = 5000): Promise<void> {
	try {
		await waitFor(() => check(app.frame()), timeout, what);
	} catch (error) {
		throw new Error(`${(error as Error).message}\n--- last frame ---\n${app.frame()}`);
	}
}
