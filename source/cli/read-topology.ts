/**
Reading a topology file named on the command line: shared by the headless audit and `explain`
(which needs the parser and the model, not the engine or the reports).
*/
import {closeSync, openSync, readSync, statSync} from 'node:fs';
import path from 'node:path';
import {leanHeapFor} from '../engine/collect.js';
import {InputError} from '../errors/input-error.js';
import {formatWarning, importCapture} from '../import/index.js';
import {type EmbeddedTopology, extractEmbeddedTopology} from '../topology/embedded.js';
import {parseTopology as realParseTopology} from '../topology/load.js';
import {readTopologyText} from '../topology/read-file.js';
import type {Topology} from '../topology/types.js';
import type {HeadlessOptions} from './audit-args.js';
import {type CaptureRead, isTarball, readCaptureDirectory, readCaptureTarball} from './capture-read.js';
import type {Io} from './command.js';

/** A directory (a capture); anything else, even a path through a file (ENOTDIR), is read as a file. */
function isDirectory(absolute: string): boolean {
	try {
		return statSync(absolute).isDirectory();
	} catch {
		return false;
	}
}

/** A regular file that is a capture tarball: named .tar.gz/.tgz, or gzip data (1f 8b) whatever its name. */
function isTarballFile(absolute: string): boolean {
	if (statSync(absolute, {throwIfNoEntry: false})?.isFile() !== true) {
		return false;
	}

	if (isTarball(absolute)) {
		return true;
	}

	const magic = Buffer.alloc(2);
	try {
		const fd = openSync(absolute, 'r');
		try {
			readSync(fd, magic, 0, 2, 0);
		} finally {
			closeSync(fd);
		}
	} catch {
		return false;
	}

	return magic[0] === 0x1f && magic[1] === 0x8b;
}

/** Size and mtime: a tarball read ahead is used only while the file is unchanged. */
function stampOf(absolute: string): string {
	const stats = statSync(absolute, {throwIfNoEntry: false});
	return stats ? `${stats.size}:${stats.mtimeMs}` : '';
}

/**
Capture tarballs given where a topology goes, read ahead by readCaptureTarballs(): a tarball is
read asynchronously (modern-tar), a topology synchronously. By absolute path.
*/
const tarballs = new Map<string, {stamp: string; read: CaptureRead}>();

/**
Read ahead the capture tarballs (`.tar.gz` of a capture directory, docs/capture-format.md) among
the topology paths of a command, so that readTopology() imports them as it imports a capture
directory. A bad tarball is an InputError at the file, as for `pfnaudit import`.
*/
export async function readCaptureTarballs(files: readonly string[], cwd: string): Promise<void> {
	for (const file of files) {
		const absolute = path.resolve(cwd, file);
		if (!isTarballFile(absolute)) {
			continue;
		}

		const stamp = stampOf(absolute);
		if (tarballs.get(absolute)?.stamp !== stamp) {
			// eslint-disable-next-line no-await-in-loop
			tarballs.set(absolute, {stamp, read: await readCaptureTarball(absolute, file)});
		}
	}
}

/**
The capture at a path given where a topology goes: a directory, or a tarball read ahead by
readCaptureTarballs(); undefined for a topology file (or a report).
*/
export function captureAt(absolute: string, shown: string): CaptureRead | undefined {
	if (isDirectory(absolute)) {
		return readCaptureDirectory(absolute, shown);
	}

	const ahead = tarballs.get(absolute);
	if (ahead && ahead.stamp === stampOf(absolute)) {
		return {...ahead.read, label: shown};
	}

	if (isTarballFile(absolute)) {
		// Every command reads its tarballs ahead; one that does not is a bug, not bad input.
		throw new Error(`${shown}: capture tarball not read ahead (readCaptureTarballs())`);
	}

	return undefined;
}

/**
Read and parse a topology file given on the command line (relative to `io.cwd`), with --kernel
and --patch applied; an unreadable path or a directory is an InputError at the file. A capture
directory, or a capture tarball read ahead by readCaptureTarballs(), is imported on the fly
(docs/capture-format.md), its import warnings on stderr. Shared with the explain command.
*/
export function readTopology(file: string, io: Io, options: Pick<HeadlessOptions, 'kernel' | 'patches'>, parse: typeof realParseTopology = realParseTopology): Topology {
	// A large topology is parsed, built and walked with lean heaps (engine/collect.ts).
	const parseLean: typeof realParseTopology = (text, ...rest) => {
		leanHeapFor(text);
		return parse(text, ...rest);
	};

	const absolute = path.resolve(io.cwd, file);
	const capture = captureAt(absolute, file);
	if (capture) {
		const result = importCapture(capture, {...(options.kernel === undefined ? {} : {kernel: options.kernel}), file, inPlaceOfTopology: isDirectory(absolute)});
		for (const warning of result.warnings) {
			io.stderr.write(`pfnaudit: warning: ${formatWarning(warning)}\n`);
		}

		return parseLean(result.text, file, {...(options.kernel === undefined ? {} : {kernel: options.kernel}), ...(options.patches ? {patches: options.patches} : {})});
	}

	// A regular file of bounded size only (topology/load.ts): never /dev/zero, a FIFO, a disk image.
	const text = readTopologyText(absolute, file);
	const embedded = topologyOfReport(text, file, io);
	if (embedded) {
		// The report's kernel and patches, unless the command line says otherwise (--patch adds).
		const kernel = options.kernel ?? embedded.kernel;
		return parseLean(embedded.source, file, {...(kernel === undefined ? {} : {kernel}), patches: [...embedded.patches, ...(options.patches ?? [])]});
	}

	return parseLean(text, file, {...(options.kernel === undefined ? {} : {kernel: options.kernel}), ...(options.patches ? {patches: options.patches} : {})});
}

/**
A pfnaudit report given in place of a topology file: the topology it embeds (topology/embedded.ts),
announced on stderr; undefined for anything else. A report without one is an InputError.
*/
function topologyOfReport(text: string, file: string, io: Io): EmbeddedTopology | undefined {
	const extracted = extractEmbeddedTopology(text);
	if (!extracted.topology) {
		if (extracted.report) {
			throw new InputError('this is a pfnaudit report without an embedded topology (written by an older pfnaudit); give the topology file it names instead', {file});
		}

		return undefined;
	}

	const {topology, of} = extracted as {topology: EmbeddedTopology; of: number};
	const several = of > 1 ? ` (the first of the ${of} topologies it holds)` : '';
	const patches = topology.patches.length === 0 ? '' : `, patches ${topology.patches.join(',')}`;
	io.stderr.write(`pfnaudit: ${file}: auditing the topology embedded in this report${several}: ${topology.file}${topology.kernel === undefined ? '' : ` at v${topology.kernel}`}${patches}; positions are lines of ${topology.file}\n`);
	return topology;
}
