/**
The probe module's checks (issue 9 item 3): each column of `probe.runs` (./format.ts) against the
model's answer for the same pfns, at the guest's version with the distribution's stable preset
(source/reproduce/compare.ts builds the model and runs compareAnswers() on what this returns).

What each check compares, the model's side first:
- `pfn_valid`, `pfn_to_online_page`, `present_section`, `valid_section`, `online_section`,
  `early_section`, `pfn_section_valid`, `get_dev_pagemap`: the predicates of
  source/model/predicates/ (include/linux/mmzone.h, mm/memory_hotplug.c pfn_to_online_page(),
  mm/memremap.c get_dev_pagemap()) against the running kernel's own functions;
- `SECTION_TAINT_ZONE_DEVICE`: the modelled mem_section flag against section_mem_map's bit;
- `zone`: page_zone() of the struct pages the module reads — those of pfn_to_online_page() and
  the initialized pfns of a held pgmap (pgmap_pfn_valid()) — against the model's memmap zone
  there; a pfn whose page only one side reads disagrees (`no page read`);
- `PageReserved`: the same pages, where the model knows the flag: holes of early sections
  (init_unavailable_range()), ZONE_DEVICE pages (__init_zone_device_page()) and hot-added memory.
  Boot RAM is left out: the model has no memblock.reserved allocations (the kernel image,
  early page tables, the initrd), which the kernel marks PageReserved (reserve_bootmem_region()).
Over the probe's whole range [0, end_pfn), above max_pfn included: that is what /proc/kpageflags
cannot show.
*/
import type {Model, PfnState} from '../../model/types.js';
import type {ProbeColumn, ProbeOutput, ProbeRun} from './format.js';

/** A value per run of pfns; undefined = not compared there. */
export type ProbeAnswerRun = {readonly start: number; readonly end: number; readonly value: string | undefined};

export type ProbeCheckInput = {
	readonly name: string;
	readonly kernel: readonly ProbeAnswerRun[];
	readonly model: readonly ProbeAnswerRun[];
	/** Pfns where both sides say this value are not counted (no page read on either side). */
	readonly uncountedWhenBoth?: string;
};

const NO_PAGE = 'no page read';

type Column = {
	readonly name: ProbeColumn;
	readonly model: (s: PfnState) => boolean;
	readonly yes: string;
	readonly no: string;
};

const COLUMNS: readonly Column[] = [
	{name: 'pfn_valid', model: s => s.predicates.pfn_valid, yes: 'true', no: 'false'},
	{name: 'pfn_to_online_page', model: s => s.predicates.pfn_to_online_page, yes: 'page', no: 'NULL'},
	{name: 'present_section', model: s => s.predicates.present_section, yes: 'true', no: 'false'},
	{name: 'valid_section', model: s => s.predicates.valid_section, yes: 'true', no: 'false'},
	{name: 'online_section', model: s => s.predicates.online_section, yes: 'true', no: 'false'},
	{name: 'early_section', model: s => s.predicates.early_section, yes: 'true', no: 'false'},
	{name: 'SECTION_TAINT_ZONE_DEVICE', model: s => s.section.taint_zone_device, yes: 'set', no: 'clear'},
	{name: 'pfn_section_valid', model: s => s.predicates.pfn_section_valid, yes: 'true', no: 'false'},
	{name: 'get_dev_pagemap', model: s => s.predicates.get_dev_pagemap !== null, yes: 'pgmap', no: 'NULL'},
];

function joined(answers: readonly ProbeAnswerRun[]): ProbeAnswerRun[] {
	const out: ProbeAnswerRun[] = [];
	for (const a of answers) {
		const last = out.at(-1);
		if (last && last.end === a.start && last.value === a.value) {
			out[out.length - 1] = {...last, end: a.end};
		} else {
			out.push(a);
		}
	}

	return out;
}

/** Whether the module reads the struct page of a pfn in this state: pfn_to_online_page(), or a held pgmap's initialized pfn. */
function modelReadsPage(s: PfnState): boolean {
	return s.predicates.pfn_to_online_page || (s.predicates.get_dev_pagemap !== null && s.predicates.pgmap_pfn_valid);
}

function modelZone(s: PfnState): string {
	if (!modelReadsPage(s)) {
		return NO_PAGE;
	}

	return (s.memmap.content === 'init' || s.memmap.content === 'stale') && s.memmap.zone !== undefined ? s.memmap.zone : `uninitialized (${s.memmap.content})`;
}

function modelReserved(model: Model, s: PfnState): string | undefined {
	if (!modelReadsPage(s)) {
		return NO_PAGE;
	}

	const entry = s.entry === null ? undefined : model.entries[s.entry];
	if (entry?.kind === 'boot') {
		return undefined;
	}

	return s.memmap.reserved === true ? 'PageReserved' : 'not reserved';
}

function kernelRuns(probe: ProbeOutput, value: (r: ProbeRun) => string | undefined): ProbeAnswerRun[] {
	return joined(probe.runs.map(r => ({start: r.start, end: r.end, value: value(r)})));
}

function modelRuns(model: Model, to: number, value: (s: PfnState) => string | undefined): ProbeAnswerRun[] {
	const out: ProbeAnswerRun[] = [];
	for (const r of model.runs) {
		if (r.start >= to) {
			break;
		}

		out.push({start: r.start, end: Math.min(r.end, to), value: value(r.state)});
	}

	return joined(out);
}

/** The probe's checks as kernel and model answer runs over [0, probe.end), and notes for the columns the kernel build could not answer. */
export function probeCheckInputs(model: Model, probe: ProbeOutput): {checks: ProbeCheckInput[]; notes: string[]} {
	const checks: ProbeCheckInput[] = [];
	const notes: string[] = [];
	for (const c of COLUMNS) {
		const why = probe.unavailable.get(c.name);
		if (why !== undefined || probe.runs.every(r => r.answers[c.name] === '-')) {
			notes.push(`the probe module could not answer ${c.name} on this kernel build${why ? ` (${why})` : ''}: not checked`);
			continue;
		}

		checks.push({
			name: c.name,
			kernel: kernelRuns(probe, r => (r.answers[c.name] === '-' ? undefined : r.answers[c.name] === '1' ? c.yes : c.no)),
			model: modelRuns(model, probe.end, s => (c.model(s) ? c.yes : c.no)),
		});
	}

	checks.push({name: 'zone', kernel: kernelRuns(probe, r => r.zone ?? NO_PAGE), model: modelRuns(model, probe.end, modelZone), uncountedWhenBoth: NO_PAGE});
	checks.push({
		name: 'PageReserved',
		kernel: kernelRuns(probe, r => (r.reserved === undefined ? NO_PAGE : r.reserved ? 'PageReserved' : 'not reserved')),
		model: modelRuns(model, probe.end, s => modelReserved(model, s)),
		uncountedWhenBoth: NO_PAGE,
	});
	return {checks, notes};
}
