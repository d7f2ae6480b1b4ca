/**
The phases of a topology's replay and how to run it up to one of them. A phase is the state
right after a kernel step: `boot`, then per operation `memory[i]:added|onlined|offlined` (System
RAM) or `memory[i]:P1`…`P7` and `T1`, `T2` (memremap_pages()/memunmap_pages()), then `final`.

A device declared `initializing` stops at P5 for good (mem_hotplug_done() returned,
memmap_init_zone_device() not started); one declared `teardown` runs P1–P7, then T1 (ref
killed) and T2 (memmap poisoned), and stays there: "ref killed, memmap poisoned, not removed".
T3 (section_deactivate()) and T4 (pgmap_array_delete()) exist as steps (source/model/memremap.ts)
but no declared state reaches them.
*/
import {InputError} from '../errors/input-error.js';
import type {DeviceEntry, HotplugEntry, Operation, Topology, TopologyEntry} from '../topology/types.js';
import {finishDeferredBoot, replayBoot} from './boot.js';
import {hex} from './geometry.js';
import {addMemory, offlineBlocks, offlinePages, onlineBlocks, onlinePages, removeMemory, vmemmapDeinitWindow, vmemmapInitWindow} from './hotplug.js';
import {initPage} from './memmap.js';
import {type DeviceStep, deviceStep} from './memremap.js';
import {allocateHugetlbPool} from './hugetlb-vmemmap.js';
import type {ModelState} from './state.js';
import type {Phase, PhaseStep} from './types.js';
import {type ReplayStepView, runUserSteps, type UserPatch, userPatchesIn, writeOutside} from './user-patches.js';

const DEVICE_LABELS: Readonly<Record<DeviceStep, string>> = {
	P1: 'percpu_ref live, xa_store_range(pgmap_array): get_dev_pagemap() succeeds',
	P2: 'mem_hotplug_begin()',
	P3: 'arch_add_memory()/add_pages() -> sparse_add_section(): subsections valid, memmap poisoned',
	P4: 'move_pfn_range_to_zone(ZONE_DEVICE): zone span, taint, altmap memmap storage initialized',
	P5: 'mem_hotplug_done(): memmap_init_zone_device() not started',
	P6: 'memmap_init_zone_device() half way through [pfn_first, end)',
	P7: 'memmap_init_zone_device() done, percpu_ref_get_many(): memremap_pages() returns',
	T1: 'memunmap_pages(): percpu_ref_kill(), get_dev_pagemap() returns NULL',
	T2: 'remove_pfn_range_from_zone(): memmap poisoned, not removed',
	T3: 'arch_remove_memory() -> section_deactivate()',
	T4: 'pgmap_array_delete()',
};

type PlannedStep = Phase & {readonly run: (state: ModelState) => void};

function deviceSteps(entry: DeviceEntry): DeviceStep[] {
	const steps: DeviceStep[] = ['P1', 'P2', 'P3', 'P4', 'P5'];
	if (entry.state === 'initializing') {
		return steps;
	}

	steps.push('P6', 'P7');
	if (entry.state === 'teardown') {
		steps.push('T1', 'T2');
	}

	return steps;
}

/** The entry's range as runs of one state: `state` where `blocks:` says nothing, by address. */
function stateRuns(entry: HotplugEntry): Array<{start: number; end: number; state: HotplugEntry['state']}> {
	const listed = [...(entry.blocks ?? [])].sort((a, b) => a.start_pfn - b.start_pfn);
	const runs: Array<{start: number; end: number; state: HotplugEntry['state']}> = [];
	let at = entry.start_pfn;
	for (const b of listed) {
		if (b.start_pfn > at) {
			runs.push({start: at, end: b.start_pfn, state: entry.state});
		}

		runs.push({start: b.start_pfn, end: b.end_pfn, state: b.state});
		at = b.end_pfn;
	}

	if (at < entry.end_pfn) {
		runs.push({start: at, end: entry.end_pfn, state: entry.state});
	}

	return runs;
}

