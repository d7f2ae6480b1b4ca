/**
Reading a capture from the filesystem (docs/capture-format.md): a directory that mirrors the
machine's paths, a `.tar.gz` of one, or single files. The command layer's half of `import`; the
parsing is pure (source/import/).

Refused with one sentence, nothing read further: a tarball entry with an absolute path or a `..`
component, a symlink or hard link (in a tarball or a directory) whose target leaves the capture,
a file larger than MAX_FILE_BYTES.
*/
import {lstatSync, readdirSync, readFileSync, realpathSync, statSync} from 'node:fs';
import path from 'node:path';
import {gunzipSync} from 'node:zlib';
import {InputError} from '../errors/input-error.js';
import type {CaptureFile} from '../import/collect.js';

/** Larger than any /proc/iomem or boot log; a guard against a wrong path (e.g. /proc/kcore). */
export const MAX_FILE_BYTES = 64 * 2 ** 20;

export type CaptureRead = {readonly kind: 'capture' | 'files'; readonly label: string; readonly files: CaptureFile[]};

export function isTarball(file: string): boolean {
	return /\.(?:tar\.gz|tgz)$/.test(file);
}

/** Whether a path given where a topology is expected is a capture (directory or tarball). */
export function isCapturePath(absolute: string): boolean {
	try {
		return statSync(absolute).isDirectory() || isTarball(absolute);
	} catch {
		return false;
	}
}

function readText(absolute: string, shown: string): string {
	let size: number;
	try {
		size = statSync(absolute).size;
	} catch (error) {
		throw new InputError(`cannot read it (${(error as NodeJS.ErrnoException).code ?? String(error)}); check the path`, {file: shown}, {cause: error});
	}

	if (size > MAX_FILE_BYTES) {
		throw new InputError(`the file is ${Math.round(size / 2 ** 20)} MiB, larger than any capture file (${MAX_FILE_BYTES / 2 ** 20} MiB at most); is it the right path?`, {file: shown});
	}

	return readFileSync(absolute, 'utf8');
}

/** A capture directory: every regular file under it, by its path relative to the root. */
export function readCaptureDirectory(root: string, shown: string): CaptureRead {
	const realRoot = realpathSync(root);
	const files: CaptureFile[] = [];
	const walk = (dir: string, relative: string): void => {
		for (const name of readdirSync(dir).sort()) {
			const absolute = path.join(dir, name);
			const rel = relative === '' ? name : `${relative}/${name}`;
			const stat = lstatSync(absolute);
			if (stat.isSymbolicLink()) {
				let target: string;
				try {
					target = realpathSync(absolute);
				} catch {
					target = path.resolve(dir, name);
				}

				if (target !== realRoot && !target.startsWith(realRoot + path.sep)) {
					throw new InputError(`symlink ${rel} points out of the capture directory; a capture holds copies of the machine's files (cp -L), not links to them`, {file: shown});
				}

				// node/nodeN/memoryM is a link to the block's directory in sysfs: its presence is the fact.
				files.push({name: rel, text: statSync(target, {throwIfNoEntry: false})?.isFile() ? readText(target, `${shown}/${rel}`) : ''});
				continue;
			}

			if (stat.isDirectory()) {
				walk(absolute, rel);
			} else if (stat.isFile()) {
				files.push({name: rel, text: readText(absolute, `${shown}/${rel}`)});
			}
		}
	};

	walk(root, '');
	return {kind: 'capture', label: shown, files};
}

function normalise(name: string, shown: string): string {
	const trimmed = name.replace(/^(?:\.\/)+/, '').replace(/\/+$/, '');
	if (trimmed.startsWith('/') || trimmed.split('/').includes('..')) {
		throw new InputError(`the tarball entry "${name}" ${trimmed.startsWith('/') ? 'is an absolute path' : 'has a ".." component'}: a capture tarball holds paths inside the capture only; it was not read`, {file: shown});
	}

	return trimmed;
}

