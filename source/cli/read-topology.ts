/**
Reading a topology file named on the command line: shared by the headless audit and `explain`
(which needs the parser and the model, not the engine or the reports).
*/
import {statSync} from 'node:fs';
import path from 'node:path';
import {InputError} from '../errors/input-error.js';
import {formatWarning, importCapture} from '../import/index.js';
import {type EmbeddedTopology, extractEmbeddedTopology} from '../topology/embedded.js';
import {parseTopology as realParseTopology} from '../topology/load.js';
import {readTopologyText} from '../topology/read-file.js';
import type {Topology} from '../topology/types.js';
import type {HeadlessOptions} from './audit-args.js';
import {readCaptureDirectory} from './capture-read.js';
import type {Io} from './command.js';

/** A directory (a capture); anything else, even a path through a file (ENOTDIR), is read as a file. */
function isDirectory(absolute: string): boolean {
	try {
		return statSync(absolute).isDirectory();
	} catch {
		return false;
	}
}

/**
Read and parse a topology file given on the command line (relative to `io.cwd`), with --kernel
and --patch applied; an unreadable path or a directory is an InputError at the file. Shared with
the explain command.
*/
export function readTopology(file: string, io: Io, options: Pick<HeadlessOptions, 'kernel' | 'patches'>, parse: typeof realParseTopology = realParseTopology): Topology {
	const absolute = path.resolve(io.cwd, file);
	if (isDirectory(absolute)) {
		// A capture directory (docs/capture-format.md): imported on the fly.
		const result = importCapture(readCaptureDirectory(absolute, file), {...(options.kernel === undefined ? {} : {kernel: options.kernel}), file, inPlaceOfTopology: true});
		for (const warning of result.warnings) {
			io.stderr.write(`pfnaudit: warning: ${formatWarning(warning)}\n`);
		}

		return parse(result.text, file, {...(options.kernel === undefined ? {} : {kernel: options.kernel}), ...(options.patches ? {patches: options.patches} : {})});
	}

	// A regular file of bounded size only (topology/load.ts): never /dev/zero, a FIFO, a disk image.
	const text = readTopologyText(absolute, file);
	const embedded = topologyOfReport(text, file, io);
	if (embedded) {
		// The report's kernel and patches, unless the command line says otherwise (--patch adds).
		const kernel = options.kernel ?? embedded.kernel;
		return parse(embedded.source, file, {...(kernel === undefined ? {} : {kernel}), patches: [...embedded.patches, ...(options.patches ?? [])]});
	}

	return parse(text, file, {...(options.kernel === undefined ? {} : {kernel: options.kernel}), ...(options.patches ? {patches: options.patches} : {})});
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
