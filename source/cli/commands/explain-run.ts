/**
`pfnaudit explain`'s work, loaded by run() of ./explain.ts: read the topology, build the model up
to the phase asked, and explain one pfn.
*/
import {EXIT_OK} from '../../errors/exit-codes.js';
import {InputError} from '../../errors/input-error.js';
import {buildModel} from '../../model/build.js';
import {explainPfn} from '../../model/explain.js';
import {renderExplainText} from '../../model/explain-text.js';
import {hex, PHYS_PFN} from '../../model/geometry.js';
import type {Io} from '../command.js';
import {patchValues} from '../audit-args.js';
import {readTopology} from '../read-topology.js';
import {parseNumberArgument} from './explain.js';

/** `--patch ./mine.ts`: a user what-if patch (source/patch/load.ts, loaded only when a value is a path). */
async function patchNames(values: string[], cwd: string): Promise<string[]> {
	if (!values.some(value => /[/\\]|\.[cm]?[jt]s$/.test(value))) {
		return values;
	}

	const {resolvePatchValues} = await import('../../patch/load.js');
	return (await resolvePatchValues(values, cwd)).names;
}

export async function runExplain(args: Record<string, unknown>, io: Io): Promise<number> {
	const topology = readTopology(String(args['topology']), io, {
		...(typeof args['kernel'] === 'string' ? {kernel: args['kernel']} : {}),
		patches: await patchNames(patchValues(args['patch']) ?? [], io.cwd),
	});
	const model = buildModel(topology, typeof args['phase'] === 'string' ? {phase: args['phase']} : {});
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
