/**
The comparison half of `pfnaudit reproduce --run` (issue 9): a capture of a guest (the import
format of docs/capture-format.md, plus `kpageflags.runs`) → import (source/import) → the model at
the guest's exact version with the distribution's stable preset → checked pfn by pfn against what
the kernel said. Everything is run-length: the kernel's runs (kpageflags.runs), the model's runs
(Model.runs) and the answers are merged as runs, never per-pfn arrays.

Checks, each over the pfns it names:
- `pfn_to_online_page`: KPF_NOPAGE of /proc/kpageflags is set exactly where pfn_to_online_page()
  returns NULL (fs/proc/page.c kpageflags_read() → stable_page_flags(NULL) = 1 << KPF_NOPAGE),
  over every pfn the file has.
- `hole_reserved`: holes inside early sections (pfns of no entry whose memmap the model has
  initialized PageReserved: init_unavailable_range() from v5.12, 0740a50b9baa) show KPF_RESERVED.
- `max_pfn`: /proc/kpageflags ends at round_up(max_pfn, PAGES_PER_SECTION) (fs/proc/page.c
  get_max_dump_pfn() [V 6.1, 6.12]); per pfn: in the file or not.
- `memory_blocks`: each memory block's state, and for online blocks the zone sysfs valid_zones
  names (drivers/base/memory.c valid_zones_show(): mem->zone, `none` for a block spanning zones;
  early blocks get it from early_node_zone_for_memory_block(): the one populated zone whose span
  intersects the block [V 6.1, 6.12]); counted in the block's pfns.
- `memory_block_nodes`: the nodes each memory block is linked under (sysfs node/nodeN/memoryM),
  a block split between nodes under each (modelBlockNodes()); counted in the block's pfns.
- `zone_spans`: each populated zone's [start_pfn, start_pfn + spanned) of /proc/zoneinfo against
  the model's zone span, per pfn of either.
- `probe <column>`: when the capture has the probe module's `probe.runs` (docs/probe-format.md),
  each of its columns — pfn_valid, pfn_to_online_page, the section flags,
  SECTION_TAINT_ZONE_DEVICE, pfn_section_valid, get_dev_pagemap, the zone and PageReserved of
  initialized pages — over its whole range, above max_pfn included (./probe/checks.ts); the zone
  of firmware tables the capture's dmesg says were memblock_reserve()d outside every zone span is
  zone index MAX_NR_ZONES (./probe/reserved-pages.ts).
Deviations are where the realised layout (the import of the capture) differs from the topology
that was asked for — the firmware's top of low RAM, an e820 map that differs, a MEMBLOCK_NOMAP
range asked for and not found (or found and not asked for), memory on another NUMA node —
separately from disagreements between the kernel and the model of what was realised.
*/
import {InputError} from '../errors/input-error.js';
import type {CaptureFile} from '../import/collect.js';
import {importCapture, formatWarning} from '../import/index.js';
import {atLeast, parseKernelVersion} from '../kernel/version.js';
import {buildModel} from '../model/build.js';
import {hex} from '../model/geometry.js';
import type {Model, ZoneName} from '../model/types.js';
import type {Topology, TopologyEntry} from '../topology/types.js';
import {probeCheckInputs} from './probe/checks.js';
import {parseProbeRuns, PROBE_HEADER} from './probe/format.js';
import {acpiReservations} from './probe/reserved-pages.js';
import {PROBE_FILE, type Disagreement, type ReproduceCheck} from './types.js';

/** include/uapi/linux/kernel-page-flags.h */
export const KPF_NOPAGE = 20;
/** include/linux/kernel-page-flags.h (kernel-internal, exported by /proc/kpageflags) */
export const KPF_RESERVED = 32;

/**
Where /proc/kpageflags stopped saying KPF_NOPAGE: Liu Ye's "fs/proc/page: Refactoring to reduce code
duplication" (2025) folded kpageflags_read() into kpage_read(), which writes 0 when
pfn_to_online_page() returns NULL, so stable_page_flags(NULL)'s KPF_NOPAGE is never reached; a 0
then means no page or a page with none of the masked flags. The release is unverified (the series
was posted in March 2025: v6.15 or v6.16); the capture of 6.18.44-fc-v1300 in
test/fixtures/captures shows it (no pfn reads KPF_NOPAGE, the absent sections of [3, 4) GiB read 0).
From this release the pfn_to_online_page check is one-sided: a pfn with a masked flag set is a
page; a 0 is no answer.
*/
export const KPAGEFLAGS_ZERO_FOR_NO_PAGE = '6.15';

