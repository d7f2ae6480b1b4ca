/**
Standard output that went away under us. A reader that stops early (`| head -c 10`, `| true`,
a pager quit) closes the pipe: the write fails with EPIPE, and that is the reader's choice, not
an error — the run ends quietly with the exit code of its result. A full or broken device
(`>/dev/full`: ENOSPC, EIO) lost the report: one sentence on stderr and exit 2.

Node reports both as an 'error' event on the stream, emitted after write() returned; without a
listener that event is an uncaught exception (a stack trace and exit 1, the code for "failing
touches found"). guardOutput() listens from the start of a run and settle() waits until every
write was flushed or failed.
*/
import {EXIT_INPUT, EXIT_INTERNAL} from '../errors/exit-codes.js';

/** The reader closed its end (or the stream was destroyed after that): not an error of the run. */
export function isClosedPipe(error: NodeJS.ErrnoException): boolean {
	return error.code === 'EPIPE' || error.code === 'ERR_STREAM_DESTROYED' || error.code === 'ECONNRESET';
}

const REASONS: Readonly<Record<string, string>> = {
	ENOSPC: 'no space left on the device',
	EDQUOT: 'the disk quota is exhausted',
	EIO: 'an input/output error on the device',
	EFBIG: 'the file grew larger than the file system allows',
	EACCES: 'permission denied',
	EBADF: 'standard output is not open for writing',
};

/** One sentence for a failed write of the report to stdout. */
export function describeOutputFailure(error: NodeJS.ErrnoException): string {
	const code = error.code ?? '';
	const reason = REASONS[code] ?? error.message;
	return `cannot write to standard output (${reason}${code && REASONS[code] ? `, ${code}` : ''}); redirect it to a file on a device with space (an audit can also write its report with --output FILE)`;
}

export type OutputGuard = {
	/** Wait until the writes so far were flushed or failed; the first failure, if any. */
	settle(): Promise<NodeJS.ErrnoException | undefined>;
	dispose(): void;
};

type GuardedStream = NodeJS.WritableStream & {destroyed?: boolean; writableEnded?: boolean};

export function guardOutput(stream: GuardedStream): OutputGuard {
	let failure: NodeJS.ErrnoException | undefined;
	const onError = (error: NodeJS.ErrnoException) => {
		failure ??= error;
	};

	stream.on('error', onError);
	return {
		async settle() {
			if (failure === undefined && stream.destroyed !== true && stream.writableEnded !== true) {
				// The callback of an empty write runs once every earlier write is done (or failed).
				await new Promise<void>(resolve => {
					try {
						stream.write('', () => {
							resolve();
						});
					} catch {
						resolve();
					}
				});
			}

			// 'error' is emitted on the tick after the failed write's callback.
			await new Promise<void>(resolve => {
				setImmediate(resolve);
			});
			return failure;
		},
		dispose() {
			stream.off('error', onError);
		},
	};
}

/**
The exit code and stderr sentence for a run whose stdout failed with `failure`: a closed pipe
keeps the run's own code, silently; anything else is exit 2 (3 stays 3: an internal error is
worse).
*/
export function outputFailureOutcome(failure: NodeJS.ErrnoException, exitCode: number): {code: number; message?: string} {
	if (isClosedPipe(failure)) {
		return {code: exitCode};
	}

	return {code: exitCode === EXIT_INTERNAL ? EXIT_INTERNAL : EXIT_INPUT, message: describeOutputFailure(failure)};
}
