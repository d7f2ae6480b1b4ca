/**
Build validated Topology objects in tests without going through the file parser.

	const t = topology({arch: 'x86_64', kernel: '6.12'})
		.boot(0, 4 * GiB)
		.device('fsdax', 0x2_4000_0000, 16 * GiB, {altmap: {reserve: 2, free: 'auto'}})
		.build();

Sizes are bytes; the builder fills the pfn fields, labels and defaults the way
source/topology/ does after validation (it does not validate: tests of bad input go through the
parser).
*/
import {v} from '../../source/kernel/version.js';
import {type Arch, defaultMaxPhysmemBits, geometryFor, hex} from '../../source/model/geometry.js';
import {nd_pfn_align, nd_pfn_dataoff} from '../../source/topology/altmap.js';
import type {
	Altmap,
	BootEntry,
	DeviceEntry,
	DeviceState,
	DeviceType,
	HotplugEntry,
	HotplugState,
	Topology,
	TopologyConfig,
	TopologyEntry,
} from '../../source/topology/types.js';

export const KiB = 2 ** 10;
export const MiB = 2 ** 20;
export const GiB = 2 ** 30;
export const TiB = 2 ** 40;

type BuilderOptions = {
	arch?: Arch;
	kernel?: string;
	name?: string;
	config?: Partial<TopologyConfig>;
	patches?: string[];
};

export class TopologyBuilder {
	private readonly entries: TopologyEntry[] = [];
	private readonly arch: Arch;
	private readonly kernel: string;
	private readonly pageSize: number;

	constructor(private readonly options: BuilderOptions) {
		this.arch = options.arch ?? 'x86_64';
		this.kernel = options.kernel ?? '6.12';
		this.pageSize = geometryFor(this.arch, v(this.kernel)).PAGE_SIZE;
	}

	boot(start: number, size: number, extra: {node?: number; nomap?: Array<{start: number; size: number}>} = {}): this {
		const entry: BootEntry = {
			...this.common(start, size, extra.node, `boot@${hex(start)}`),
			kind: 'boot',
			nomap: (extra.nomap ?? []).map(r => ({
				start: r.start,
				end: r.start + r.size,
				start_pfn: r.start / this.pageSize,
				end_pfn: (r.start + r.size) / this.pageSize,
			})),
		};
		this.entries.push(entry);
		return this;
	}

	hotplug(start: number, size: number, state: HotplugState = 'offline', extra: {node?: number; memmap_on_memory?: boolean} = {}): this {
		const entry: HotplugEntry = {
			...this.common(start, size, extra.node, `hotplug@${hex(start)}`),
			kind: 'hotplug',
			state,
			...(extra.memmap_on_memory ? {memmap_on_memory: true} : {}),
		};
		this.entries.push(entry);
		return this;
	}

	device(
		type: DeviceType,
		start: number,
		size: number,
		extra: {node?: number; state?: DeviceState; altmap?: {reserve: number; free: number | 'auto'}; align?: number} = {},
	): this {
		const common = this.common(start, size, extra.node, `${type}@${hex(start)}`);
		let altmap: Altmap | undefined;
		if (extra.altmap) {
			// `free: 'auto'` is resolved exactly as the parser does it (nd_pfn_init()'s aligned dataoff).
			const dataoff = nd_pfn_dataoff(start, size, this.pageSize, nd_pfn_align(this.arch));
			if (extra.altmap.free === 'auto' && dataoff === undefined) {
				throw new Error(`test topology: free: 'auto' cannot lay out ${size} bytes at ${hex(start)}`);
			}

			const free = extra.altmap.free === 'auto' ? dataoff! / this.pageSize - extra.altmap.reserve : extra.altmap.free;
			altmap = {base_pfn: common.start_pfn, reserve: extra.altmap.reserve, free, free_auto: extra.altmap.free === 'auto'};
		}

		const entry: DeviceEntry = {...common, kind: 'device', type, altmap, state: extra.state ?? 'ready', ...(extra.align ? {align: extra.align} : {})};
		this.entries.push(entry);
		return this;
	}

	build(): Topology {
		const kernel = v(this.kernel);
		return {
			name: this.options.name ?? 'test',
			description: '',
			arch: this.arch,
			kernel: this.kernel,
			config: {
				debug_vm: true,
				vmemmap: true,
				max_physmem_bits: defaultMaxPhysmemBits(this.arch, kernel),
				memory_block_size: geometryFor(this.arch, kernel).PAGES_PER_SECTION * this.pageSize,
				memory_block_size_auto: true,
				...this.options.config,
			},
			patches: this.options.patches ?? [],
			memory: [...this.entries],
			file: '<test>',
			warnings: [],
		};
	}

	private common(start: number, size: number, node = 0, label: string) {
		return {
			index: this.entries.length,
			start,
			end: start + size,
			start_pfn: start / this.pageSize,
			end_pfn: (start + size) / this.pageSize,
			node,
			pos: {line: this.entries.length + 1, column: 1},
			label,
		};
	}
}

export function topology(options: BuilderOptions = {}): TopologyBuilder {
	return new TopologyBuilder(options);
}
