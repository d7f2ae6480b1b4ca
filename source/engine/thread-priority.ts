/**
Lowering the scheduling priority of the calling thread (a worker of the audit's pool), so that
the thread that draws the dashboard wins the CPU from the walk when a key arrives (issue 10:
key-to-screen < 50 ms while a walk runs on a machine with as many cores as workers).

Linux only: setpriority(PRIO_PROCESS, tid, nice) with a thread id changes that thread alone
(setpriority(2), "BUGS": threads do not share a nice value on Linux). Node has no gettid(), so the
thread id is read from the /proc/thread-self link ("<pid>/task/<tid>", Linux 3.17+). Elsewhere,
or when the link cannot be read, nothing happens: os.setPriority(0, …) would lower the whole
process, the dashboard's thread with it.
*/
import {readlinkSync} from 'node:fs';
import {setPriority} from 'node:os';

/** The calling thread's kernel thread id, or undefined where it cannot be known. */
export function currentThreadId(): number | undefined {
	if (process.platform !== 'linux') {
		return undefined;
	}

	try {
		const tid = Number(readlinkSync('/proc/thread-self').split('/').pop());
		return Number.isSafeInteger(tid) && tid > 0 ? tid : undefined;
	} catch {
		return undefined;
	}
}

/**
Set the calling thread's nice value (0..19; only ever raised, which needs no privilege).
Returns whether it was set.
*/
export function niceThisThread(nice: number): boolean {
	const tid = currentThreadId();
	if (tid === undefined || tid === process.pid) {
		// Unknown, or the process's main thread: never lower the thread that draws.
		return false;
	}

	try {
		setPriority(tid, Math.min(19, Math.max(0, Math.round(nice))));
		return true;
	} catch {
		return false;
	}
}
