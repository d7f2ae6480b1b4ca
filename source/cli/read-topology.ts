/**
Reading a topology file named on the command line: shared by the headless audit and `explain`
(which needs the parser and the model, not the engine or the reports).
*/
import path from 'node:path';
import {parseTopology as realParseTopology} from '../topology/load.js';
import {readTopologyText} from '../topology/read-file.js';
import type {Topology} from '../topology/types.js';
import type {HeadlessOptions} from './audit-args.js';
import type {Io} from './command.js';

/**
Read and parse a topology file given on the command line (relative to `io.cwd`), with --kernel
and --patch applied; an unreadable path or a directory is an InputError at the file. Shared with
the explain command.
*/
export function readTopology(file: string, io: Io, options: Pick<HeadlessOptions, 'kernel' | 'patches'>, parse: typeof realParseTopology = realParseTopology): Topology {
	// A regular file of bounded size only (topology/load.ts): never /dev/zero, a FIFO, a disk image.
	const text = readTopologyText(path.resolve(io.cwd, file), file);
	return parse(text, file, {...(options.kernel === undefined ? {} : {kernel: options.kernel}), ...(options.patches ? {patches: options.patches} : {})});
}
