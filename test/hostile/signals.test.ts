/**
Issue 11 item 7: one rule for the exit status after a signal — 128 + the signal's number, as a
shell reports a process the signal ended: 130 for SIGINT, 143 for SIGTERM, 129 for SIGHUP. The
dashboard already follows it (test/ui/e2e/dashboard.e2e.test.ts); the headless audit answered
130 to SIGTERM. The signal is emitted in-process once the audit has installed its handlers, so
the run is cancelled mid-audit.
*/
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {run} from './harness.js';

const showcase = path.join('topologies', 'showcase.yaml');

async function auditInterruptedBy(signal: 'SIGINT' | 'SIGTERM' | 'SIGHUP') {
	// When the audit installs its handler, deliver the signal at its next turn of the event loop
	// (the in-process runner yields between walkers, so the audit is cut short).
	const onListener = (event: string | symbol) => {
		if (event === signal) {
			process.off('newListener', onListener);
			setImmediate(() => process.emit(signal, signal));
		}
	};

	process.on('newListener', onListener);
	try {
		return await run(['audit', showcase, '--format', 'json']);
	} finally {
		process.off('newListener', onListener);
	}
}

describe('the headless audit interrupted by a signal', () => {
	// Every built-in walker over the showcase; the signal arrives after the first walker.
	// Expect 128 + signo, no report on stdout, and the signal named on stderr.
	it.each([
		['SIGINT', 130],
		['SIGTERM', 143],
		['SIGHUP', 129],
	] as const)('%s exits %i and writes no report', async (signal, code) => {
		const result = await auditInterruptedBy(signal);
		expect(result.stdout).toBe('');
		expect(result.stderr).toBe(`pfnaudit: interrupted (${signal}); no report written\n`);
		expect(result.code).toBe(code);
		expect(process.listenerCount(signal)).toBe(0);
	});
});
