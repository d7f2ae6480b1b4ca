/**
Draws the dashboard full screen and gives the terminal back on every way out: `q`, Ctrl+C,
SIGTERM/SIGHUP, and an uncaught error. ink 6.8 has no alternateScreen option, so the alternate
screen is entered by hand before render() and left after waitUntilExit().
*/
import {render} from 'ink';
import React from 'react';
import {isInputError} from '../errors/input-error.js';
import App from './components/App.js';
import type {AuditRequest, DashboardPort} from './port.js';
import {isAsciiOnly} from './terminal.js';
import {makeTheme, ThemeContext} from './theme.js';

/** Enter the alternate screen, clear it, cursor home. */
export const ENTER_ALT_SCREEN = '\u001B[?1049h\u001B[H\u001B[2J';
/** Show the cursor and leave the alternate screen (the shell's screen comes back as it was). */
export const LEAVE_ALT_SCREEN = '\u001B[?25h\u001B[?1049l';

export type DashboardOptions = {
	readonly port: DashboardPort;
	readonly request: AuditRequest;
	readonly stdout: NodeJS.WriteStream;
	readonly stdin: NodeJS.ReadStream;
	readonly stderr: NodeJS.WriteStream;
	readonly env: NodeJS.ProcessEnv;
};

/**
Exit codes: 0 after `q`, 130 after Ctrl+C, 128 + signal number after a signal, 3 after a crash.
The screen is drawn before the topology is read: when the command line's topology, kernel, patch
or walker turns out bad (an InputError while loading), the terminal is given back and the error
is thrown for the command to report in one sentence (exit 2).
*/
export async function runDashboard(options: DashboardOptions): Promise<number> {
	const {stdout, stderr} = options;
	let restored = false;
	const restore = (): void => {
		if (!restored) {
			restored = true;
			try {
				stdout.write(LEAVE_ALT_SCREEN);
			} catch {
				// stdout is gone (hang-up): nothing left to restore.
			}
		}
	};

	stdout.write(ENTER_ALT_SCREEN);
	let instance: ReturnType<typeof render>;
	try {
		// incrementalRendering stays off: with it, ink 6.8 left the first frame's top line behind
		// in the alternate screen (seen in tmux at 80x24).
		instance = render(
			<ThemeContext.Provider value={makeTheme(isAsciiOnly(options.env))}>
				<App exitOnLoadError port={options.port} request={options.request} />
			</ThemeContext.Provider>,
			{stdout, stdin: options.stdin, stderr, exitOnCtrlC: true, patchConsole: false, maxFps: 60, incrementalRendering: false},
		);
	} catch (error) {
		restore();
		throw error;
	}

	let signalCode: number | undefined;
	const onSignal = (code: number) => (): void => {
		signalCode = code;
		instance.unmount();
	};

	const onTerm = onSignal(143);
	const onHup = onSignal(129);
	const onInt = onSignal(130);
	const onCrash = (error: unknown): void => {
		try {
			instance.unmount();
		} finally {
			restore();
			const message = error instanceof Error ? error.message : String(error);
			stderr.write(`pfnaudit: internal error in the dashboard: ${message}\n`);
			if (error instanceof Error && error.stack && options.env.PFNAUDIT_DEBUG === '1') {
				stderr.write(`${error.stack}\n`);
			}

			process.exit(3);
		}
	};

	process.on('SIGTERM', onTerm);
	process.on('SIGHUP', onHup);
	// With raw mode (a TTY stdin) Ctrl+C arrives as input and ink exits; without it, as SIGINT.
	process.on('SIGINT', onInt);
	process.on('uncaughtException', onCrash);
	process.on('unhandledRejection', onCrash);
	process.on('exit', restore);
	try {
		const result = await instance.waitUntilExit();
		restore();
		return result === 'quit' ? 0 : (signalCode ?? 130);
	} catch (error) {
		restore();
		if (isInputError(error)) {
			throw error;
		}

		stderr.write(`pfnaudit: internal error in the dashboard: ${error instanceof Error ? error.message : String(error)}\n`);
		return 3;
	} finally {
		restore();
		process.off('SIGTERM', onTerm);
		process.off('SIGHUP', onHup);
		process.off('SIGINT', onInt);
		process.off('uncaughtException', onCrash);
		process.off('unhandledRejection', onCrash);
		process.off('exit', restore);
	}
}
