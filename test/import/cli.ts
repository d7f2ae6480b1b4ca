import {Writable} from 'node:stream';
import {main} from '../../source/cli/main.js';

class Sink extends Writable {
	text = '';
	override _write(chunk: Buffer, _encoding: string, callback: () => void): void {
		this.text += chunk.toString();
		callback();
	}
}

/** Run the real CLI in-process with `cwd`; stdout and stderr captured, not a terminal. */
export async function runCli(argv: string[], cwd: string): Promise<{code: number; stdout: string; stderr: string}> {
	const stdout = new Sink();
	const stderr = new Sink();
	const code = await main(argv, {stdout, stderr, stdin: process.stdin, env: {}, cwd});
	return {code, stdout: stdout.text, stderr: stderr.text};
}
