/**
Reading a topology file's bytes, before any parsing: only a regular file of bounded size
(issue 11 item 2). The command layer and loadTopologyFile() both read through here.
*/
import {closeSync, constants as fsConstants, fstatSync, openSync, readSync, type Stats} from 'node:fs';
import {InputError} from '../errors/input-error.js';

/**
The largest topology file read, in bytes (docs/topology-format.md). A topology of 100 000 memory
ranges takes about 5 MiB; the cap keeps a mistyped path (a disk image, a core dump) from being
read into memory before it is refused.
*/
export const MAX_TOPOLOGY_BYTES = 32 * 2 ** 20;

function fileKind(stats: Stats): string {
	if (stats.isFIFO()) {
		return 'a pipe (FIFO)';
	}

	if (stats.isCharacterDevice()) {
		return 'a character device';
	}

	if (stats.isBlockDevice()) {
		return 'a block device';
	}

	return stats.isSocket() ? 'a socket' : 'a special file';
}

/**
The text of a topology file at `absolute` (`file` is how errors name it). Only a regular file of
at most MAX_TOPOLOGY_BYTES is read: `/dev/zero` would never end, a FIFO without a writer would
block forever, and a disk image would be read whole before being refused. The file is opened
without blocking (a FIFO's open waits for a writer) and checked with fstat, so what is checked is
what is read. Throws InputError at the file.
*/
export function readTopologyText(absolute: string, file: string = absolute): string {
	let fd: number;
	try {
		fd = openSync(absolute, fsConstants.O_RDONLY | fsConstants.O_NONBLOCK);
	} catch (error) {
		throw new InputError(`cannot read the topology file (${(error as NodeJS.ErrnoException).code ?? String(error)}); check the path, or run 'pfnaudit list topologies'`, {file}, {cause: error});
	}

	try {
		const stats = fstatSync(fd);
		if (stats.isDirectory()) {
			throw new InputError('the topology path is a directory; give a .yaml or .json topology file', {file});
		}

		if (!stats.isFile()) {
			throw new InputError(`the topology path is ${fileKind(stats)}, not a regular file; save the topology to a .yaml or .json file and give its path`, {file});
		}

		if (stats.size > MAX_TOPOLOGY_BYTES) {
			throw new InputError(`the file is ${formatMiB(stats.size)}, more than the ${formatMiB(MAX_TOPOLOGY_BYTES)} a topology file may have; is this the right file? (a topology is YAML or JSON text)`, {file});
		}

		// One byte more than the cap: a file that grew since fstat is refused, not read without end.
		const buffer = Buffer.alloc(Math.min(stats.size, MAX_TOPOLOGY_BYTES) + 1);
		let length = 0;
		for (;;) {
			const read = readSync(fd, buffer, length, buffer.length - length, null);
			if (read === 0) {
				break;
			}

			length += read;
			if (length === buffer.length) {
				if (length > MAX_TOPOLOGY_BYTES) {
					throw new InputError(`the file grew past ${formatMiB(MAX_TOPOLOGY_BYTES)} while it was read; give a topology file that is not being written to`, {file});
				}

				break;
			}
		}

		return buffer.toString('utf8', 0, length);
	} catch (error) {
		if (error instanceof InputError) {
			throw error;
		}

		const code = (error as NodeJS.ErrnoException).code;
		throw new InputError(`cannot read the topology file (${code ?? String(error)}); check the path, or run 'pfnaudit list topologies'`, {file}, {cause: error});
	} finally {
		closeSync(fd);
	}
}

function formatMiB(bytes: number): string {
	return `${(bytes / 2 ** 20).toFixed(bytes % 2 ** 20 === 0 ? 0 : 1)} MiB`;
}
