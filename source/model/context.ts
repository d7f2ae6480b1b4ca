/**
The fixed inputs of one replay: kernel version, arch geometry, CONFIG_* choices, what-if patches
and knobs. Every version- or arch-dependent decision of the model asks one of the helpers here,
so that the place where a behaviour changes is named once, with its commit.
*/
import {atLeast, before, type KernelVersion} from '../kernel/version.js';
import type {TopologyConfig} from '../topology/types.js';
import type {Arch, Geometry} from './geometry.js';
import {backportInEffect} from './patches.js';

/**
Overrides for single behaviours (tests and experiments). Stable backports are named patches
(source/model/patches.ts, `--patch backport-…` or a `stable-…` preset); a knob, when set, wins
over both the version and the patches.
*/
export type ModelKnobs = {
	/**
	x86 add_pages() does not raise max_pfn when a pgmap is passed: mainline v6.15 (7170130e4c72),
	backport-7170130e4c72 (stable-6.1.176, stable-6.12.117). Default: by version and patches.
	*/
	readonly x86_add_pages_skips_pgmap?: boolean;
};

export type ModelContext = {
	readonly kernel: KernelVersion;
	readonly arch: Arch;
	readonly g: Geometry;
	readonly config: TopologyConfig;
	/** The patches in effect: the named ones and everything they imply (patches.ts expandPatches()). */
	readonly patches: ReadonlySet<string>;
	readonly knobs: ModelKnobs;
};

/**
True when the behaviour of a backport (source/model/stable-patches.ts) is in effect: the kernel is
at or past the mainline release of its commit, or the backport is applied.
*/
export function hasBackport(ctx: ModelContext, name: string): boolean {
	return backportInEffect(ctx.kernel, ctx.patches, name);
}

export function isArm64(ctx: ModelContext): boolean {
	return ctx.arch.startsWith('arm64');
}

/** The arm64 V2 what-if patch (<1612239114-28428-2-git-send-email-anshuman.khandual@arm.com>; source/model/patches.ts). */
export function hasArm64PfnValidV2(ctx: ModelContext): boolean {
	return isArm64(ctx) && ctx.patches.has('arm64-pfn-valid-v2');
}

/**
CONFIG_HAVE_ARCH_PFN_VALID: arm64 keeps its own pfn_valid() until v5.16 (3de360c3fdb3
"arm64/mm: drop HAVE_ARCH_PFN_VALID"; the v5.14-rc1 drop 16c9afc77660 was partially reverted by
3eb9cdffb397 before v5.14), and in 5.15.y until 5.15.36 (backport-3de360c3fdb3, "[PATCH 5.15
007/124]", Fixes: 859a85ddf90e). With the V2 what-if patch arm64 keeps its own pfn_valid() at
every version (that is what the patch would have meant had it stayed).
*/
export function hasArchPfnValid(ctx: ModelContext): boolean {
	return isArm64(ctx) && (!hasBackport(ctx, 'backport-3de360c3fdb3') || hasArm64PfnValidV2(ctx));
}

/**
CONFIG_HOLES_IN_ZONE: selected by arm64 until v5.14 (a7d9f306ba70), option removed in v5.15
(859a85ddf90e) [V: selected unconditionally in 5.10 arch/arm64/Kconfig]. Caveat: before "arm64:
mm: always enable CONFIG_HOLES_IN_ZONE" (James Morse, posted 30 Aug 2018; release not verified,
most likely v4.19) it was `depends on NUMA` (6d526ee26ccd, v4.11): pfnaudit assumes CONFIG_NUMA=y
there, as distribution kernels have; a non-NUMA arm64 kernel of that time had pfn_valid_within()
== 1. The model notes say so (build.ts modelNotes()).
*/
export function hasHolesInZone(ctx: ModelContext): boolean {
	return isArm64(ctx) && before(ctx.kernel, '5.14');
}

/** Subsections exist with SPARSEMEM_VMEMMAP from v5.3 (Dan Williams' subsection hotplug series). */
export function hasSubsections(ctx: Pick<ModelContext, 'kernel' | 'config'>): boolean {
	return ctx.config.vmemmap && atLeast(ctx.kernel, '5.3');
}

/** SECTION_IS_EARLY and early_section() exist from v5.3 (326e1b8f83a4). */
export function hasEarlyFlag(ctx: Pick<ModelContext, 'kernel'>): boolean {
	return atLeast(ctx.kernel, '5.3');
}

/**
pfn_section_valid() exists from v5.3 (f46edbd1b151 "mm/sparsemem: add helpers track active portions
of a section at boot"); before it pfnaudit answers valid_section() (predicates/section.ts).
*/
export function hasPfnSectionValid(ctx: Pick<ModelContext, 'kernel'>): boolean {
	return atLeast(ctx.kernel, '5.3');
}

/**
SECTION_TAINT_ZONE_DEVICE, its setting in move_pfn_range_to_zone() and online_device_section()
exist from v5.12 (1f90a3477df3 "mm: teach pfn_to_online_page() about ZONE_DEVICE section
collisions").
*/
export function hasZoneDeviceTaint(ctx: Pick<ModelContext, 'kernel'>): boolean {
	return atLeast(ctx.kernel, '5.12');
}

/** CONFIG_ZONE_DEVICE is available: never on s390. */
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
