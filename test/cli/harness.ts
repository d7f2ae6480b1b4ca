/**
Running the CLI in tests: `main()` with a fake terminal (captured stdout/stderr, TTY flags of
our choosing), an audit command wired to a JSON topology stand-in (the real parser is another
slice's work) and test/helpers/fake-build.ts for the model, in workers or in-process.
*/
import {Writable} from 'node:stream';
import type {CommandModule, Io} from '../../source/cli/command.js';
import {createAuditCommand} from '../../source/cli/commands/audit.js';
import {main} from '../../source/cli/main.js';
import type {AuditOptions} from '../../source/engine/audit.js';
import {InputError} from '../../source/errors/input-error.js';
import type {LoadOptions} from '../../source/topology/load.js';
import type {Topology} from '../../source/topology/types.js';
import {topology} from '../helpers/topology.js';

export const modelModule = new URL('../helpers/fake-build.ts', import.meta.url).href;

type EntrySpec =
	| {kind: 'boot'; start: number; size: number}
	| {kind: 'hotplug'; start: number; size: number; state?: 'offline' | 'online'}
	| {kind: 'device'; start: number; size: number; reserve?: number};

/**
The stand-in topology format: {"name": "...", "kernel": "6.12", "entries": [...]}, sizes in
bytes. Enough to drive the command; the real YAML parser is tested by its own slice.
*/
export function parseTestTopology(text: string, file: string, options: LoadOptions = {}): Topology {
	let spec: {name: string; kernel?: string; entries: EntrySpec[]};
	try {
		spec = JSON.parse(text) as typeof spec;
	} catch (error) {
		throw new InputError(`not JSON: ${(error as Error).message}`, {file});
	}

	const builder = topology({name: spec.name, kernel: options.kernel ?? spec.kernel ?? '6.12', patches: [...(options.patches ?? [])]});
	for (const entry of spec.entries) {
		if (entry.kind === 'boot') {
			builder.boot(entry.start, entry.size);
		} else if (entry.kind === 'hotplug') {
			builder.hotplug(entry.start, entry.size, entry.state ?? 'offline');
		} else {
			builder.device('fsdax', entry.start, entry.size, entry.reserve === undefined ? {} : {altmap: {reserve: entry.reserve, free: 'auto'}});
		}
	}

	return {...builder.build(), file};
}

class Capture extends Writable {
	text = '';
	constructor(readonly isTTY: boolean) {
		super();
	}

	override _write(chunk: Buffer, _encoding: string, callback: () => void): void {
		this.text += chunk.toString();
		callback();
	}
}

export type CliRun = {code: number; stdout: string; stderr: string};

export async function runCli(
	argv: string[],
	options: {cwd: string; stdoutTty?: boolean; stderrTty?: boolean; runner?: AuditOptions['runner']; commands?: CommandModule[]},
): Promise<CliRun> {
	const stdout = new Capture(options.stdoutTty ?? false);
	const stderr = new Capture(options.stderrTty ?? false);
	const io: Io = {stdout, stderr, stdin: process.stdin, env: {}, cwd: options.cwd};
	const audit = createAuditCommand({
		parseTopology: parseTestTopology,
		audit: {modelModule, runner: options.runner ?? 'in-process', progressIntervalMs: 10},
	});
	const code = await main(argv, io, options.commands ?? [audit]);
	return {code, stdout: stdout.text, stderr: stderr.text};
}