/** A `.tar.gz` of a capture directory, read in memory (nothing is extracted to disk). */
export async function readCaptureTarball(absolute: string, shown: string): Promise<CaptureRead> {
	let data: Buffer;
	try {
		data = gunzipSync(readFileSync(absolute), {maxOutputLength: 16 * MAX_FILE_BYTES});
	} catch (error) {
		const code = (error as NodeJS.ErrnoException).code;
		throw new InputError(
			code === 'ENOENT'
				? 'no such file; check the path'
				: code === 'Z_BUF_ERROR' || /unexpected end of file/.test((error as Error).message)
					? 'the gzip stream ends early: the tarball is truncated; copy it again, or make it again with tar czf capture.tar.gz -C DIR .'
					: `not a gzip-compressed tarball (${(error as Error).message}); make one with tar czf capture.tar.gz -C DIR .`,
			{file: shown},
			{cause: error},
		);
	}

	const {unpackTar} = await import('modern-tar');
	let entries: Awaited<ReturnType<typeof unpackTar>>;
	try {
		entries = await unpackTar(data, {strict: true});
	} catch (error) {
		throw new InputError(`not a readable tar archive (${(error as Error).message}); is it truncated? Make it again with tar czf`, {file: shown}, {cause: error});
	}

	const named = entries.map(e => ({entry: e, name: normalise(e.header.name, shown)}));
	// A tarball of the directory itself (tar czf c.tar.gz capture/) has one top folder: strip it.
	const tops = new Set(named.map(n => n.name.split('/')[0]));
	const strip = tops.size === 1 && named.every(n => n.name.includes('/') || n.entry.header.type === 'directory') ? `${[...tops][0]}/` : '';
	const files: CaptureFile[] = [];
	for (const {entry, name} of named) {
		const rel = name.startsWith(strip) ? name.slice(strip.length) : name;
		const type = entry.header.type ?? 'file';
		if (type === 'symlink' || type === 'link') {
			const link = entry.header.linkname ?? '';
			const base = type === 'symlink' ? path.posix.dirname(rel) : '';
			const target = path.posix.normalize(path.posix.join(base, link));
			if (link.startsWith('/') || target === '..' || target.startsWith('../')) {
				throw new InputError(`the tarball's ${type === 'symlink' ? 'symlink' : 'hard link'} ${rel} points out of the capture (${link}); it was not read`, {file: shown});
			}

			files.push({name: rel, text: ''});
			continue;
		}

		if (type !== 'file') {
			continue;
		}

		if (entry.header.size > MAX_FILE_BYTES) {
			throw new InputError(`the tarball's ${rel} is larger than any capture file (${MAX_FILE_BYTES / 2 ** 20} MiB at most)`, {file: shown});
		}

		files.push({name: rel, text: new TextDecoder().decode(entry.data ?? new Uint8Array())});
	}

	return {kind: 'capture', label: shown, files};
}

/** The positional arguments of `import`: one capture (directory or tarball), or single files. */
export async function readImportInputs(paths: readonly string[], cwd: string): Promise<CaptureRead> {
	const resolved = paths.map(p => ({shown: p, absolute: path.resolve(cwd, p)}));
	const first = resolved[0]!;
	const isDir = (p: string): boolean => statSync(p, {throwIfNoEntry: false})?.isDirectory() === true;
	if (resolved.length === 1 && isDir(first.absolute)) {
		return readCaptureDirectory(first.absolute, first.shown);
	}

	if (resolved.length === 1 && isTarball(first.absolute)) {
		return readCaptureTarball(first.absolute, first.shown);
	}

	const files: CaptureFile[] = [];
	for (const {shown, absolute} of resolved) {
		if (isDir(absolute) || isTarball(absolute)) {
			throw new InputError('a capture directory or tarball is imported on its own; give it alone, or give single files', {file: shown});
		}

		if (statSync(absolute, {throwIfNoEntry: false}) === undefined) {
			throw new InputError('no such file or directory; give a capture directory, a .tar.gz of one, or capture files', {file: shown});
		}

		files.push({name: shown, text: readText(absolute, shown)});
	}

	return {kind: 'files', label: paths.join(', '), files};
}
