/**
Issue 11 item 5: a closed or full stdout. A reader that stops early (`| head -c 10`, `| true`)
closes the pipe and the next write fails with EPIPE; `>/dev/full` fails with ENOSPC. Neither may
surface as Node's uncaught 'error' event (a stack trace and exit 1, which CI reads as "failing
touches found").
*/
import {spawn} from 'node:child_process';
import path from 'node:path';
import {pathToFileURL} from 'node:url';
import {describe, expect, it} from 'vitest';
import {REPO, run, Sink, STACK_FRAME} from './harness.js';

const showcase = path.join('topologies', 'showcase.yaml');

describe('a closed stdout ends the run quietly', () => {
	// The showcase audit has failing touches (exit 1). Its reader closed the pipe: every write
	// fails with EPIPE. Expect the run's own exit code (1), nothing on stderr.
	it('keeps the exit code of the result and says nothing (audit)', async () => {
		const result = await run(['audit', showcase, '--format', 'text', '--walker', 'hwpoison_inject'], {stdout: new Sink(false, 'EPIPE')});
		expect(result.stderr).toBe('');
		expect(result.code).toBe(1);
	});

	// `pfnaudit list walkers | true`. Expect exit 0 and silence.
	it('keeps exit 0 for list', async () => {
		const result = await run(['list', 'walkers'], {stdout: new Sink(false, 'EPIPE')});
		expect(result).toMatchObject({code: 0, stderr: ''});
	});
});

describe('a full stdout is one sentence and exit 2', () => {
	// `pfnaudit audit showcase.yaml > /dev/full`: the report is lost. Expect exit 2 (not 1: CI
	// must not mistake it for a result), one line naming the cause, no stack frame.
	it('audit', async () => {
		const result = await run(['audit', showcase, '--format', 'json', '--walker', 'kpageflags_read'], {stdout: new Sink(false, 'ENOSPC')});
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/^pfnaudit: cannot write to standard output \(no space left on the device, ENOSPC\); [^\n]+\n$/);
		expect(result.stderr).not.toMatch(STACK_FRAME);
	});

	it('explain', async () => {
		const result = await run(['explain', showcase, '0x1000'], {stdout: new Sink(false, 'EIO')});
		expect(result.code).toBe(2);
		expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
	});
});

/** Run the real executable (tsx from source) with its stdout pipe closed before it writes. */
async function spawnWithClosedStdout(argv: string[]): Promise<{code: number | null; stderr: string}> {
	const tsx = pathToFileURL(path.join(REPO, 'node_modules', 'tsx', 'dist', 'loader.mjs')).href;
	const child = spawn(process.execPath, ['--import', tsx, path.join(REPO, 'source', 'cli', 'bin.ts'), ...argv], {
		cwd: REPO,
		env: {...process.env, NODE_ENV: 'production', CI: '1'},
		stdio: ['ignore', 'pipe', 'pipe'],
	});
	// `| true`: the reader goes away without reading anything.
	child.stdout.destroy();
	let stderr = '';
	child.stderr.on('data', (chunk: Buffer) => {
		stderr += chunk.toString();
	});
	const code = await new Promise<number | null>(resolve => child.on('close', resolve));
	return {code, stderr};
}

describe('the executable with a real closed pipe', () => {
	// bin.ts as a user runs it, `pfnaudit list walkers | true`. Expect exit 0 and an empty
	// stderr (before the fix: "Error: write EPIPE … at afterWriteDispatched" and exit 1).
	it('exits 0 without a stack trace', async () => {
		const result = await spawnWithClosedStdout(['list', 'walkers']);
		expect(result.stderr).toBe('');
		expect(result.code).toBe(0);
	}, 30_000);
});
