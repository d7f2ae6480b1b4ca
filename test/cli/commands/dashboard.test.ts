import {PassThrough} from 'node:stream';
import {describe, expect, it, vi} from 'vitest';
import yargs from 'yargs';
import type {Io} from '../../../source/cli/command.js';
import {createDashboardCommand, type DashboardDeps, shouldDraw} from '../../../source/cli/commands/dashboard.js';
import {HeldOutput} from '../../../source/cli/commands/dashboard-run.js';
import {DEFAULT_FAIL_SET} from '../../../source/engine/fail-on.js';
import {InputError, isInputError} from '../../../source/errors/input-error.js';
import {SHOWCASE_TOPOLOGY} from '../../../source/paths.js';
import {createFakePort} from '../../ui/fake/index.js';

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
		// The fake showcase is x86_64, where the arm64 patch does not apply: this test is about the request.
		deps.loadPort.mockImplementation(async () => ({...createFakePort({cwd: '/tmp'}), check: undefined}));
		const target = io(true);
		expect(await run(['--kernel', '5.10', '--patch', 'arm64-pfn-valid-v2', '--walker', 'read_page_owner', '--walker', 'kpageflags_read'], target, deps)).toBe(0);
		expect(deps.runHeadless).not.toHaveBeenCalled();
		// The third argument holds what user walkers print while the screen is drawn (printed after).
		expect(deps.loadPort).toHaveBeenCalledWith(target, {failOn: DEFAULT_FAIL_SET, phases: false, mode: 'runs', timeLimitMs: 60_000}, expect.any(HeldOutput));
		const [options] = deps.runDashboard.mock.calls[0] as unknown as [{request: unknown; stdout: unknown}];
		expect(options.request).toEqual({topologyFile: SHOWCASE_TOPOLOGY, kernel: '5.10', patches: ['arm64-pfn-valid-v2'], walkers: ['read_page_owner', 'kpageflags_read']});
		expect(options.stdout).toBe(target.stdout);

		// --patch as audit reads it (headless.ts patchValues()): a comma list, trimmed.
		expect(await run(['--patch', 'arm64-pfn-valid-v2, stable-5.10.262'], io(true), deps)).toBe(0);
		const [again] = deps.runDashboard.mock.calls[1] as unknown as [{request: {patches: string[]}}];
		expect(again.request.patches).toEqual(['arm64-pfn-valid-v2', 'stable-5.10.262']);
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

	it('runs headless on a terminal when a report is asked for with --format or --output', async () => {
		for (const argv of [['--format', 'json'], ['-o', 'r.sarif']]) {
			const deps = spies();
			expect(await run(argv, io(true), deps)).toBe(1);
			expect(deps.runHeadless).toHaveBeenCalledTimes(1);
			expect(deps.runDashboard).not.toHaveBeenCalled();
		}
	});

	it('hands the audit flags of `pfnaudit audit` to the dashboard\'s engine, checked the same way', async () => {
		const deps = spies();
		const target = io(true);
		expect(await run(['--fail-on', 'C1,C4', '--phases', '--mode', 'per-pfn', '--timeout', '5', '--jobs', '3', '--walker', 'kpageflags_read'], target, deps)).toBe(0);
		expect(deps.loadPort).toHaveBeenCalledWith(target, {failOn: ['C1', 'C4'], phases: true, mode: 'per-pfn', timeLimitMs: 5000, workers: 3}, expect.any(HeldOutput));
		for (const argv of [['--fail-on', 'C9'], ['--timeout', '0'], ['--jobs', '0']]) {
			const bad = spies();
			const error = await run(argv, io(true), bad).catch((error_: unknown) => error_);
			expect(isInputError(error), String(error)).toBe(true);
			expect(bad.runDashboard).not.toHaveBeenCalled();
		}
	});

	// A test of a bad topology on a terminal, with a port whose check() throws its InputError.
	// Expect the dashboard drawn without checking first (a 10 000-entry file takes a second or more
	// to read and build: the screen says so meanwhile, and gives the terminal back for the error,
	// App.test and run-dashboard.tsx); with --mode per-pfn, whose work is estimated before the
	// screen is taken, the error thrown before drawing.
	it('draws before reading the topology, and checks it first only for --mode per-pfn', async () => {
		const deps = spies();
		const check = vi.fn(async () => {
			throw new InputError('memory[0].kind: kind must be one of boot, hotplug, device', {file: 'bad.yaml', line: 5, column: 11});
		});
		deps.loadPort.mockImplementation(async () => ({...createFakePort({cwd: '/tmp'}), check}));
		expect(await run(['bad.yaml'], io(true), deps)).toBe(0);
		expect(check).not.toHaveBeenCalled();
		expect(deps.runDashboard).toHaveBeenCalledTimes(1);
		const perPfn = spies();
		perPfn.loadPort.mockImplementation(async () => ({...createFakePort({cwd: '/tmp'}), check}));
		const error = await run(['bad.yaml', '--mode', 'per-pfn'], io(true), perPfn).catch((error_: unknown) => error_);
		expect((error as InputError).format()).toBe('bad.yaml:5:11: memory[0].kind: kind must be one of boot, hotplug, device');
		expect(check).toHaveBeenCalledWith({topologyFile: 'bad.yaml', patches: []});
		expect(perPfn.runDashboard).not.toHaveBeenCalled();
	});
});

describe('the shipped dashboard shows only computed results', () => {
	// A test that starts the drawn dashboard with PFNAUDIT_FAKE=1 (which once swapped in a scripted
	// audit with made-up counts). Expect the real port all the same: every built-in topology in the
	// `t` chooser (the scripted one had 3), and no source/ui/fake in the product.
	it('ignores PFNAUDIT_FAKE and has no scripted port', async () => {
		const runDashboard = vi.fn(async () => 0);
		const target = io(true, {PFNAUDIT_FAKE: '1'});
		expect(await run([SHOWCASE_TOPOLOGY], {...target, cwd: process.cwd()}, {runDashboard})).toBe(0);
		const options = (runDashboard.mock.calls[0] as unknown as [{port: {listTopologies(): Promise<readonly unknown[]>}}])[0];
		expect((await options.port.listTopologies()).length).toBeGreaterThan(10);
		const {existsSync} = await import('node:fs');
		expect(existsSync(new URL('../../../source/ui/fake', import.meta.url))).toBe(false);
	});
});