/**
The memmap_on_memory windows (source/model/memmap-on-memory.ts) of an online or offline of
[start, …) of a memmap_on_memory entry: memory_block_online() of the first block between
mhp_init_memmap_on_memory() and online_pages(); memory_block_offline() of the first block between
offline_pages() and mhp_deinit_memmap_on_memory(). None for other entries.
*/
function vmemmapWindow(entry: HotplugEntry, kind: 'init' | 'deinit', idBase: string, start: number, movable: boolean): PlannedStep[] {
	if (!entry.memmap_on_memory) {
		return [];
	}

	const [prefix, suffix] = splitId(idBase);
	if (kind === 'init') {
		return [{
			id: `${prefix}:vmemmap-init${suffix}`,
			step: 'vmemmap_init',
			entry: entry.index,
			label: `${entry.label}: memory_block_online() of the block at ${hex(start)}: mhp_init_memmap_on_memory() initialized its vmemmap pages, online_pages() of the rest not started`,
			run: state => vmemmapInitWindow(state, entry, start, movable),
		}];
	}

	return [{
		id: `${prefix}:vmemmap-deinit${suffix}`,
		step: 'vmemmap_deinit',
		entry: entry.index,
		label: `${entry.label}: memory_block_offline() of the block at ${hex(start)}: offline_pages() done, mhp_deinit_memmap_on_memory() not yet (its vmemmap pages still initialized)`,
		run: state => vmemmapDeinitWindow(state, entry, start),
	}];
}

/** "memory[1]@0x1000" → ["memory[1]", "@0x1000"]; "operations[0]" → ["operations[0]", ""]. */
function splitId(id: string): [string, string] {
	const at = id.indexOf('@');
	return at === -1 ? [id, ''] : [id.slice(0, at), id.slice(at)];
}

/** A hot-added range whose blocks are in different states (`blocks:`): one online/offline step per run. */
function blockSteps(entry: HotplugEntry, blockPages: number): PlannedStep[] {
	const prefix = `memory[${entry.index}]`;
	const steps: PlannedStep[] = [
		{id: `${prefix}:added`, step: 'added', entry: entry.index, label: `${entry.label}: add_memory() -> sparse_add_section(), not online`, run: state => addMemory(state, entry)},
	];
	for (const run of stateRuns(entry)) {
		if (run.state === 'offline') {
			continue;
		}

		const where = `[${hex(run.start)}, ${hex(run.end)})`;
		steps.push(...vmemmapWindow(entry, 'init', `${prefix}@${hex(run.start)}`, run.start, run.state === 'online_movable'));
		steps.push({
			id: `${prefix}:onlined@${hex(run.start)}`,
			step: 'onlined',
			entry: entry.index,
			label: `${entry.label}: online_pages() of ${where}${run.state === 'online_movable' ? ' to ZONE_MOVABLE' : ''}`,
			run: state => onlineBlocks(state, entry, run.start, run.end, run.state === 'online_movable'),
		});
		if (run.state === 'offlined') {
			steps.push(...vmemmapWindow(entry, 'deinit', `${prefix}@${hex(run.start)}`, run.start, false));
			steps.push({
				id: `${prefix}:offlined@${hex(run.start)}`,
				step: 'offlined',
				entry: entry.index,
				label: `${entry.label}: offline_pages() of ${where}, memmap poisoned again`,
				run: state => offlineBlocks(state, entry, run.start, run.end, blockPages),
			});
		}
	}

	return steps;
}

