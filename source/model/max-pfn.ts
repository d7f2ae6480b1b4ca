/**
How hot-add moves max_pfn, per arch and version. Walkers bounded by max_pfn (/proc/kpageflags,
page_idle, read_page_owner) only reach what lies below it.

- x86_64 (arch/x86/mm/init_64.c:add_pages() → update_end_of_memory_vars(), which only raises it)
  [V 5.10]. Called for hot-added RAM and, through arch_add_memory() or directly for
  device-private memory, for every ZONE_DEVICE range. v6.15: not when params->pgmap is set
  (7170130e4c72 "x86/mm/init: Handle the special case of device private pages in add_pages(), to
  not increase max_pfn and trigger dma_addressing_limited() bounce buffers", Balbir Singh) [P;
  V in Debian 6.1.176 and 6.12.117, where it was backported: backport-7170130e4c72]. The knob
  ModelKnobs.x86_add_pages_skips_pgmap, when set, overrides version and patches.
- arm64 (arch/arm64/mm/mmu.c:arch_add_memory()): no update before v5.16; v5.16 sets
  `max_pfn = PFN_UP(start + size)`, which can lower it (8fac67ca236b "arm64: mm: update max_pfn
  after memory hotplug") [P: stable pushes Nov 2021; V 5.10.262: backport-8fac67ca236b]; v6.15
  takes the max (89f43e1ce6f6 "arm64: mm: Correct the update of max_pfn") [P; V 6.1 and 6.12:
  backport-89f43e1ce6f6].
  Device-private memory goes through the generic add_pages() = __add_pages(): no update.
- riscv64 (arch/riscv/mm/init.c:arch_add_memory(), memory hotplug since ~v6.11):
  `max_pfn = PFN_UP(start + size)` [V 6.12]; device-private: no update.
- ppc64: arch add_pages() override raising max_pfn like x86 ("powerpc/memhotplug: Add add_pages
  override for PPC", Aneesh Kumar, June 2022, a v5.19-rc fix) [P; release not verified: v5.19].
- s390x: arch_add_memory() does not touch max_pfn [V 6.12].
*/
import {atLeast} from '../kernel/version.js';
import {hasBackport, isArm64, type ModelContext} from './context.js';

export type AddKind = {
	/** params->pgmap is set (memremap_pages()). */
	readonly pgmap: boolean;
	/** Device-private: add_pages() instead of arch_add_memory(). */
	readonly private: boolean;
};

export function maxPfnAfterAdd(ctx: ModelContext, current: number, endPfn: number, kind: AddKind): number {
	const {kernel} = ctx;
	if (ctx.arch === 'x86_64') {
		const skips = ctx.knobs.x86_add_pages_skips_pgmap ?? hasBackport(ctx, 'backport-7170130e4c72');
		return kind.pgmap && skips ? current : Math.max(current, endPfn);
	}

	if (isArm64(ctx)) {
		if (kind.private || !hasBackport(ctx, 'backport-8fac67ca236b')) {
			return current;
		}

		return hasBackport(ctx, 'backport-89f43e1ce6f6') ? Math.max(current, endPfn) : endPfn;
	}

	if (ctx.arch === 'riscv64') {
		return kind.private ? current : endPfn;
	}

	if (ctx.arch === 'ppc64-64k') {
		return atLeast(kernel, '5.19') ? Math.max(current, endPfn) : current;
	}

	return current;
}
