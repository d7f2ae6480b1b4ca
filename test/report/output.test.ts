import {chmodSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {InputError, isInputError} from '../../source/errors/input-error.js';
import {writeOutput} from '../../source/report/output.js';

function thrown(action: () => void): unknown {
	try {
		action();
	} catch (error) {
		return error;
	}

	throw new Error('expected an error');
}

// A test of writeOutput(): atomic writes through a temporary file in the same directory, never
// over an existing file without force, and every failure an InputError (exit 2) whose message
// is one sentence naming the file and what to do.
describe('writeOutput', () => {
	let dir: string;

	beforeEach(() => {
		dir = mkdtempSync(path.join(tmpdir(), 'pfnaudit-output-'));
	});

	afterEach(() => {
		chmodSync(dir, 0o755);
		rmSync(dir, {recursive: true, force: true});
	});

	it('writes a new file and leaves no temporary file behind', () => {
		const file = path.join(dir, 'report.json');
		writeOutput(file, '{"verdict": "pass"}\n');
		expect(readFileSync(file, 'utf8')).toBe('{"verdict": "pass"}\n');
		expect(readdirSync(dir)).toEqual(['report.json']);
	});

	it('refuses to replace an existing file without force, and keeps it intact', () => {
		const file = path.join(dir, 'report.html');
		writeFileSync(file, 'old');
		const error = thrown(() => writeOutput(file, 'new'));
		expect(isInputError(error)).toBe(true);
		expect((error as InputError).message).toBe(`${file} exists; pass --force to replace it, or choose another --output`);
		expect(readFileSync(file, 'utf8')).toBe('old');
		expect(readdirSync(dir)).toEqual(['report.html']);
	});

	it('replaces an existing file with force', () => {
		const file = path.join(dir, 'report.sarif');
		writeFileSync(file, 'old');
		writeOutput(file, 'new', {force: true});
		expect(readFileSync(file, 'utf8')).toBe('new');
		expect(readdirSync(dir)).toEqual(['report.sarif']);
	});

	it('writes multi-byte text whole', () => {
		const file = path.join(dir, 'report.md');
		const content = `${'\u2192 '.repeat(200_000)}\n`;
		writeOutput(file, content);
		expect(readFileSync(file, 'utf8')).toBe(content);
	});

	it('names a missing directory as an InputError', () => {
		const file = path.join(dir, 'no', 'such', 'report.txt');
		const error = thrown(() => writeOutput(file, 'x'));
		expect(isInputError(error)).toBe(true);
		expect((error as InputError).message).toBe(`cannot write ${file}: the directory ${path.join(dir, 'no', 'such')} does not exist; create it or choose another --output`);
	});

	it('refuses a directory as the output, even with force', () => {
		const target = path.join(dir, 'out');
		mkdirSync(target);
		const error = thrown(() => writeOutput(target, 'x', {force: true}));
		expect(isInputError(error)).toBe(true);
		expect((error as InputError).message).toBe(`cannot write ${target}: it is a directory; give a file name as --output`);
	});

	// Root ignores directory permissions, so this case only means something for other users.
	it.skipIf(process.getuid?.() === 0)('reports an unwritable directory as an InputError', () => {
		chmodSync(dir, 0o555);
		const file = path.join(dir, 'report.ktap');
		const error = thrown(() => writeOutput(file, 'x'));
		expect(isInputError(error)).toBe(true);
		expect((error as InputError).message).toBe(`cannot write ${file}: permission denied in ${dir}; choose a writable --output`);
	});

	it('reports a path through a regular file as an InputError', () => {
		const blocker = path.join(dir, 'file');
		writeFileSync(blocker, '');
		const file = path.join(blocker, 'report.xml');
		const error = thrown(() => writeOutput(file, 'x'));
		expect(isInputError(error)).toBe(true);
		expect((error as InputError).message).toBe(`cannot write ${file}: ${blocker} is not a directory; choose another --output`);
	});

	it('reports a directory that takes no new files as an InputError', () => {
		// procfs answers ENOENT for a new name in /proc, which exists.
		const file = '/proc/pfnaudit-report.json';
		const error = thrown(() => writeOutput(file, 'x'));
		expect(isInputError(error)).toBe(true);
		expect((error as InputError).message).toBe('cannot write /proc/pfnaudit-report.json: /proc does not accept new files; choose another --output');
	});

	it('reports a directory unwritable even for root as an InputError', () => {
		// sysfs refuses new files to every user: EACCES, or EROFS where /sys is mounted read-only.
		const file = '/sys/pfnaudit-report.json';
		const error = thrown(() => writeOutput(file, 'x'));
		expect(isInputError(error)).toBe(true);
		expect((error as InputError).message).toMatch(
			/^cannot write \/sys\/pfnaudit-report\.json: (permission denied in \/sys; choose a writable --output|\/sys is on a read-only file system; choose another --output)$/,
		);
	});
});
