import {EXIT_OK} from '../../errors/exit-codes.js';
import {InputError} from '../../errors/input-error.js';
import {buildModel} from '../../model/build.js';
import {explainPfn} from '../../model/explain.js';
import {renderExplainText} from '../../model/explain-text.js';
import {hex, PHYS_PFN} from '../../model/geometry.js';
import type {CommandModule} from '../command.js';
import {patchValues, readTopology} from '../headless.js';

const NUMBER = /^(?:0[xX][\da-fA-F](?:_?[\da-fA-F])*|\d(?:_?\d)*)$/;

/** Decimal or 0x hex with `_` separators, as a safe integer; an InputError naming `what` otherwise. */
export function parseNumberArgument(text: string, what: string): number {
	const trimmed = text.trim();
	if (!NUMBER.test(trimmed)) {
		throw new InputError(`${what} "${text}" is not a number; give decimal (2359296) or 0x hex (0x24_0000)`);
	}

	const value = Number(trimmed.replaceAll('_', ''));
	if (!Number.isSafeInteger(value)) {
		throw new InputError(`${what} "${text}" is larger than 2^53 - 1 and cannot be represented exactly; give a smaller value`);
	}

	return value;
}

/** `pfnaudit explain <topology> <pfn>` — one pfn, like crash's `kmem -p` for the model (SPEC §7). */
export const explainCommand: CommandModule = {
	command: 'explain <topology> <pfn>',
	describe: 'explain one pfn: section, subsection, memmap, category and every predicate',
	builder: y =>
		y
			.positional('topology', {type: 'string', describe: 'topology file (YAML or JSON)'})
			.positional('pfn', {type: 'string', describe: 'pfn (decimal or 0x hex, `_` allowed); a physical address with --address'})
			.option('address', {type: 'boolean', default: false, describe: 'the positional is a physical address, not a pfn'})
			.option('kernel', {type: 'string', describe: 'kernel semantics version "MAJOR.MINOR" (overrides the topology)'})
			.option('patch', {type: 'string', requiresArg: true, describe: 'apply a named what-if patch or stable backport; repeatable or comma-separated (pfnaudit list patches)'})
			.option('phase', {type: 'string', describe: 'replay phase to stop at (default: final)'})
			.option('format', {type: 'string', choices: ['text', 'json'] as const, default: 'text', describe: 'output format'}),
	async run(args, io) {
		const topology = readTopology(String(args['topology']), io, {
			...(typeof args['kernel'] === 'string' ? {kernel: args['kernel']} : {}),
			patches: patchValues(args['patch']) ?? [],
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
	},
};
