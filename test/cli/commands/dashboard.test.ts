import {PassThrough} from 'node:stream';
import {describe, expect, it, vi} from 'vitest';
import yargs from 'yargs';
import type {Io} from '../../../source/cli/command.js';
import {createDashboardCommand, type DashboardDeps, shouldDraw} from '../../../source/cli/commands/dashboard.js';
import {isInputError} from '../../../source/errors/input-error.js';
import {SHOWCASE_TOPOLOGY} from '../../../source/paths.js';
import {createFakePort} from '../../../source/ui/fake/index.js';

function io(tty: boolean, env: NodeJS.ProcessEnv = {}): Io {
	const stdout = Object.assign(new PassThrough(), {isTTY: tty, columns: 80, rows: 24});
	return {stdout, stderr: new PassThrough(), stdin: Object.assign(new PassThrough(), {isTTY: tty}), env, cwd: '/tmp'};
}

async function run(argv: string[], target: Io, deps: DashboardDeps): Promise<number> {
	const command = createDashboardCommand(deps);
	let code = -1;
	await yargs(argv)
		.option('color', {type: 'string', global: true})
		.command(command.command as string, command.describe, y => command.builder(y), async args => {
			code = await command.run(args as Record<string, unknown>, target);
		})
		.exitProcess(false)
		.fail((message, error) => {
			throw error ?? new Error(message);
		})
		.parseAsync();
	return code;
}

function spies() {
	return {
		runHeadless: vi.fn(async (_args: Record<string, unknown>, _io: Io) => 1),
		runDashboard: vi.fn(async () => 0),
		loadPort: vi.fn(async () => createFakePort({cwd: '/tmp'})),
	};
}

describe('pfnaudit [topology]', () => {
	it('runs the headless audit when stdout is a pipe, without loading the dashboard', async () => {
		const deps = spies();
		const target = io(false);
		expect(await run(['topologies/x.yaml', '--kernel', '5.4'], target, deps)).toBe(1);
		expect(deps.runHeadless).toHaveBeenCalledTimes(1);
		expect(deps.runHeadless.mock.calls[0]![0]).toMatchObject({topology: 'topologies/x.yaml', kernel: '5.4'});
		expect(deps.runHeadless.mock.calls[0]![1]).toBe(target);
		expect(deps.loadPort).not.toHaveBeenCalled();
		expect(deps.runDashboard).not.toHaveBeenCalled();
	});

	it('runs headless on a terminal when CI is set, even to an empty string', async () => {
		for (const env of [{CI: ''}, {CI: 'true'}, {CONTINUOUS_INTEGRATION: '1'}]) {
			const deps = spies();
			expect(await run([], io(true, env), deps)).toBe(1);
			expect(deps.runDashboard).not.toHaveBeenCalled();
		}

		expect(shouldDraw(io(true, {CI: 'false'}))).toBe(true);
		expect(shouldDraw(io(true, {CI: '0'}))).toBe(true);
	});

	it('opens the dashboard on the showcase with the kernel, patches and walkers given', async () => {
		const deps = spies();
		const target = io(true);
		expect(await run(['--kernel', '5.10', '--patch', 'arm64-pfn-valid-v2', '--walker', 'read_page_owner', '--walker', 'kpageflags_read'], target, deps)).toBe(0);
		expect(deps.runHeadless).not.toHaveBeenCalled();
		expect(deps.loadPort).toHaveBeenCalledWith(target);
		const [options] = deps.runDashboard.mock.calls[0] as unknown as [{request: unknown; stdout: unknown}];
		expect(options.request).toEqual({topologyFile: SHOWCASE_TOPOLOGY, kernel: '5.10', patches: ['arm64-pfn-valid-v2'], walkers: ['read_page_owner', 'kpageflags_read']});
		expect(options.stdout).toBe(target.stdout);
	});

	it('rejects an unknown kernel or patch with one sentence before drawing anything', async () => {
		for (const argv of [['--kernel', '7.1'], ['--kernel', '5'], ['--patch', 'no-such-patch']]) {
			const deps = spies();
			const error = await run(argv, io(true), deps).catch((error_: unknown) => error_);
			expect(isInputError(error), String(error)).toBe(true);
			expect((error as Error).message).toMatch(/^--(kernel|patch) \S+ is not/);
			expect(deps.runDashboard).not.toHaveBeenCalled();
		}
	});
});
