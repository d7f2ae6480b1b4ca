/**
The shape of a command module: yargs wiring plus a `run` that returns the exit code. Only the
command layer (source/cli/) touches argv, the filesystem, the terminal and exit codes.

Every command loads only what it needs. source/cli/main.ts imports every command definition to
build `--help`, so a definition module (source/cli/commands/<name>.ts) stays light:
- its top-level imports are `yargs` types, ../command.js and modules without heavy imports
  (constants such as source/engine/defaults.ts, source/report/formats.ts,
  source/model/categories.ts — move a constant there rather than import the module that uses it);
- `builder` only declares options (no file reads, no model);
- `run()` loads the implementation with `await import('./<name>-run.js')` (or ../headless.js)
  and calls it. Type-only imports (`import type`) are free: they vanish from the output.
  Never import the model, engine, reports, walkers, topology parser (yaml, zod) or the UI
  (ink, react) at the top of a definition.

```ts
export const fooCommand: CommandModule = {
	command: 'foo <topology>',
	describe: 'one line for --help',
	builder: y => y.positional('topology', {type: 'string'}).option('format', {choices: REPORT_FORMATS}),
	async run(args, io) {
		const {runFoo} = await import('./foo-run.js');
		return runFoo(args, io);
	},
};
```
test/cli/lazy-load.test.ts runs `--help`, `--version` and the light commands and fails if any of
those modules was loaded.
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
