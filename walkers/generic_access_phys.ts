/**
mm/memory.c:generic_access_phys(): the vm_ops->access of VM_IO/VM_PFNMAP mappings (/dev/mem's
mmap_mem_ops, PCI resource files and other drivers' remap_pfn_range() mappings).
access_process_vm() calls it when a debugger reads or writes such a mapping of another process
(ptrace PEEK/POKE, /proc/PID/mem), one page at a time.

Its pfn is the one the mapping's page table holds (follow_pfnmap_start() in 6.12, follow_pte()
before): whatever the driver or /dev/mem put there. The model sweeps the whole physical address
space — any pfn a PFNMAP mapping can hold; which of them a stock kernel lets a user map (e.g.
CONFIG_STRICT_DEVMEM) does not matter here, because the guard refuses every pfn it does not
trust before a struct page is read.

6.12.118 [V, lines 6565-6632]: pfn_to_online_page(args.pfn); an online page that is not
PageReserved() is "ordinary RAM" and refused (-EINVAL); only then is the pfn ioremapped.

History:
- v4.13 on: follow_pte() (or follow_phys()), ioremap_prot(), no struct page read — 6.1.192 reads
  no struct page [V].
- The pfn_to_online_page()/PageReserved() check is in Debian's 6.12.118 [V] and not in 6.1.192
  [V]. The commit that added it, and whether v6.12 mainline has it or only the 6.12.y stable
  tree, are not confirmed [U]: the model puts it at v6.12.
*/
import {before} from '../source/kernel/version.js';
import {defineWalker, type Pass} from '../source/walker/contract.js';
import {physicalSweep} from '../source/walker/ranges.js';

/** PageReserved(): allocated once (a literal in the step is a new array per pfn). */
const FLAGS = ['flags'] as const;

export default defineWalker({
	name: 'generic_access_phys',
	models: 'mm/memory.c:generic_access_phys()',
	trigger: 'ptrace or /proc/PID/mem access to another process\'s VM_IO/VM_PFNMAP mapping (/dev/mem, PCI resource files): access_process_vm() → vm_ops->access',
	reachability: 'root-any-pfn',
	shape: 'one pfn per access, the pfn a PFNMAP page table holds; swept over the physical address space',
	fields: ['flags'],
	history: [
		{
			since: '4.13',
			guard: 'follow_pte(), ioremap_prot(): no struct page read',
			confidence: 'P',
			note: '6.1.192 read [V]; unchanged in that respect since before v4.13 [U].',
		},
		{
			since: '6.12',
			guard: 'pfn_to_online_page(), then PageReserved(): ordinary RAM refused',
			confidence: 'U',
			note: 'In Debian 6.12.118 (mm/memory.c:6593-6597) [V], not in 6.1.192 [V]; the commit and the mainline release are not identified.',
		},
	],
	plan(model) {
		const reads = !before(model.kernel, '6.12');
		const pass: Pass = {
			label: 'any pfn behind a VM_IO/VM_PFNMAP mapping',
			ranges: physicalSweep(model),
			direction: 'up',
			stride: 1,
			step(ctx, pfn) {
				if (reads && ctx.pfn_to_online_page(pfn)) {
					ctx.page(pfn, FLAGS, 'generic_access_phys');
				}
			},
		};
		return reads
			? {label: 'v6.12+: pfn_to_online_page(), then PageReserved()', guard: 'guards with pfn_to_online_page()', passes: [pass]}
			: {label: '≤v6.11: follow_pte() and ioremap_prot(), no struct page read', guard: 'reads no struct page', passes: [pass]};
	},
});
