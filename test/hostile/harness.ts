/**
The adversarial suite's way of running the CLI: main() in-process with the real commands, the
real topology parser and the real model, audits in the calling thread (no worker start-up per
case), and stdout/stderr captured — or failing the way a closed pipe or a full disk fails.
*/
import {mkdtempSync, rmSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {Writable} from 'node:stream';
import {fileURLToPath} from 'node:url';
import type {CommandModule, Io} from '../../source/cli/command.js';
import {createAuditCommand} from '../../source/cli/commands/audit.js';
import {COMMANDS, main} from '../../source/cli/main.js';

export const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const TOPOLOGIES = path.join(REPO, 'topologies');

/** A stack frame as Node prints it ("    at fn (file:line:col)"): never on stderr without --debug. */
export const STACK_FRAME = /^\s+at .+[(:]\d+/m;

/** Collects what is written; or fails every write with `failWith` (an errno code such as EPIPE). */
export class Sink extends Writable {
	text = '';
	columns = 80;
	constructor(
		readonly isTTY = false,
		private readonly failWith?: string,
	) {
		super();
	}

	override _write(chunk: Buffer, _encoding: string, callback: (error?: Error | null) => void): void {
		if (this.failWith !== undefined) {
			const error = Object.assign(new Error(`write ${this.failWith}`), {code: this.failWith, errno: -1, syscall: 'write'});
			callback(error);
			return;
		}

		this.text += chunk.toString();
		callback();
	}
}

/** The real commands, with `audit` running its walkers in this thread (fast start, same results). */
export function inProcessCommands(): CommandModule[] {
	const audit = createAuditCommand({audit: {runner: 'in-process'}});
	return COMMANDS.map(command => (command.command === audit.command ? audit : command));
}

export type Run = {code: number; stdout: string; stderr: string};

export async function run(
	argv: readonly string[],
	options: {cwd?: string; stdout?: Sink; env?: NodeJS.ProcessEnv; commands?: CommandModule[]} = {},
): Promise<Run> {
	const stdout = options.stdout ?? new Sink();
	const stderr = new Sink();
	const io: Io = {stdout, stderr, stdin: process.stdin, env: options.env ?? {}, cwd: options.cwd ?? REPO};
	const code = await main(argv, io, options.commands ?? inProcessCommands());
	return {code, stdout: stdout.text, stderr: stderr.text};
}

/** A scratch directory, removed by the returned function. */
export function scratch(): {dir: string; remove: () => void} {
	const dir = mkdtempSync(path.join(tmpdir(), 'pfnaudit-hostile-'));
	return {dir, remove: () => rmSync(dir, {recursive: true, force: true})};
}
