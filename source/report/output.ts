/**
Writing a report to a file: atomically (temporary file in the same directory, then rename), and
never over an existing file without --force. Errors are InputErrors (exit 2).
*/
import {randomBytes} from 'node:crypto';
import {existsSync, renameSync, rmSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {InputError} from '../errors/input-error.js';

export function writeOutput(file: string, content: string, options: {force?: boolean} = {}): void {
	if (existsSync(file) && !options.force) {
		throw new InputError(`${file} exists; pass --force to replace it, or choose another --output`);
	}

	const temporary = path.join(path.dirname(file), `.${path.basename(file)}.${randomBytes(4).toString('hex')}.tmp`);
	try {
		writeFileSync(temporary, content, {flag: 'wx'});
		renameSync(temporary, file);
	} catch (error) {
		rmSync(temporary, {force: true});
		const reason = error instanceof Error && 'code' in error ? String((error as NodeJS.ErrnoException).code) : String(error);
		throw new InputError(`cannot write ${file} (${reason}); check that the directory exists and is writable`, undefined, {cause: error});
	}
}
