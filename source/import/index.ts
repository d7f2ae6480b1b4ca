/**
`pfnaudit import`, pure part: capture files → facts (collect.ts) → draft (build.ts) → topology YAML
(emit.ts), then validated by the topology loader like any hand-written file. A topology the loader
refuses is an import error naming the capture lines behind the refused entry.
*/
import {InputError, isInputError} from '../errors/input-error.js';
import {parseTopology} from '../topology/load.js';
import type {Topology} from '../topology/types.js';
import {buildDraft, type Draft, type ImportWarning} from './build.js';
import {checkAgainstKernel} from './check.js';
import {collectCapture, collectFiles, type CaptureFile, type CaptureFacts} from './collect.js';
import {describeSources, emitTopology} from './emit.js';

export type ImportInput = {readonly kind: 'capture' | 'files'; readonly label: string; readonly files: readonly CaptureFile[]};

export type ImportResult = {
	readonly text: string;
	readonly topology: Topology;
	readonly draft: Draft;
	readonly facts: CaptureFacts;
	readonly warnings: readonly ImportWarning[];
};

/** A topology name from a capture's path: its last component, lower case, [a-z0-9._-] only. */
export function nameFromLabel(label: string): string {
	const base = (label.split(/[\\/]/).filter(Boolean).at(-1) ?? '').replace(/\.(?:tar\.gz|tgz|txt|json)$/, '');
	const name = base.toLowerCase().replace(/[^a-z0-9._-]+/g, '-').replace(/^-+|-+$/g, '');
	return name === '' || name === '.' || name === '..' ? 'imported' : name;
}

export function importCapture(input: ImportInput, options: {name?: string; kernel?: string; file?: string; /** a directory given where a topology file goes */ inPlaceOfTopology?: boolean} = {}): ImportResult {
	const facts = input.kind === 'capture' ? collectCapture(input.files) : collectFiles(input.files);
	if (facts.read.length === 0 && options.inPlaceOfTopology === true) {
		throw new InputError('the topology path is a directory with no capture file in it; give a .yaml or .json topology file, or a capture directory (proc/iomem, dmesg.txt, … — docs/capture-format.md)', {file: input.label});
	}

	if (facts.read.length === 0) {
		throw new InputError(
			'no capture file found: a capture directory holds proc/iomem, dmesg.txt, sys/devices/system/memory/…, lsmem.txt or the ndctl/daxctl/cxl JSON (docs/capture-format.md)',
			{file: input.label},
		);
	}

	const name = options.name ?? nameFromLabel(input.label);
	const draft = buildDraft(facts, {name, label: input.label, ...(options.kernel === undefined ? {} : {kernel: options.kernel})});
	const text = emitTopology(draft);
	const file = options.file ?? `${input.label} (imported)`;
	let topology: Topology;
	try {
		topology = parseTopology(text, file);
	} catch (error) {
		if (!isInputError(error)) {
			throw error;
		}

		// Name the capture lines of the entry the loader refused.
		const line = error.location?.line;
		const at = line === undefined ? undefined : text.split('\n').slice(0, line).reverse().find(l => /^\s*# \S+:\d/.test(l));
		throw new InputError(
			`the capture imports to a topology pfnaudit refuses: ${error.message}${at ? ` (from ${at.trim().slice(2).split(' — ')[0]})` : ''}`,
			{file: input.label},
			{cause: error},
		);
	}

	// What the kernel said about its zones, against the model of the import (check.ts).
	return {text, topology, draft, facts, warnings: [...draft.warnings, ...checkAgainstKernel(topology, facts)]};
}

export function formatWarning(w: ImportWarning): string {
	return `${describeSources([{file: w.file, line: w.line ?? 0}]).replace(/:0$/, '')}: ${w.message}`;
}
