/**
Hostile user walkers (issue 11, items 10–14): walker files that loop, allocate without end, end
the process, print, throw from getters, or do their work after their step returned. Each is a
small .mjs file generated into a temp dir, run through main() (test/cli/harness.ts) with the
worker runner, or through a spawned `pfnaudit` where what matters is the process: its exit
status and what lands on its stdout. Every case is bounded by a short --timeout.

The topology is the stand-in of test/cli/harness.ts, as test/helpers/fake-build.ts models it:

	| boot RAM (ok) |
	0x0        0x8000

and, for the spawned CLI, topologies/x86-qemu-holes.yaml.
*/
import {spawn} from 'node:child_process';
import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath, pathToFileURL} from 'node:url';
import {afterAll, describe, expect, it} from 'vitest';
import {InputError} from '../../source/errors/input-error.js';
import {loadWalkerIsolated, planWalkerIsolated} from '../../source/walker/isolate.js';
import {modelBytes} from '../../source/model/model-data.js';
import {buildModel} from '../helpers/fake-build.js';
import {topology} from '../helpers/topology.js';
import {runCli} from '../cli/harness.js';

const REPO = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const BIN = path.join(REPO, 'source', 'cli', 'bin.ts');
const TSX = pathToFileURL(path.join(REPO, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
const SHIPPED = path.join(REPO, 'topologies', 'x86-qemu-holes.yaml');

const cwd = mkdtempSync(path.join(tmpdir(), 'pfnaudit-hostile-'));
afterAll(() => rmSync(cwd, {recursive: true, force: true}));
writeFileSync(path.join(cwd, 'clean.json'), JSON.stringify({name: 'clean', entries: [{kind: 'boot', start: 0, size: 128 * 2 ** 20}]}));

type Parts = {
	/** Code before the definition, at the file's top level. */
	readonly top?: string;
	/** Code at the start of plan(model). */
	readonly plan?: string;
	/** The body of the one pass's step(ctx, pfn). */
	readonly step?: string;
	/** The passes expression (default: one pass over [0, 16)). */
	readonly passes?: string;
	/** Make plan() or the step an `async` function. */
	readonly async?: 'plan' | 'step';
};

/** Write `<name>.mjs`, a walker named `name` (no imports: the file lives outside the package). */
function walker(name: string, parts: Parts): string {
	const step = `{label: 'sixteen pfns', ranges: [{start: 0, end: 16}], direction: 'up', stride: 1, ${parts.async === 'step' ? 'async ' : ''}step(ctx, pfn) { ${parts.step ?? 'ctx.pfn_valid(pfn);'} }}`;
	writeFileSync(
		path.join(cwd, `${name}.mjs`),
		`${parts.top ?? ''}
export default {
	name: '${name}',
	models: 'mm/test.c:${name}()',
	trigger: 'test',
	reachability: 'root',
	shape: 'sixteen pfns',
	fields: [],
	history: [{since: '4.13', guard: 'pfn_valid()', confidence: 'A'}],
	${parts.async === 'plan' ? 'async ' : ''}plan(model) {
		${parts.plan ?? ''}
		return {label: 'test form', guard: 'guards with pfn_valid()', passes: ${parts.passes ?? `[${step}]`}};
	},
};
`,
	);
	return `./${name}.mjs`;
}

type JsonWalker = {name: string; status: string; verdict: string; error?: string};
type JsonReport = {walkers: JsonWalker[]};

/** Audit the stand-in topology with one user walker, in worker threads, as JSON, with --timeout `timeout`. */
async function audit(file: string, timeout = '2') {
	return runCli(['audit', 'clean.json', '--walker', file, '--format', 'json', '--timeout', timeout], {cwd, runner: 'workers'});
}

/** The one walker of a JSON report. */
function only(stdout: string): JsonWalker {
	const report = JSON.parse(stdout) as JsonReport;
	expect(report.walkers).toHaveLength(1);
	return report.walkers[0]!;
}

/** Expect exit 2 and the one walker of the JSON report on stdout to match `fields`. */
function expectFailed(run: {code: number; stdout: string}, fields: Partial<Record<keyof JsonWalker, unknown>>): void {
	expect(run.code).toBe(2);
	expect(only(run.stdout)).toMatchObject({verdict: 'error', ...fields});
}

/** Run the real CLI (from source, through tsx) in a child process: exit status, stdout, stderr. */
async function pfnaudit(args: readonly string[]): Promise<{code: number | null; stdout: string; stderr: string}> {
	const child = spawn(process.execPath, ['--import', TSX, BIN, ...args], {cwd, env: {...process.env, NODE_ENV: 'production', CI: '1'}, stdio: ['ignore', 'pipe', 'pipe']});
	let stdout = '';
	let stderr = '';
	child.stdout.on('data', (chunk: Buffer) => {
		stdout += chunk.toString();
	});
	child.stderr.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	const code = await new Promise<number | null>(resolve => {
		child.on('close', resolve);
	});
	return {code, stdout, stderr};
}

describe('hostile user walkers', () => {
	// Item 10. A test of a walker whose top level loops, and one whose plan() loops, with
	// --timeout 2. Expect the load stopped with exit 2 and one sentence naming the file and the
	// limit; the plan stopped, the report still written, the walker `timeout`, exit 2.
	it('stops a loop at the top level or in plan() at --timeout', async () => {
		const top = await audit(walker('loop_top', {top: 'for (;;) {}'}));
		expect(top).toMatchObject({code: 2, stdout: ''});
		expect(top.stderr).toBe(
			'pfnaudit: ./loop_top.mjs: the walker file did not finish loading within 2 s (a loop at its top level?), so it was stopped; fix the file, or give more time with --timeout\n',
		);

		const plan = await audit(walker('loop_plan', {plan: 'for (;;) {}'}));
		expect(plan.code).toBe(2);
		expect(only(plan.stdout)).toMatchObject({name: 'loop_plan', status: 'timeout', verdict: 'error', error: 'loop_plan: plan() did not return within 2 s; its worker thread was stopped'});
		expect(plan.stderr).toBe('pfnaudit: loop_plan: plan() did not return within 2 s; its worker thread was stopped (./loop_plan.mjs)\n');
	});

	// Item 10. A test of a walker that allocates without end at its top level, and one that does
	// in plan(), each in a worker with a 48 MB heap. Expect the load refused with one sentence
	// naming the file and the heap, and the plan failed as `threw` with the heap in its sentence.
	it('stops an unbounded allocation at the top level or in plan() at the heap limit', async () => {
		const grow = 'const hoard = []; for (;;) hoard.push(new Array(1e5).fill(1.5));';
		const loaded = await loadWalkerIsolated(walker('alloc_top', {top: grow}), cwd, {timeLimitMs: 30_000, heapMb: 48}).catch((error: unknown) => error);
		expect(loaded).toBeInstanceOf(InputError);
		expect((loaded as InputError).format()).toBe(
			'./alloc_top.mjs: loading the walker file used more than its 48 MB heap (an allocation without end at its top level?), so it was stopped; fix the file',
		);

		const model = modelBytes(buildModel(topology({name: 'clean'}).boot(0, 128 * 2 ** 20).build()));
		const planned = await planWalkerIsolated('alloc_plan', {path: path.join(cwd, walker('alloc_plan', {plan: grow})), model}, {timeLimitMs: 30_000, heapMb: 48});
		expect(planned).toEqual({ok: false, status: 'threw', error: 'alloc_plan: plan() used more than its 48 MB heap; its worker thread was stopped'});
	});

	// Item 11. A test of process.exit(0) at a walker's top level and in its plan(), and of a
	// top-level await that never settles, in the real CLI process. Expect exit 2 every time, never
	// 0 or 13: the load refused with the file:line:column of the call, the plan reported in the
	// written report as the walker's error.
	it('turns process.exit() and a never-settling top-level await into exit 2', async () => {
		const top = await pfnaudit(['audit', SHIPPED, '--walker', walker('exit_top', {top: 'const why = 0;\nprocess.exit(why);'}), '--format', 'json', '--timeout', '5']);
		expect(top).toEqual({
			code: 2,
			stdout: '',
			stderr: 'pfnaudit: ./exit_top.mjs:2:9: the walker file called process.exit(0) while loading; a walker must not end the process: throw an Error instead\n',
		});

		const plan = await pfnaudit(['audit', SHIPPED, '--walker', walker('exit_plan', {plan: 'process.exit(0);'}), '--format', 'json', '--timeout', '5']);
		expect(plan.code).toBe(2);
		expect(only(plan.stdout)).toMatchObject({name: 'exit_plan', status: 'threw', verdict: 'error', error: expect.stringContaining('exit_plan: plan() called process.exit(0) at exit_plan.mjs:')});

		const wait = await pfnaudit(['audit', SHIPPED, '--walker', walker('await_top', {top: 'await new Promise(() => {});'}), '--format', 'json', '--timeout', '5']);
		expect(wait).toMatchObject({code: 2, stdout: ''});
		expect(wait.stderr).toMatch(/^pfnaudit: \.\/await_top\.mjs: the walker file never finished loading: its top-level code awaits something that never happens \(its worker ended with code \d+\); remove the await\n$/);
	});

	// Items 11 and 12 in `pfnaudit bisect`, which audits built-ins in its own thread. A test of a
	// walker that prints at its top level and calls process.exit(0) in plan(), bisected over two
	// releases. Expect exit 2, stdout exactly the JSON document, and one sentence per release.
	it('keeps bisect\'s user walker in worker threads too', async () => {
		const file = walker('bisect_exit', {top: 'console.log("bisect_exit: top level");', plan: 'process.exit(0);'});
		const run = await pfnaudit(['bisect', SHIPPED, '--walker', file, '--from', '6.11', '--to', '6.12', '--format', 'json', '--timeout', '5']);
		expect(run.code).toBe(2);
		expect(JSON.parse(run.stdout)).toMatchObject({walker: 'bisect_exit'});
		expect(run.stderr).toContain('bisect_exit: top level\n');
		expect(run.stderr).toMatch(/^pfnaudit: v6\.11: bisect_exit: plan\(\) called process\.exit\(0\) at bisect_exit\.mjs:\d+:\d+; a walker must not end the process/m);
	});

	// Item 12. A test of a walker that prints with console.log at its top level, in plan() and in
	// its step, in the real CLI writing JSON to stdout. Expect stdout to be exactly the report
	// (it parses, and holds none of the text), and the text on stderr.
	it('keeps a walker\'s console output off stdout', async () => {
		const file = walker('chatty', {top: 'console.log("chatty: top level");', plan: 'console.log("chatty: plan");', step: 'if (pfn === 0) console.log("chatty: step"); ctx.pfn_valid(pfn);'});
		const run = await pfnaudit(['audit', SHIPPED, '--walker', file, '--format', 'json', '--timeout', '5']);
		expect(run.code).toBe(0);
		expect(only(run.stdout)).toMatchObject({name: 'chatty', status: 'ok', verdict: 'pass'});
		expect(run.stdout).not.toContain('chatty:');
		expect(run.stderr).toContain('chatty: top level\n');
		expect(run.stderr).toContain('chatty: plan\n');
		expect(run.stderr).toContain('chatty: step\n');
	});

	// Item 13. A test of a walker whose definition has a getter that throws, and of one that is a
	// Proxy whose traps throw. Expect exit 2 with one sentence naming the file, not exit 3.
	it('refuses a definition whose getter or Proxy trap throws with exit 2', async () => {
		writeFileSync(
			path.join(cwd, 'getter.mjs'),
			`${'const d = {name: "getter", models: "mm/test.c:getter()", trigger: "test", reachability: "root", fields: [], history: [{since: "4.13", guard: "none", confidence: "A"}], plan: () => null};'}
Object.defineProperty(d, 'shape', {enumerable: true, get() { throw new Error('no shape today'); }});
export default d;
`,
		);
		expect(await audit('./getter.mjs')).toEqual({
			code: 2,
			stdout: '',
			stderr: "pfnaudit: ./getter.mjs: reading the walker's default export threw: no shape today; export a plain object made with defineWalker({...}) (see docs/writing-a-walker.md)\n",
		});

		writeFileSync(path.join(cwd, 'proxy.mjs'), 'export default new Proxy({}, {get() { throw new Error("trapped"); }, ownKeys() { throw new Error("trapped"); }});\n');
		expect(await audit('./proxy.mjs')).toEqual({
			code: 2,
			stdout: '',
			stderr: "pfnaudit: ./proxy.mjs: reading the walker's default export threw: trapped; export a plain object made with defineWalker({...}) (see docs/writing-a-walker.md)\n",
		});
	});
});

describe('hostile user walkers: the form and the steps', () => {
	// Item 14. A test of a form with no passes, an async plan() and an async step. Expect each
	// `malformed` with one sentence, exit 2 — never `pass` for an audit that walked nothing.
	it('refuses passes: [], an async plan() and an async step', async () => {
		expectFailed(await audit(walker('no_passes', {passes: '[]'})), {
			status: 'malformed',
			error: expect.stringContaining('no_passes: plan() returned a form with no passes; a form has one or more passes'),
		});
		expectFailed(await audit(walker('async_plan', {async: 'plan'})), {status: 'malformed', error: expect.stringContaining('async_plan: plan() returned a Promise; plan() is synchronous')});
		expectFailed(await audit(walker('async_step', {async: 'step'})), {status: 'malformed', error: expect.stringContaining('async_step: pass 0 ("sixteen pfns") has an async step')});
	});

	// Item 14. A test of a step that returns a rejected Promise (not an async function), one that
	// throws from a setTimeout of 50 ms, and one that leaves an interval running. Expect `threw`
	// with the rejection's or the exception's message, and `malformed` for the interval (stopped
	// at --timeout 2), each exit 2 — never `pass`.
	it('fails a step whose work goes on after it returned', async () => {
		expectFailed(await audit(walker('rejects', {step: 'ctx.pfn_valid(pfn); if (pfn === 0) return Promise.reject(new Error("later, at pfn 0"));'})), {
			status: 'threw',
			error: 'rejects left a promise rejection unhandled (later, at pfn 0); a step does its work before it returns',
		});
		expectFailed(await audit(walker('timer', {step: 'ctx.pfn_valid(pfn); if (pfn === 0) setTimeout(() => { throw new Error("from a timer"); }, 50);'})), {
			status: 'threw',
			error: 'timer threw from a timer or callback (from a timer); a step does its work before it returns',
		});
		expectFailed(await audit(walker('interval', {step: 'ctx.pfn_valid(pfn); if (pfn === 0) setInterval(() => {}, 100);'})), {
			status: 'malformed',
			error: 'interval left timers running after its walk; a step does its work before it returns',
		});
	});

	// Item 13. A test of a form whose getters throw: fixed_by, and a pass's ranges. Expect
	// `malformed` naming the getter's message, exit 2, never the internal error of exit 3.
	it('reports a throwing getter in the form as the walker\'s fault', async () => {
		const getter = (key: string) => `Object.defineProperty({}, '${key}', {enumerable: true, get() { throw new Error('no ${key} today'); }})`;
		expectFailed(await audit(walker('fixed_by_getter', {plan: `return Object.assign(${getter('fixed_by')}, {label: 'x', guard: 'y', passes: [{label: 'p', ranges: [], direction: 'up', stride: 1, step() {}}]});`})), {
			status: 'malformed',
			error: 'fixed_by_getter: reading the form plan() returned threw: no fixed_by today; return plain objects',
		});
		expectFailed(await audit(walker('ranges_getter', {passes: `[Object.assign(${getter('ranges')}, {label: 'p', direction: 'up', stride: 1, step() {}})]`})), {
			status: 'malformed',
			error: 'ranges_getter: reading the form plan() returned threw: no ranges today; return plain objects',
		});
	});

	// Item 10. A test of a step that allocates without end, in the audit's worker pool. Expect
	// its worker stopped at the heap limit and the walker `threw`, exit 2, the report written.
	it('stops a step that allocates without end at the heap limit', async () => {
		expectFailed(await audit(walker('hoarder', {top: 'const hoard = [];', step: 'for (;;) hoard.push(new Array(1e5).fill(1.5));'}), '60'), {
			status: 'threw',
			error: 'hoarder used more than its 1024 MB heap; its worker thread was stopped',
		});
	});
});
