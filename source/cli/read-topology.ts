/**
Reading a topology file named on the command line: shared by the headless audit and `explain`
(which needs the parser and the model, not the engine or the reports).
*/
import {readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {InputError} from '../errors/input-error.js';
import {parseTopology as realParseTopology} from '../topology/load.js';
import type {Topology} from '../topology/types.js';
import type {HeadlessOptions} from './audit-args.js';
import type {Io} from './command.js';

/**
Read and parse a topology file given on the command line (relative to `io.cwd`), with --kernel
and --patch applied; an unreadable path or a directory is an InputError at the file. Shared with
the explain command.
*/
export function readTopology(file: string, io: Io, options: Pick<HeadlessOptions, 'kernel' | 'patches'>, parse: typeof realParseTopology = realParseTopology): Topology {
	const absolute = path.resolve(io.cwd, file);
	let text: string;
	try {
		if (statSync(absolute).isDirectory()) {
			throw new InputError('the topology path is a directory; give a .yaml or .json topology file', {file});
		}

		text = readFileSync(absolute, 'utf8');
	} catch (error) {
		if (error instanceof InputError) {
			throw error;
		}

		throw new InputError(`cannot read the topology file (${(error as NodeJS.ErrnoException).code ?? String(error)}); check the path, or run 'pfnaudit list topologies'`, {file}, {cause: error});
	}

	return parse(text, file, {...(options.kernel === undefined ? {} : {kernel: options.kernel}), ...(options.patches ? {patches: options.patches} : {})});
}