export const KPAGEFLAGS_FILE = 'kpageflags.runs';
const KPAGEFLAGS_HEADER = /^# pfnaudit kpageflags runs v1\b/;

/** One run of kpageflags.runs: [start, end) with the same flags (as a BigInt: 64 bits). */
export type FlagRun = {readonly start: number; readonly end: number; readonly flags: bigint};

export type KpageflagsRuns = {
	readonly file: string;
	readonly runs: readonly FlagRun[];
	/** Where the file stopped: round_up(max_pfn, PAGES_PER_SECTION). */
	readonly end: number;
	/** The mask the reader applied (all bits when absent). */
	readonly mask: bigint;
};

function bit(n: number): bigint {
	return 1n << BigInt(n);
}

/** kpageflags.runs (source/reproduce/guest/c/kpageflags-runs.c): `start end flags` in hex, `# end <pfn>` last. */
export function parseKpageflagsRuns(text: string, file: string): KpageflagsRuns {
	const runs: FlagRun[] = [];
	let end: number | undefined;
	let mask = (1n << 64n) - 1n;
	let at = 0;
	const lines = text.split('\n');
	for (const [i, raw] of lines.entries()) {
		const line = raw.trim();
		if (line === '') {
			continue;
		}

		const where = {file, line: i + 1, column: 1};
		if (line.startsWith('#')) {
			const m = /^# (mask|end|error) ([0-9a-f]+)(?: (\d+))?$/i.exec(line);
			if (m?.[1] === 'mask') {
				mask = BigInt(`0x${m[2]!}`);
			} else if (m?.[1] === 'end') {
				end = Number.parseInt(m[2]!, 16);
			} else if (m?.[1] === 'error') {
				throw new InputError(`the guest's read of /proc/kpageflags failed at pfn 0x${m[2]!} (errno ${m[3] ?? '?'}); the capture is incomplete`, where);
			}

			continue;
		}

		const m = /^([0-9a-f]+) ([0-9a-f]+) ([0-9a-f]+)$/i.exec(line);
		if (!m) {
			throw new InputError(`"${line.slice(0, 60)}" is not a kpageflags run (start_pfn end_pfn flags, hex); the file is damaged`, where);
		}

		const start = Number.parseInt(m[1]!, 16);
		const stop = Number.parseInt(m[2]!, 16);
		if (!Number.isSafeInteger(stop) || start !== at || stop <= start) {
			throw new InputError(`run [0x${m[1]!}, 0x${m[2]!}) does not continue the previous run at 0x${at.toString(16)}; the file is damaged`, where);
		}

		runs.push({start, end: stop, flags: BigInt(`0x${m[3]!}`)});
		at = stop;
	}

	if (end === undefined || end !== at) {
		throw new InputError(end === undefined ? 'no "# end" line: the guest stopped before it finished reading /proc/kpageflags' : `"# end ${end.toString(16)}" is not where the runs stop (0x${at.toString(16)}); the file is damaged`, {file});
	}

	return {file, runs, end, mask};
}

/** A value per run of pfns; `undefined` = no answer there (not compared). */
type Answer = {readonly start: number; readonly end: number; readonly value: string | undefined};

type Tally = {pfns: number; agree: number; disagreements: Disagreement[]};

/**
Merge two run lists over [from, to) and tally agreement where both answer. Runs must be sorted
and disjoint; gaps count as no answer. Adjacent disagreements with the same answers are joined.
*/
export function compareAnswers(check: string, kernel: readonly Answer[], model: readonly Answer[], from: number, to: number): Tally {
	const tally: Tally = {pfns: 0, agree: 0, disagreements: []};
	let i = 0;
	let j = 0;
	let pfn = from;
	while (pfn < to) {
		while (i < kernel.length && kernel[i]!.end <= pfn) {
			i++;
		}

		while (j < model.length && model[j]!.end <= pfn) {
			j++;
		}

		const k = kernel[i];
		const m = model[j];
		const kIn = k !== undefined && k.start <= pfn;
		const mIn = m !== undefined && m.start <= pfn;
		let next = to;
		for (const edge of [k ? (kIn ? k.end : k.start) : to, m ? (mIn ? m.end : m.start) : to]) {
			next = Math.min(next, edge);
		}

		const kv = kIn ? k.value : undefined;
		const mv = mIn ? m.value : undefined;
		if (kv !== undefined && mv !== undefined) {
			const n = next - pfn;
			tally.pfns += n;
			if (kv === mv) {
				tally.agree += n;
			} else {
				const last = tally.disagreements.at(-1);
				if (last && last.end_pfn === pfn && last.kernel === kv && last.model === mv) {
					tally.disagreements[tally.disagreements.length - 1] = {...last, end_pfn: next};
				} else {
					tally.disagreements.push({check, start_pfn: pfn, end_pfn: next, kernel: kv, model: mv});
				}
			}
		}

		pfn = next;
	}

	return tally;
}

