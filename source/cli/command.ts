/**
The shape of a command module: yargs wiring plus a `run` that returns the exit code. Only the
command layer (source/cli/) touches argv, the filesystem, the terminal and exit codes.
*/
import type {Argv} from 'yargs';

export type Io = {
	readonly stdout: NodeJS.WritableStream & {isTTY?: boolean; columns?: number; rows?: number};
	readonly stderr: NodeJS.WritableStream & {isTTY?: boolean};
	readonly stdin: NodeJS.ReadableStream & {isTTY?: boolean};
	readonly env: NodeJS.ProcessEnv;
	readonly cwd: string;
};

export type CommandModule = {
	readonly command: string | readonly string[];
	readonly describe: string;
	// The builder decides the argument types; run() re-validates what it relies on.
	builder(yargs: Argv): Argv<any>;
	run(args: Record<string, unknown>, io: Io): Promise<number>;
};
