/**
The fixed inputs of one replay: kernel version, arch geometry, CONFIG_* choices, what-if patches
and knobs. Every version- or arch-dependent decision of the model asks one of the helpers here,
so that the place where a behaviour changes is named once, with its commit.
*/
import {atLeast, before, type KernelVersion} from '../kernel/version.js';
import type {TopologyConfig} from '../topology/types.js';
import type {Arch, Geometry} from './geometry.js';

/** Knobs for behaviour that stable trees backported ahead of mainline (see docs/model-facts.md). */
export type ModelKnobs = {
	/**
	x86 add_pages() does not raise max_pfn when a pgmap is passed: mainline v6.15 (7170130e4c72
	"x86/mm/init: Handle the special case of device private pages in add_pages(), to not increase
	max_pfn and trigger dma_addressing_limited() bounce buffers"), backported to 6.1.y/6.6.y/6.12.y
	in 2025 (read in Debian 6.1.176 and 6.12.117). Default: by version.
	*/
	readonly x86_add_pages_skips_pgmap?: boolean;
};

export type ModelContext = {
	readonly kernel: KernelVersion;
	readonly arch: Arch;
	readonly g: Geometry;
	readonly config: TopologyConfig;
	readonly patches: ReadonlySet<string>;
	readonly knobs: ModelKnobs;
};

export function isArm64(ctx: ModelContext): boolean {
	return ctx.arch.startsWith('arm64');
}

/** The arm64 V2 what-if patch of seeds/000, 001 (source/model/patches.ts). */
export function hasArm64PfnValidV2(ctx: ModelContext): boolean {
	return isArm64(ctx) && ctx.patches.has('arm64-pfn-valid-v2');
}

/**
CONFIG_HAVE_ARCH_PFN_VALID: arm64 keeps its own pfn_valid() until v5.16 (3de360c3fdb3
"arm64/mm: drop HAVE_ARCH_PFN_VALID"; the v5.14-rc1 drop 16c9afc77660 was partially reverted by
3eb9cdffb397 before v5.14). With the V2 what-if patch arm64 keeps its own pfn_valid() at every
version (that is what the patch would have meant had it stayed).
*/
export function hasArchPfnValid(ctx: ModelContext): boolean {
	return isArm64(ctx) && (before(ctx.kernel, '5.16') || hasArm64PfnValidV2(ctx));
}

/** CONFIG_HOLES_IN_ZONE: selected by arm64 until v5.14 (a7d9f306ba70), option removed in v5.15 (859a85ddf90e). */
export function hasHolesInZone(ctx: ModelContext): boolean {
	return isArm64(ctx) && before(ctx.kernel, '5.14');
}

/** Subsections exist with SPARSEMEM_VMEMMAP from v5.3 (Dan Williams' subsection hotplug series). */
export function hasSubsections(ctx: ModelContext): boolean {
	return ctx.config.vmemmap && atLeast(ctx.kernel, '5.3');
}

/** SECTION_IS_EARLY exists from v5.3 (326e1b8f83a4). */
export function hasEarlyFlag(ctx: ModelContext): boolean {
	return atLeast(ctx.kernel, '5.3');
}

/** CONFIG_ZONE_DEVICE is available: never on s390 (memory-model.md §1.2). */
export function supportsZoneDevice(ctx: ModelContext): boolean {
	return ctx.arch !== 's390x';
}

/**
page_init_poison() writes 0xff over a memmap. It only does so with CONFIG_DEBUG_VM
(mm/debug.c:page_init_poison(), page_init_poisoning; `vm_debug=-` turns it off at runtime).
*/
export function poisons(ctx: ModelContext): boolean {
	return ctx.config.debug_vm;
}

/**
ARCH_KEEP_MEMBLOCK: add_memory_resource() calls memblock_add_node() for hot-added RAM
(mm/memory_hotplug.c). arm64 selects it unconditionally [V 5.10, 6.12 arch/arm64/Kconfig];
x86 only with INTEL_TDX_HOST and riscv only with ACPI (6.12) — not modelled.
*/
export function keepsMemblock(ctx: ModelContext): boolean {
	return isArm64(ctx);
}