function joined(answers: Answer[]): Answer[] {
	const out: Answer[] = [];
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

/** Where the model says /proc/kpageflags ends: round_up(max_pfn, PAGES_PER_SECTION). */
export function modelKpageflagsEnd(model: Model): number {
	const per = model.geometry.PAGES_PER_SECTION;
	return Math.ceil(model.max_pfn / per) * per;
}

/**
The zone of an early memory block: memory_block_add_nid() (drivers/base/memory.c [V 6.1, 6.12])
takes early_node_zone_for_memory_block() — the one populated zone of the node whose span
intersects the block — for the first node, and NULL ("none") once a second node links the block.
*/
function zoneOfBlockEarly(model: Model, start: number, end: number): string {
	const nodes = blockNodes(model, start, end);
	const zones = model.zones.filter(z => nodes.length === 1 && z.nid === nodes[0] && z.populated && z.name !== 'Device' && z.zone_start_pfn < end && start < z.zone_end_pfn);
	return zones.length === 1 ? zones[0]!.name : 'none';
}

/** The model's memory blocks: state and zone as sysfs would print them; undefined where no block exists. */
function modelBlocks(model: Model, blockPages: number, to: number): Answer[] {
	const out: Answer[] = [];
	for (let start = 0; start < to; start += blockPages) {
		const end = start + blockPages;
		let present = false;
		let early = false;
		let online = false;
		const zones = new Set<ZoneName>();
		for (let pfn = start; pfn < end; ) {
			const run = model.runAt(pfn);
			const s = run.state;
			// A memory block exists for a present section of boot or hot-added memory, not for ZONE_DEVICE alone.
			const entry: TopologyEntry | undefined = s.entry === null ? undefined : model.entries[s.entry];
			if (s.section.present && (s.section.early || entry?.kind === 'hotplug')) {
				present = true;
				early ||= s.section.early;
				online ||= s.section.online;
				if (s.predicates.pfn_to_online_page && s.memmap.zone !== undefined && s.memmap.zone !== 'Device' && entry?.kind !== 'device') {
					zones.add(s.memmap.zone);
				}
			}

			pfn = Math.min(run.end, end);
		}

		if (!present) {
			continue;
		}

		const value = !online ? 'offline' : `online ${early ? zoneOfBlockEarly(model, start, end) : zones.size === 1 ? [...zones][0]! : 'none'}`;
		out.push({start, end, value});
	}

	return out;
}

const nodesWord = (nodes: readonly number[]): string => (nodes.length === 0 ? 'no node' : `node${nodes.length > 1 ? 's' : ''} ${nodes.join(', ')}`);

/**
The nodes the model links the memory block [start, end) under (sysfs node/nodeN/memoryM). Early blocks: register_one_node() walks the blocks inside each node's boot span and
register_mem_block_under_node_early() links a block under the node once one pfn of its present
sections has that node by get_nid_for_pfn() — early_pfn_to_nid() before SYSTEM_RUNNING with
CONFIG_DEFERRED_STRUCT_PAGE_INIT (Debian's configs): memblock's node of the pfn, first_online_node
for a pfn memblock lacks (drivers/base/node.c, mm/mm_init.c [V 6.1, 6.12]). A block split between
two nodes is linked under both. Hot-added blocks: the node of their add_memory()
(register_mem_block_under_node_hotplug()).
*/
const bootSpansOf = new WeakMap<Model, {spans: Map<number, {start: number; end: number}>; firstOnline: number}>();

/** Each node's boot span (the pgdat span register_one_node() walks) and first_online_node, once per model. */
function bootSpans(model: Model): {spans: Map<number, {start: number; end: number}>; firstOnline: number} {
	let known = bootSpansOf.get(model);
	if (known === undefined) {
		const spans = new Map<number, {start: number; end: number}>();
		for (const e of model.entries) {
			if (e.kind === 'boot') {
				const span = spans.get(e.node);
				spans.set(e.node, span ? {start: Math.min(span.start, e.start_pfn), end: Math.max(span.end, e.end_pfn)} : {start: e.start_pfn, end: e.end_pfn});
			}
		}

		known = {spans, firstOnline: Math.min(...spans.keys())};
		bootSpansOf.set(model, known);
	}

	return known;
}

function blockNodes(model: Model, start: number, end: number): number[] {
	const {spans, firstOnline} = bootSpans(model);
	const nodes = new Set<number>();
	for (let pfn = start; pfn < end; ) {
		const run = model.runAt(pfn);
		const s = run.state;
		const entry: TopologyEntry | undefined = s.entry === null ? undefined : model.entries[s.entry];
		if (s.section.present && s.section.early) {
			const nid = entry?.kind === 'boot' ? entry.node : firstOnline;
			const span = spans.get(nid);
			if (span && span.start < end && start < span.end) {
				nodes.add(nid);
			}
		} else if (s.section.present && entry?.kind === 'hotplug') {
			nodes.add(entry.node);
		}

		pfn = Math.min(run.end, end);
	}

	return [...nodes].sort((a, b) => a - b);
}

function modelBlockNodes(model: Model, blockPages: number, ids: readonly number[]): Answer[] {
	return ids.map(id => ({start: id * blockPages, end: (id + 1) * blockPages, value: nodesWord(blockNodes(model, id * blockPages, (id + 1) * blockPages))}));
}

export type CaptureComparison = {
	readonly label: string;
	/** The guest's release as captured (e.g. 6.12.118+deb12-amd64). */
	readonly release: string | undefined;
	/** What the model was: "v6.12 + stable-6.12.117". */
	readonly modelled: string;
	readonly checks: readonly ReproduceCheck[];
	readonly disagreements: readonly Disagreement[];
	/** The realised layout, as imported. */
	readonly topology: Topology;
	readonly notes: readonly string[];
};

export type CompareOptions = {
	/** Model at these semantics instead of the capture's (negative controls: "5.10"). */
	readonly kernel?: string;
	/** Drop the distribution's stable preset (negative control). */
	readonly withoutPreset?: boolean;
};

/** The kpageflags runs of a capture: `kpageflags.runs` at its top, else any file with the header. */
export function findKpageflags(files: readonly CaptureFile[]): CaptureFile | undefined {
	return files.find(f => f.name === KPAGEFLAGS_FILE || f.name.endsWith(`/${KPAGEFLAGS_FILE}`)) ?? files.find(f => KPAGEFLAGS_HEADER.test(f.text));
}

/** The probe module's output in a capture: `probe.runs` at its top, else any file with its header. */
export function findProbe(files: readonly CaptureFile[]): CaptureFile | undefined {
	return files.find(f => f.name === PROBE_FILE || f.name.endsWith(`/${PROBE_FILE}`)) ?? files.find(f => PROBE_HEADER.test(f.text));
}

export function compareCapture(label: string, files: readonly CaptureFile[], options: CompareOptions = {}): CaptureComparison {
	const notes: string[] = [];
	const imported = importCapture({kind: 'capture', label, files}, {name: 'reproduced', file: `${label} (imported)`});
	for (const warning of imported.warnings) {
		notes.push(`import: ${formatWarning(warning)}`);
	}

	const realised = imported.topology;
	const topology = options.kernel !== undefined || options.withoutPreset === true ? {...realised, patches: []} : realised;
	const model = buildModel(topology, options.kernel === undefined ? {} : {kernel: options.kernel});
	const modelled = `v${options.kernel ?? realised.kernel}${topology.patches.length > 0 ? ` + ${topology.patches.join(', ')}` : ''}`;
	const checks: ReproduceCheck[] = [];
	const disagreements: Disagreement[] = [];
	const add = (name: string, tally: Tally) => {
		checks.push({name: `${label}: ${name}`, pfns: tally.pfns, agree: tally.agree});
		disagreements.push(...tally.disagreements.map(d => ({...d, check: `${label}: ${name}`})));
	};

	const kpf = findKpageflags(files);
	const modelEnd = modelKpageflagsEnd(model);
	if (kpf === undefined) {
		notes.push(`${label}: no ${KPAGEFLAGS_FILE} in the capture: the pfn checks were not made`);
	} else {
		const kernel = parseKpageflagsRuns(kpf.text, `${label}/${kpf.name}`);
		const modelRuns = model.runs.filter(r => r.start < kernel.end);
		const version = parseKernelVersion(options.kernel ?? realised.kernel);
		const zeroForNoPage = version !== undefined && atLeast(version, KPAGEFLAGS_ZERO_FOR_NO_PAGE);
		if (zeroForNoPage) {
			notes.push(`${label}: from v${KPAGEFLAGS_ZERO_FOR_NO_PAGE} (unverified) /proc/kpageflags reads 0 where pfn_to_online_page() is NULL (kpage_read()), never KPF_NOPAGE: pfn_to_online_page was checked where a masked flag is set (a page), not where it reads 0`);
		}

		if ((kernel.mask & bit(KPF_NOPAGE)) !== 0n) {
			const kernelPage = (flags: bigint): string | undefined => {
				if (zeroForNoPage) {
					return flags === 0n ? undefined : 'page';
				}

				return (flags & bit(KPF_NOPAGE)) === 0n ? 'page' : 'NULL (KPF_NOPAGE)';
			};

			add(
				'pfn_to_online_page',
				compareAnswers(
					'pfn_to_online_page',
					joined(kernel.runs.map(r => ({start: r.start, end: r.end, value: kernelPage(r.flags)}))),
					joined(modelRuns.map(r => ({start: r.start, end: r.end, value: r.state.predicates.pfn_to_online_page ? 'page' : 'NULL (KPF_NOPAGE)'}))),
					0,
					kernel.end,
				),
			);
		}

		if ((kernel.mask & bit(KPF_RESERVED)) !== 0n) {
			const holes = modelRuns.filter(r => r.state.entry === null && r.state.predicates.pfn_to_online_page && r.state.memmap.content === 'init' && r.state.memmap.reserved === true);
			add(
				'hole_reserved',
				compareAnswers(
					'hole_reserved',
					joined(kernel.runs.map(r => ({start: r.start, end: r.end, value: (r.flags & bit(KPF_RESERVED)) !== 0n ? 'PageReserved' : (r.flags & bit(KPF_NOPAGE)) !== 0n ? 'NULL (KPF_NOPAGE)' : 'not reserved'}))),
					joined(holes.map(r => ({start: r.start, end: r.end, value: 'PageReserved'}))),
					0,
					kernel.end,
				),
			);
		} else {
			notes.push(`${label}: the kpageflags mask has no KPF_RESERVED: holes were not checked`);
		}

		const top = Math.max(kernel.end, modelEnd);
		add(
			'max_pfn',
			compareAnswers(
				'max_pfn',
				[{start: 0, end: kernel.end, value: 'in /proc/kpageflags'}, {start: kernel.end, end: top, value: `beyond its end ${hex(kernel.end)}`}].filter(a => a.end > a.start),
				[{start: 0, end: modelEnd, value: 'in /proc/kpageflags'}, {start: modelEnd, end: top, value: `beyond its end ${hex(modelEnd)}`}].filter(a => a.end > a.start),
				0,
				top,
			),
		);
	}

	const probeFile = findProbe(files);
	if (probeFile === undefined) {
		notes.push(`${label}: no ${PROBE_FILE} in the capture (the probe module was not loaded): only /proc/kpageflags was compared`);
	} else {
		const probe = parseProbeRuns(probeFile.text, `${label}/${probeFile.name}`);
		const dmesg = files.find(f => f.name === 'dmesg.txt' || f.name.endsWith('/dmesg.txt'));
		const inputs = probeCheckInputs(model, probe, dmesg === undefined ? [] : acpiReservations(dmesg.text, model.geometry.PAGE_SIZE));
		notes.push(...inputs.notes.map(n => `${label}: ${n}`));
		for (const c of inputs.checks) {
			const tally = compareAnswers(`probe ${c.name}`, c.kernel, c.model, 0, probe.end);
			if (c.uncountedWhenBoth === undefined) {
				add(`probe ${c.name}`, tally);
			} else {
				const both = c.uncountedWhenBoth;
				const uncounted = compareAnswers(c.name, c.kernel.filter(a => a.value === both), c.model.filter(a => a.value === both), 0, probe.end).pfns;
				add(`probe ${c.name}`, {pfns: tally.pfns - uncounted, agree: tally.agree - uncounted, disagreements: tally.disagreements});
			}
		}
	}

	const blocks = imported.facts.blocks;
	if (blocks && blocks.blocks.length > 0) {
		const blockPages = (blocks.blockSize?.bytes ?? realised.config.memory_block_size) / model.geometry.PAGE_SIZE;
		const kernelBlocks = blocks.blocks.map(b => ({start: b.id * blockPages, end: (b.id + 1) * blockPages, value: b.state === 'online' ? `online ${b.validZones.length === 1 ? b.validZones[0]! : 'none'}` : b.state ?? 'unknown'}));
		const to = Math.max(kernelBlocks.at(-1)!.end, Math.ceil(model.max_pfn / blockPages) * blockPages);
		// A block only one side has: its pfns answer `absent` on the other.
		const modelSide = modelBlocks(model, blockPages, to);
		const fill = (answers: Answer[]): Answer[] => {
			const out: Answer[] = [];
			let at = 0;
			for (const a of answers) {
				if (a.start > at) {
					out.push({start: at, end: a.start, value: 'absent'});
				}

				out.push(a);
				at = a.end;
			}

			if (at < to) {
				out.push({start: at, end: to, value: 'absent'});
			}

			return out;
		};

		const tally = compareAnswers('memory_blocks', fill(kernelBlocks), fill(modelSide), 0, to);
		// Only the pfns of blocks that exist on one side or the other are counted.
		const absentBoth = compareAnswers('memory_blocks', fill(kernelBlocks).filter(a => a.value === 'absent'), fill(modelSide).filter(a => a.value === 'absent'), 0, to).pfns;
		add('memory_blocks', {pfns: tally.pfns - absentBoth, agree: tally.agree - absentBoth, disagreements: tally.disagreements});
		if (blocks.blocks.some(b => b.nodes !== undefined)) {
			// The blocks the kernel has; a block the model lacks is the memory_blocks check's disagreement.
			const kernelNodes = blocks.blocks.map(b => ({start: b.id * blockPages, end: (b.id + 1) * blockPages, value: nodesWord(b.nodes ?? [])}));
			add('memory_block_nodes', compareAnswers('memory_block_nodes', kernelNodes, modelBlockNodes(model, blockPages, blocks.blocks.map(b => b.id)), 0, to));
		}
	} else {
		notes.push(`${label}: no memory blocks in the capture: their states were not checked`);
	}

	const zoneinfo = imported.facts.zoneinfo;
	if (zoneinfo) {
		for (const z of zoneinfo) {
			const mine = model.zones.find(m => m.nid === z.node && m.name === z.zone);
			if (z.start_pfn === undefined || z.spanned === undefined || !mine || !mine.populated) {
				continue;
			}

			const kernelSpan = [{start: z.start_pfn, end: z.start_pfn + z.spanned, value: 'in the span'}];
			const modelSpan = [{start: mine.zone_start_pfn, end: mine.zone_end_pfn, value: 'in the span'}];
			const from = Math.min(z.start_pfn, mine.zone_start_pfn);
			const to = Math.max(z.start_pfn + z.spanned, mine.zone_end_pfn);
			const outside = (span: Answer[]) => [{start: from, end: span[0]!.start, value: 'outside'}, ...span, {start: span[0]!.end, end: to, value: 'outside'}].filter(a => a.end > a.start);
			add(`zone_spans Node ${z.node} ${z.zone}`, compareAnswers(`zone ${z.zone}`, outside(kernelSpan), outside(modelSpan), from, to));
		}
	} else {
		notes.push(`${label}: no proc/zoneinfo in the capture: zone spans were not checked`);
	}

	return {label, release: imported.facts.osrelease?.value ?? undefined, modelled, checks, disagreements, topology: realised, notes};
}

/** Where the realised layout differs from the requested one, [start_pfn, end_pfn). */
export type Deviation = {
	readonly start_pfn: number;
	readonly end_pfn: number;
	readonly requested: string;
	readonly realised: string;
};

/** What each pfn of a topology's `memory:` is, as runs (entries a validated topology never overlaps). */
function layoutAnswers(topology: Topology): Answer[] {
	const created = new Set((topology.operations ?? []).filter(op => op.op === 'create').map(op => op.entry));
	const out: Answer[] = [];
	for (const e of topology.memory) {
		if (created.has(e.index)) {
			continue;
		}

		// The node only when it is not 0, so single-node layouts read as before.
		const on = e.node === 0 ? '' : ` on node ${e.node}`;
		if (e.kind === 'boot') {
			// MEMBLOCK_NOMAP sub-ranges (arm64: no-map reserved memory, firmware): a range the
			// topology asked for and the capture lacks, or the other way round, is a deviation.
			let at = e.start_pfn;
			for (const n of [...e.nomap].sort((a, b) => a.start_pfn - b.start_pfn)) {
				if (n.start_pfn > at) {
					out.push({start: at, end: n.start_pfn, value: `boot RAM${on}`});
				}

				out.push({start: Math.max(at, n.start_pfn), end: n.end_pfn, value: `boot RAM${on}, NOMAP`});
				at = Math.max(at, n.end_pfn);
			}

			if (at < e.end_pfn) {
				out.push({start: at, end: e.end_pfn, value: `boot RAM${on}`});
			}
		} else if (e.kind === 'device') {
			const altmap = e.altmap ? `, map=dev (altmap reserve ${e.altmap.reserve} + free ${e.altmap.free} pages)` : '';
			out.push({start: e.start_pfn, end: e.end_pfn, value: `${e.type}${altmap}${on}`});
		} else {
			// sysfs cannot tell an offlined block from one never onlined.
			const word = (state: string) => `hot-added RAM${on}, ${state === 'offlined' ? 'offline' : state}`;
			const blocks = [...(e.blocks ?? [])].sort((a, b) => a.start_pfn - b.start_pfn);
			let at = e.start_pfn;
			for (const b of blocks) {
				if (b.start_pfn > at) {
					out.push({start: at, end: b.start_pfn, value: word(e.state)});
				}

				out.push({start: b.start_pfn, end: b.end_pfn, value: word(b.state)});
				at = b.end_pfn;
			}

			if (at < e.end_pfn) {
				out.push({start: at, end: e.end_pfn, value: word(e.state)});
			}
		}
	}

	out.sort((a, b) => a.start - b.start);
	const filled: Answer[] = [];
	let at = 0;
	for (const a of out) {
		if (a.start > at) {
			filled.push({start: at, end: a.start, value: 'hole'});
		}

		filled.push(a);
		at = Math.max(at, a.end);
	}

	return joined(filled);
}

export function deviationsOf(requested: Topology, realised: Topology): Deviation[] {
	const a = layoutAnswers(requested);
	const b = layoutAnswers(realised);
	const to = Math.max(a.at(-1)?.end ?? 0, b.at(-1)?.end ?? 0);
	const pad = (answers: Answer[]) => (answers.at(-1)?.end ?? 0) < to ? [...answers, {start: answers.at(-1)?.end ?? 0, end: to, value: 'hole'}] : answers;
	return compareAnswers('layout', pad(a), pad(b), 0, to).disagreements.map(d => ({start_pfn: d.start_pfn, end_pfn: d.end_pfn, requested: d.kernel, realised: d.model}));
}

export type ReproduceResult = {
	readonly kernel: string;
	readonly checks: readonly ReproduceCheck[];
	readonly disagreements: readonly Disagreement[];
	readonly deviations: readonly Deviation[];
};

/**
Every capture of one boot compared; deviations from the capture of the requested layout (the
`layout` step, else the last capture before the operations).
*/
export function compareReproduction(requested: Topology, version: string, captures: ReadonlyArray<{label: string; files: readonly CaptureFile[]}>, options: CompareOptions = {}): ReproduceResult & {readonly comparisons: readonly CaptureComparison[]} {
	const comparisons = captures.map(c => compareCapture(c.label, c.files, options));
	const layout = comparisons.find(c => c.label === 'layout') ?? [...comparisons].reverse().find(c => !c.label.startsWith('operations[')) ?? comparisons.at(-1);
	return {
		kernel: version,
		checks: comparisons.flatMap(c => c.checks),
		disagreements: comparisons.flatMap(c => c.disagreements),
		deviations: layout ? deviationsOf(requested, layout.topology) : [],
		comparisons,
	};
}
