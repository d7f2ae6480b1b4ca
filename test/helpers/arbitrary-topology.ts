/**
fast-check arbitraries for *valid* topologies (SPEC §3 rules), for property tests anywhere in the
project:

	fc.assert(fc.property(arbitraryTopology(), topology => { ... }));

The layout is a row of 2–N sections from pfn 0, each given a kind:
- `boot`: runs of boot sections become one boot range with a random head/tail hole inside the
  first/last section (holes in early sections); arm64 ranges may carry a MEMBLOCK_NOMAP part;
- `hole`: nothing;
- `hotplug`: runs become one memory-block-aligned add_memory() range in a random end state;
- `device`: runs become one memremap_pages() range, subsection aligned (section aligned before
  v5.3 or without SPARSEMEM_VMEMMAP), possibly starting/ending mid-section, with or without an
  altmap, in a random state;
- `mixed`: boot RAM in the first part of the section and a device in later subsections (a
  ZONE_DEVICE collision with an early section; only where subsections exist).
Random arch, kernel version, CONFIG_DEBUG_VM, CONFIG_SPARSEMEM_VMEMMAP and NUMA nodes 0–2.
*/
import fc from 'fast-check';
import {KERNEL_VERSIONS, v} from '../../source/kernel/version.js';
import {ARCHES, type Arch, geometryFor} from '../../source/model/geometry.js';
import {DEVICE_TYPES, type DeviceState, type DeviceType, type HotplugState, type Topology} from '../../source/topology/types.js';
import {topology} from './topology.js';

type Kind = 'boot' | 'hole' | 'hotplug' | 'device' | 'mixed';

type Knob = {
	node: number;
	head: number;
	tail: number;
	altmap: boolean;
	reserve: number;
	dstate: DeviceState;
	hstate: HotplugState;
	dtype: DeviceType;
	nomap: boolean;
};

export type ArbitraryTopologyOptions = {
	readonly arches?: readonly Arch[];
	readonly kernels?: readonly string[];
	/** Sections in the layout (default 10). */
	readonly maxSections?: number;
};

const knobArbitrary: fc.Arbitrary<Knob> = fc.record({
	node: fc.integer({min: 0, max: 2}),
	head: fc.integer({min: 0, max: 999}),
	tail: fc.integer({min: 0, max: 999}),
	altmap: fc.boolean(),
	reserve: fc.integer({min: 0, max: 16}),
	dstate: fc.constantFrom<DeviceState>('ready', 'ready', 'initializing', 'teardown'),
	hstate: fc.constantFrom<HotplugState>('offline', 'online', 'online_movable', 'offlined'),
	dtype: fc.constantFrom(...DEVICE_TYPES),
	nomap: fc.boolean(),
});

type Plan = {
	arch: Arch;
	kernel: string;
	debug_vm: boolean;
	vmemmap: boolean;
	kinds: Kind[];
	knobs: Knob[];
};

function runsOf(kinds: readonly Kind[]): Array<{kind: Kind; first: number; last: number}> {
	const runs: Array<{kind: Kind; first: number; last: number}> = [];
	kinds.forEach((kind, index) => {
		const previous = runs.at(-1);
		if (previous && previous.kind === kind && kind !== 'mixed' && previous.last === index - 1) {
			previous.last = index;
		} else {
			runs.push({kind, first: index, last: index});
		}
	});
	return runs;
}

function buildPlan(plan: Plan): Topology {
	const kernel = v(plan.kernel);
	const g = geometryFor(plan.arch, kernel);
	const subsections = plan.vmemmap && kernel.code >= v('5.3').code;
	const zoneDevice = plan.arch !== 's390x';
	const page = g.PAGE_SIZE;
	const section = g.PAGES_PER_SECTION;
	const unit = subsections ? g.PAGES_PER_SUBSECTION : section;
	const unitsPerSection = section / unit;
	const builder = topology({arch: plan.arch, kernel: plan.kernel, config: {debug_vm: plan.debug_vm, vmemmap: plan.vmemmap}});
	const kinds = plan.kinds.map(kind => {
		if (!zoneDevice && (kind === 'device' || kind === 'mixed')) {
			return kind === 'mixed' ? 'boot' : 'hole';
		}

		return kind === 'mixed' && !subsections ? 'boot' : kind;
	});
	if (!kinds.some(kind => kind === 'boot' || kind === 'mixed')) {
		kinds[0] = 'boot';
	}

	let k = 0;
	const knob = (): Knob => plan.knobs[k++ % plan.knobs.length]!;
	for (const run of runsOf(kinds)) {
		const start = run.first * section;
		const end = (run.last + 1) * section;
		const n = knob();
		switch (run.kind) {
			case 'boot': {
				const head = Math.floor((n.head / 1000) * (section / 2));
				const tail = Math.floor((n.tail / 1000) * (section / 2));
				const s = start + head;
				const e = end - tail;
				const nomap =
					plan.arch.startsWith('arm64') && n.nomap && e - s > 4
						? [{start: (s + Math.floor((e - s) / 4)) * page, size: Math.max(1, Math.floor((e - s) / 8)) * page}]
						: [];
				builder.boot(s * page, (e - s) * page, {node: n.node, nomap});
				break;
			}

			case 'hotplug': {
				builder.hotplug(start * page, (end - start) * page, n.hstate, {node: n.node});
				break;
			}

			case 'device': {
				const head = subsections ? Math.floor((n.head / 1000) * (unitsPerSection / 2)) * unit : 0;
				const tail = subsections ? Math.floor((n.tail / 1000) * (unitsPerSection / 2)) * unit : 0;
				addDevice(builder, n, start + head, end - tail, page);
				break;
			}

			case 'mixed': {
				const ram = Math.max(1, Math.floor((n.head / 1000) * (section / 2)));
				builder.boot(start * page, ram * page, {node: n.node});
				const deviceStart = Math.ceil((start + ram) / unit) * unit;
				const tail = Math.floor((n.tail / 1000) * (unitsPerSection / 4)) * unit;
				addDevice(builder, knob(), deviceStart, end - tail, page);
				break;
			}

			case 'hole': {
				break;
			}
		}
	}

	return builder.build();
}

function addDevice(builder: ReturnType<typeof topology>, n: Knob, start: number, end: number, page: number): void {
	const nrPages = end - start;
	const free = Math.ceil((nrPages * 64) / page);
	const altmap = n.altmap && n.dtype !== 'private' && n.reserve + free < nrPages ? {reserve: n.reserve, free} : undefined;
	builder.device(n.dtype, start * page, nrPages * page, {node: n.node, state: n.dstate, ...(altmap ? {altmap} : {})});
}

/** A valid topology: random arch, kernel, config and a layout of boot RAM, holes, hotplug and devices. */
export function arbitraryTopology(options: ArbitraryTopologyOptions = {}): fc.Arbitrary<Topology> {
	const arches = options.arches ?? ARCHES;
	const kernels = options.kernels ?? KERNEL_VERSIONS;
	return fc
		.record({
			arch: fc.constantFrom(...arches),
			kernel: fc.constantFrom(...kernels),
			debug_vm: fc.boolean(),
			vmemmap: fc.oneof({weight: 5, arbitrary: fc.constant(true)}, {weight: 1, arbitrary: fc.constant(false)}),
			kinds: fc.array(fc.constantFrom<Kind>('boot', 'boot', 'hole', 'hotplug', 'device', 'mixed'), {
				minLength: 2,
				maxLength: options.maxSections ?? 10,
			}),
			knobs: fc.array(knobArbitrary, {minLength: 4, maxLength: 12}),
		})
		.map(plan => buildPlan(plan));
}
