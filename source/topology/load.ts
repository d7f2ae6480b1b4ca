/**
Reading topology files (docs/topology-format.md): YAML or JSON → validated Topology, or an InputError naming
file:line:column and the rule.

	text ─ document.ts (yaml parseDocument + LineCounter; numbers kept as source text)
	     ─ schema.ts   (zod 4: strict keys, types, size xor end, defaults; issues.ts → positions)
	     ─ header.ts   (kernel / --kernel, patches / --patch, max_physmem_bits)
	     ─ entries.ts  (boot first; page, block, subsection/section alignment; MAX_PHYSMEM_BITS;
	                    overlaps; ZONE_DEVICE and type availability; altmap.ts)
	     ─ warnings.ts (collisions, partial sections, shared sections, private placement)
*/
import {InputError} from '../errors/input-error.js';
import {atLeast} from '../kernel/version.js';
import {DEFERRED_INIT_RELEASE} from '../model/deferred-init.js';
import {geometryFor} from '../model/geometry.js';
import {hugetlbVmemmapProblem} from '../model/hugetlb-vmemmap.js';
import type {RuleContext} from './context.js';
import {readDocument} from './document.js';
import {readTopologyText} from './read-file.js';
import {validateMemory} from './entries.js';
import {validateOperations} from './operations.js';
import {resolveKernel, resolveMaxPhysmemBits, resolvePatches} from './header.js';
import {schemaError} from './issues.js';
import type {PositionIndex} from './positions.js';
import {parseTopologyShape} from './schema.js';
import type {Topology, Warning} from './types.js';
import {collectWarnings} from './warnings.js';
import {LARGE_TEXT_CHARS, onePass} from '../model/one-pass.js';

export {MAX_TOPOLOGY_BYTES, readTopologyText} from './read-file.js';

export type LoadOptions = {
	/** CLI --kernel: overrides the topology's `kernel:`. */
	readonly kernel?: string;
	/**
	CLI --patch: added to the topology's `patches:`. The name `none` (`--patch none`, `--no-patch`)
	drops the file's own patches first: `--patch none,NAME` audits with NAME only.
	*/
	readonly patches?: readonly string[];
	/** Patches of the topology's `patches:` not to apply (the dashboard's `p` chooser turns them off). */
	readonly dropPatches?: readonly string[];
};

/** `--patch none`: no patch from the topology file (the value is no patch name). */
export const NO_FILE_PATCHES = 'none';

/** Parse and validate topology text. `file` is used in error messages. Throws InputError. */
export function parseTopology(text: string, file: string, options: LoadOptions = {}): Topology {
	return onePass(text.length >= LARGE_TEXT_CHARS, () => {
		const {value, index} = readDocument(text, file);
		return {...validateTopologyValue(value, index, file, options), source: text};
	});
}

