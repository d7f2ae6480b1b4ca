/**
`pfnaudit explain`'s work, loaded by run() of ./explain.ts: read the topology, build the model up
to the phase asked, and explain one pfn.
*/
import {EXIT_OK} from '../../errors/exit-codes.js';
import {InputError} from '../../errors/input-error.js';
import {singleValue} from '../usage-errors.js';
import {buildModel} from '../../model/build.js';
import {explainPfn} from '../../model/explain.js';
import {renderExplainText} from '../../model/explain-text.js';
import {hex, PHYS_PFN} from '../../model/geometry.js';
import type {Io} from '../command.js';
import {patchValues} from '../audit-args.js';
import {readCaptureTarballs, readTopology} from '../read-topology.js';
import {parseNumberText} from '../../topology/numbers.js';

/**
A pfn or a physical address from the command line, in the number syntax of topology files
(source/topology/numbers.ts: decimal, 0x hex with `_` separators, a size with a binary suffix:
`--address 4G`), plus `_` between decimal digits; a safe integer, or an InputError naming `what`.
A pfn takes no size suffix: a suffix counts bytes, so the sentence points at --address.
*/
export function parseNumberArgument(text: string, what: 'pfn' | 'address'): number {
	const trimmed = text.trim();
	const normal = /^\d+(?:_\d+)+$/.test(trimmed) ? trimmed.replaceAll('_', '') : trimmed;
	const result = parseNumberText(normal);
	if (!result.ok) {
		throw new InputError(`${what} ${result.error}`);
	}

	if (what === 'pfn' && /^\d+[KMGTP]$/.test(normal)) {
		throw new InputError(`pfn ${trimmed}: a K, M, G, T or P suffix is a size in bytes, not a pfn count; give the pfn in decimal or 0x hex, or use --address ${trimmed} for the pfn at that physical address`);
	}

	return result.value;
}

/** `--patch ./mine.ts`: a user what-if patch (source/patch/load.ts, loaded only when a value is a path). */
async function patchNames(values: string[], cwd: string): Promise<string[]> {
	if (!values.some(value => /[/\\]|\.[cm]?[jt]s$/.test(value))) {
		return values;
	}

	const {resolvePatchValues} = await import('../../patch/load.js');
	return (await resolvePatchValues(values, cwd)).names;
}

export async function runExplain(args: Record<string, unknown>, io: Io): Promise<number> {
	const kernel = singleValue(args, 'kernel');
	const phase = singleValue(args, 'phase');
	await readCaptureTarballs([String(args['topology'])], io.cwd);
	const topology = readTopology(String(args['topology']), io, {
		...(kernel === undefined ? {} : {kernel}),
		patches: await patchNames(patchValues(args['patch']) ?? [], io.cwd),
	});
	const model = buildModel(topology, phase === undefined ? {} : {phase});
	const isAddress = args['address'] === true;
	const value = parseNumberArgument(String(args['pfn']), isAddress ? 'address' : 'pfn');
	const pfn = isAddress ? PHYS_PFN(model.geometry, value) : value;
	if (pfn >= model.end_pfn) {
		throw new InputError(
			`pfn ${hex(pfn)} is beyond the modelled space [0, ${hex(model.end_pfn)}) of ${model.geometry.arch} (1 << (64 - PAGE_SHIFT) plus one section); give a smaller ${isAddress ? 'address' : 'pfn'}`,
		);
	}

	const result = explainPfn(model, pfn);
	io.stdout.write(args['format'] === 'json' ? `${JSON.stringify(result, null, 2)}\n` : renderExplainText(result));
	return EXIT_OK;
}
