/**
Writing a report to a file: atomically (a temporary file in the same directory, synced, then
moved into place), and never over an existing file without --force. A reader — a CI artifact
upload, a browser reloading the HTML — sees the old file or the whole new one, never half.
Every failure is an InputError (exit 2) with one sentence saying what went wrong and what to do.
*/
import {randomBytes} from 'node:crypto';
import {closeSync, fsyncSync, linkSync, openSync, renameSync, rmSync, type Stats, statSync, writeSync} from 'node:fs';
import path from 'node:path';
import {InputError} from '../errors/input-error.js';

function errorCode(error: unknown): string {
	return error instanceof Error && 'code' in error ? String((error as NodeJS.ErrnoException).code) : '';
}

/** stat(2), or undefined where nothing is (ENOENT, or ENOTDIR: a file where a directory was meant). */
export function statOrUndefined(file: string): Stats | undefined {
	try {
		return statSync(file);
	} catch (error) {
		const code = errorCode(error);
		if (code === 'ENOENT' || code === 'ENOTDIR') {
			return undefined;
		}

		throw error;
	}
}

/**
Why `directory` cannot hold a new file, when it is not an existing directory: the nearest part of
the path that exists is a file (`--output notes.txt/r.json`: "notes.txt is not a
directory"), or the directory is missing. `shown` is the directory as the user wrote it.
*/
export function missingDirectory(directory: string, shown: string = directory): string {
	let ancestor = directory;
	let written = shown;
	for (;;) {
		const stats = statOrUndefined(ancestor);
		if (stats) {
			return stats.isDirectory() ? `the directory ${shown} does not exist` : `${written} is not a directory`;
		}

		const parent = path.dirname(ancestor);
		if (parent === ancestor) {
			return `the directory ${shown} does not exist`;
		}

		ancestor = parent;
		const writtenParent = path.dirname(written);
		written = writtenParent === written || writtenParent === '.' ? ancestor : writtenParent;
	}
}

function pathKind(directory: string): 'directory' | 'other' | 'missing' {
	try {
		return statSync(directory).isDirectory() ? 'directory' : 'other';
	} catch {
		return 'missing';
	}
}

/** One sentence per errno a report write can meet. */
function explain(file: string, error: unknown): string {
	const directory = path.dirname(file);
	switch (errorCode(error)) {
		case 'ENOENT':
		case 'ENOTDIR': {
			// procfs and similar answer ENOENT for a new name in a directory that does exist.
			switch (pathKind(directory)) {
				case 'directory': {
					return `cannot write ${file}: ${directory} does not accept new files; choose another --output`;
				}

				case 'other':
				case 'missing': {
					const why = missingDirectory(directory);
					return `cannot write ${file}: ${why}; ${why.endsWith('does not exist') ? 'create it or ' : ''}choose another --output`;
				}
			}

		}

		case 'EACCES':
		case 'EPERM': {
			return `cannot write ${file}: permission denied in ${directory}; choose a writable --output`;
		}

		case 'EROFS': {
			return `cannot write ${file}: ${directory} is on a read-only file system; choose another --output`;
		}

		case 'ENOSPC':
		case 'EDQUOT': {
			return `cannot write ${file}: no space left on the device; free some space or choose another --output`;
		}

		case 'EISDIR': {
			return `cannot write ${file}: it is a directory; give a file name as --output`;
		}

		default: {
			const reason = error instanceof Error ? error.message : String(error);
			return `cannot write ${file} (${reason}); check that the directory exists and is writable`;
		}
	}
}

function writeTemporary(temporary: string, content: string): void {
	const fd = openSync(temporary, 'wx', 0o644);
	try {
		const buffer = Buffer.from(content, 'utf8');
		let offset = 0;
		while (offset < buffer.length) {
			offset += writeSync(fd, buffer, offset, buffer.length - offset);
		}

		fsyncSync(fd);
	} finally {
		closeSync(fd);
	}
}

/**
Write `content` to `file`. Without `force`, an existing file is an error, checked atomically
(link(2) refuses an existing name, so two writers cannot both win); with `force` it is replaced
by rename(2).
*/
export function writeOutput(file: string, content: string, options: {force?: boolean} = {}): void {
	let existing;
	try {
		existing = statSync(file, {throwIfNoEntry: false});
	} catch (error) {
		throw new InputError(explain(file, error), undefined, {cause: error});
	}

	if (existing?.isDirectory()) {
		throw new InputError(`cannot write ${file}: it is a directory; give a file name as --output`);
	}

	if (existing && !options.force) {
		throw new InputError(`${file} exists; pass --force to replace it, or choose another --output`);
	}

	const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
	try {
		writeTemporary(temporary, content);
		if (options.force) {
			renameSync(temporary, file);
		} else {
			publishNew(temporary, file);
		}
	} catch (error) {
		rmSync(temporary, {force: true});
		if (error instanceof InputError) {
			throw error;
		}

		throw new InputError(explain(file, error), undefined, {cause: error});
	}
}

/** Move the temporary file to a name that must not exist yet. */
function publishNew(temporary: string, file: string): void {
	try {
		linkSync(temporary, file);
	} catch (error) {
		const code = errorCode(error);
		if (code === 'EEXIST') {
			throw new InputError(`${file} exists; pass --force to replace it, or choose another --output`, undefined, {cause: error});
		}

		// File systems without hard links (some FUSE and FAT mounts): fall back to rename after the check above.
		if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'EXDEV') {
			renameSync(temporary, file);
			return;
		}

		throw error;
	}

	rmSync(temporary, {force: true});
}