/**
Validate a topology given as the plain value a file parses to (numbers as their source text, as
document.ts hands them on), without YAML: `pfnaudit search` checks thousands of generated layouts
a second this way (source/search/layout.ts). Errors point at line 1 unless `index` knows better.
*/
export function validateTopologyValue(value: unknown, index: PositionIndex, file: string, options: LoadOptions = {}): Topology {
	const parsed = parseTopologyShape(value);
	if (!parsed.success) {
		throw schemaError(parsed.error, value, index, file);
	}

	const raw = parsed.data;
	const {kernel, fromCli} = resolveKernel(raw.kernel, options.kernel, file, index);
	const dropAll = options.patches?.includes(NO_FILE_PATCHES) ?? false;
	const patches = resolvePatches(
		raw.patches,
		(options.patches ?? []).filter(name => name !== NO_FILE_PATCHES),
		raw.arch,
		kernel,
		file,
		index,
		name => dropAll || (options.dropPatches?.includes(name) ?? false),
	);
	const max_physmem_bits = resolveMaxPhysmemBits(raw.config.max_physmem_bits, raw.arch, kernel, file, index);
	if (raw.arch === 'x86_64' && max_physmem_bits === 52 && !atLeast(kernel, '4.14')) {
		const pos = index.at(['config', 'max_physmem_bits']);
		throw new InputError(
			`config.max_physmem_bits 52 needs 5-level paging (CONFIG_X86_5LEVEL), which x86_64 has from v4.14; at v${kernel.label}${fromCli ? ' (from --kernel)' : ''} MAX_PHYSMEM_BITS is 46`,
			{file, line: pos.line, column: pos.column},
		);
	}

	const devmem = resolveDevmem(raw.config, raw.arch, file, index);
	if (raw.config.deferred_struct_page_init && !atLeast(kernel, DEFERRED_INIT_RELEASE)) {
		const pos = index.at(['config', 'deferred_struct_page_init']);
		throw new InputError(
			`config.deferred_struct_page_init: pfnaudit models the defer_init() rule of c9e97a1997fb "mm: initialize pages on demand during boot" (v4.17: one section of each node's highest zone initialized early); at v${kernel.label}${fromCli ? ' (from --kernel)' : ''} the kernel kept a 2 GiB static_init_pgcnt, which is not modelled; use a kernel from 4.17 or drop the key`,
			{file, line: pos.line, column: pos.column},
		);
	}

	const hvoProblem = raw.config.hugetlb_vmemmap ? hugetlbVmemmapProblem(raw.arch, kernel, raw.config.vmemmap) : undefined;
	if (hvoProblem) {
		const pos = index.at(['config', 'hugetlb_vmemmap']);
		throw new InputError(
			`config.hugetlb_vmemmap cannot be used on ${raw.arch} at v${kernel.label}${fromCli ? ' (from --kernel)' : ''}: ${hvoProblem}; drop the key or change the kernel or arch`,
			{file, line: pos.line, column: pos.column},
		);
	}

	const geometry = geometryFor(raw.arch, kernel, max_physmem_bits);
	const warnings: Warning[] = [];
	const ctx: RuleContext = {
		file,
		index,
		arch: raw.arch,
		kernel,
		kernelFromCli: fromCli,
		geometry,
		vmemmap: raw.config.vmemmap,
		warnings,
	};
	const {entries, memoryBlock, placed} = validateMemory(ctx, raw.memory, raw.config);
	collectWarnings(ctx, entries, raw.config);
	// After the warnings: a device created by an operation replaces one that is gone.
	const operations = validateOperations(ctx, raw.operations, entries, placed, memoryBlock);
	warnings.sort((a, b) => a.pos.line - b.pos.line || a.pos.column - b.pos.column);
	return {
		name: raw.name,
		description: raw.description.trim(),
		arch: raw.arch,
		kernel: kernel.label,
		config: {
			debug_vm: raw.config.debug_vm,
			vmemmap: raw.config.vmemmap,
			max_physmem_bits,
			memory_block_size: memoryBlock.bytes,
			memory_block_size_auto: memoryBlock.auto,
			hypervisor: raw.config.hypervisor,
			...(raw.config.dma_limit === undefined ? {} : {dma_limit: raw.config.dma_limit}),
			...devmem,
			device_pfnmap: raw.config.device_pfnmap,
			ioremap_ram: raw.config.ioremap_ram,
			...(raw.config.deferred_struct_page_init ? {deferred_struct_page_init: true} : {}),
			...(raw.config.hugetlb_vmemmap ? {hugetlb_vmemmap: true} : {}),
		},
		patches,
		memory: entries,
		...(operations.length > 0 ? {operations} : {}),
		file,
		warnings,
	};
}

/**
CONFIG_STRICT_DEVMEM and CONFIG_IO_STRICT_DEVMEM as the topology gives them, or their defaults:
STRICT_DEVMEM is `default y if PPC || X86 || ARM64` (lib/Kconfig.debug), so false on riscv64 and
s390x; IO_STRICT_DEVMEM follows STRICT_DEVMEM, as in Debian's amd64 configs of 6.1 and 6.12 (both
=y; Kconfig's own default is n). IO_STRICT_DEVMEM `depends on STRICT_DEVMEM`: asking for it
without STRICT_DEVMEM is refused at the key.
*/
function resolveDevmem(
	config: {readonly strict_devmem?: boolean | undefined; readonly io_strict_devmem?: boolean | undefined},
	arch: string,
	file: string,
	index: PositionIndex,
): {strict_devmem: boolean; io_strict_devmem: boolean} {
	const strict = config.strict_devmem ?? (arch === 'x86_64' || arch.startsWith('arm64') || arch.startsWith('ppc64'));
	const io = config.io_strict_devmem ?? strict;
	if (io && !strict) {
		const pos = index.at(['config', 'io_strict_devmem']);
		throw new InputError(
			'config.io_strict_devmem: true needs CONFIG_STRICT_DEVMEM (lib/Kconfig.debug: IO_STRICT_DEVMEM depends on STRICT_DEVMEM); set config.strict_devmem: true or config.io_strict_devmem: false',
			{file, line: pos.line, column: pos.column},
		);
	}

	return {strict_devmem: strict, io_strict_devmem: io};
}

/**
Read and parse a topology file. A file that cannot be read is an InputError at the path (exit 2),
like a file that does not parse.
*/
export function loadTopologyFile(file: string, options: LoadOptions = {}): Topology {
	return parseTopology(readTopologyText(file), file, options);
}