/** The steps of one `operations:` item (docs/topology-format.md "Operations"). */
function operationSteps(topology: Topology, op: Operation, blockPages: number): PlannedStep[] {
	const prefix = `operations[${op.index}]`;
	const entry = topology.memory[op.entry]!;
	const where = `[${hex(op.start_pfn)}, ${hex(op.end_pfn)})`;
	switch (op.op) {
		case 'online':
		case 'online_movable': {
			const hot = entry as HotplugEntry;
			return [...vmemmapWindow(hot, 'init', prefix, op.start_pfn, op.op === 'online_movable'), {id: `${prefix}:onlined`, step: 'onlined', entry: op.entry, label: `${hot.label}: online_pages() of ${where}${op.op === 'online_movable' ? ' to ZONE_MOVABLE' : ''} (operation)`, run: state => onlineBlocks(state, hot, op.start_pfn, op.end_pfn, op.op === 'online_movable')}];
		}

		case 'offline': {
			const hot = entry as HotplugEntry;
			return [...vmemmapWindow(hot, 'deinit', prefix, op.start_pfn, false), {id: `${prefix}:offlined`, step: 'offlined', entry: op.entry, label: `${hot.label}: offline_pages() of ${where}, block by block (operation)`, run: state => offlineBlocks(state, hot, op.start_pfn, op.end_pfn, blockPages)}];
		}

		case 'remove': {
			const hot = entry as HotplugEntry;
			return [{id: `${prefix}:removed`, step: 'removed', entry: op.entry, label: `${hot.label}: remove_memory() -> __remove_pages() -> section_deactivate(): sections gone (operation)`, run: state => removeMemory(state, hot)}];
		}

		case 'teardown': {
			const device = entry as DeviceEntry;
			return (['T1', 'T2', 'T3', 'T4'] as const).map(step => ({
				id: `${prefix}:${step}`,
				step,
				entry: op.entry,
				label: `${device.label}: ${step} ${DEVICE_LABELS[step]} (operation: memunmap_pages() to the end)`,
				run: (state: ModelState) => deviceStep(state, device, step),
			}));
		}

		case 'create': {
			const device = entry as DeviceEntry;
			return deviceSteps(device).map(step => ({
				id: `${prefix}:${step}`,
				step,
				entry: op.entry,
				label: `${device.label}: ${step} ${DEVICE_LABELS[step]} (operation: memremap_pages() again)`,
				run: (state: ModelState) => deviceStep(state, device, step),
			}));
		}
	}
}

function hotplugSteps(entry: HotplugEntry, blockPages: number): PlannedStep[] {
	if (entry.blocks !== undefined && entry.blocks.length > 0) {
		return blockSteps(entry, blockPages);
	}

	const prefix = `memory[${entry.index}]`;
	const steps: PlannedStep[] = [
		{
			id: `${prefix}:added`,
			step: 'added',
			entry: entry.index,
			label: `${entry.label}: add_memory() -> sparse_add_section(), not online`,
			run: state => addMemory(state, entry),
		},
	];
	if (entry.state === 'offline') {
		return steps;
	}

	steps.push(...vmemmapWindow(entry, 'init', prefix, entry.start_pfn, entry.state === 'online_movable'));
	steps.push({
		id: `${prefix}:onlined`,
		step: 'onlined',
		entry: entry.index,
		label: `${entry.label}: online_pages()${entry.state === 'online_movable' ? ' to ZONE_MOVABLE' : ''}`,
		run: state => onlinePages(state, entry, entry.state === 'online_movable'),
	});
	if (entry.state === 'offlined') {
		steps.push(...vmemmapWindow(entry, 'deinit', prefix, entry.start_pfn, false));
		steps.push({
			id: `${prefix}:offlined`,
			step: 'offlined',
			entry: entry.index,
			label: `${entry.label}: offline_pages(), memmap poisoned again`,
			run: state => offlinePages(state, entry),
		});
	}

	return steps;
}

/** Every step of the replay, in order, with `boot` first and `final` last. */
export function planSteps(topology: Topology): PlannedStep[] {
	const boot = topology.memory.filter((entry): entry is Extract<TopologyEntry, {kind: 'boot'}> => entry.kind === 'boot');
	const hugetlbLabel = boot.some(entry => (entry.hugetlb ?? []).length > 0)
		? `; the HugeTLB pool allocated${topology.config.hugetlb_vmemmap ? ' and its vmemmap optimized (HVO)' : ''}`
		: '';
	const steps: PlannedStep[] = topology.config.deferred_struct_page_init
		? [
			{id: 'boot-deferred', step: 'boot_deferred', label: 'boot: memory_present(), sparse_init(), memmap_init() up to pgdat->first_deferred_pfn (CONFIG_DEFERRED_STRUCT_PAGE_INIT); sections online, deferred_init_memmap() not yet run', run: state => replayBoot(state, boot, true)},
			{id: 'boot', step: 'boot', label: `boot: page_alloc_init_late(): deferred_init_memmap() done, set_zone_contiguous()${hugetlbLabel}`, run(state) {
				finishDeferredBoot(state);
				allocateHugetlbPool(state, boot);
			}},
		]
		: [{id: 'boot', step: 'boot', label: `boot: memory_present(), sparse_init(), memmap_init()${hugetlbLabel}`, run(state) {
			replayBoot(state, boot);
			allocateHugetlbPool(state, boot);
		}}];
	const first = topology.memory[0]!;
	const blockPages = topology.config.memory_block_size / ((first.end - first.start) / (first.end_pfn - first.start_pfn));
	const created = new Set((topology.operations ?? []).filter(op => op.op === 'create').map(op => op.entry));
	for (const entry of topology.memory) {
		if (created.has(entry.index)) {
			continue; // replayed at its operation
		}

		if (entry.kind === 'hotplug') {
			steps.push(...hotplugSteps(entry, blockPages));
		} else if (entry.kind === 'device') {
			for (const step of deviceSteps(entry)) {
				steps.push({
					id: `memory[${entry.index}]:${step}`,
					step: step satisfies PhaseStep,
					entry: entry.index,
					label: `${entry.label}: ${step} ${DEVICE_LABELS[step]}`,
					run: state => deviceStep(state, entry, step),
				});
			}
		}
	}

	for (const op of topology.operations ?? []) {
		steps.push(...operationSteps(topology, op, blockPages));
	}

	steps.push({id: 'final', step: 'final', label: 'end of replay', run() {}});
	return steps;
}

export function phasesOf(steps: readonly PlannedStep[]): Phase[] {
	return steps.map(({id, step, entry, label}) => (entry === undefined ? {id, step, label} : {id, step, entry, label}));
}

/** Index of a phase id, or an InputError listing the valid ids. */
export function phaseIndex(steps: readonly PlannedStep[], id: string, file: string): number {
	const index = steps.findIndex(step => step.id === id);
	if (index === -1) {
		const ids = steps.map(step => step.id).join(', ');
		throw new InputError(`unknown phase "${id}"; this topology's phases are: ${ids}`, {file});
	}

	return index;
}

/** Run the replay through step `last` (inclusive). */
export function replayThrough(state: ModelState, steps: readonly PlannedStep[], last: number, entries: readonly TopologyEntry[] = []): void {
	const user = userPatchesIn(state.ctx.patches);
	// The step's entry by index, not by scanning every entry at every step.
	const byIndex = user.length > 0 ? new Map(entries.map(entry => [entry.index, entry])) : undefined;
	for (let i = 0; i <= last; i++) {
		steps[i]!.run(state);
		if (byIndex) {
			afterUserStep(state, steps[i]!, byIndex, user);
		}
	}
}

/** User what-if patches' afterStep() (source/model/user-patches.ts), writing only inside the step's entry. */
function afterUserStep(state: ModelState, step: PlannedStep, entries: ReadonlyMap<number, TopologyEntry>, user: readonly UserPatch[]): void {
	const entry = step.entry === undefined ? undefined : entries.get(step.entry);
	const pgmap = entry?.kind === 'device' ? state.pgmapOfEntry(entry.index) : undefined;
	const view: ReplayStepView = {
		id: step.id,
		step: step.step,
		kernel: state.ctx.kernel.label,
		arch: state.ctx.arch,
		...(entry && entry.kind !== 'boot' ? {entry: {index: entry.index, kind: entry.kind, start_pfn: entry.start_pfn, end_pfn: entry.end_pfn, node: entry.node}} : {}),
		...(pgmap ? {pgmap: {...pgmap}} : {}),
	};
	runUserSteps(user, view, patch => {
		const check = (start: number, end: number) => {
			if (!view.entry || !Number.isSafeInteger(start) || !Number.isSafeInteger(end) || start < view.entry.start_pfn || end > view.entry.end_pfn || start >= end) {
				throw writeOutside(patch, view, start, end);
			}
		};

		const writer = `${patch.definition.name} afterStep() at ${step.id} [what-if ${patch.file}]`;
		return {
			initDevice(start, end, options) {
				check(start, end);
				if (!pgmap) {
					throw writeOutside(patch, view, start, end);
				}

				state.memmap.set(start, end, initPage('Device', pgmap.nid, writer, {reserved: true, pgmap: options.pgmap ? pgmap.id : null}));
			},
			poison(start, end) {
				check(start, end);
				state.memmap.set(start, end, {content: 'poison', writer});
			},
		};
	});
}
