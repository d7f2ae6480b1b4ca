/**
The PFNMAP walkers at v6.12 under each /dev/mem and driver setting (source/walker/pfnmap.ts), on
the showcase (arm64-4k) and on topologies/x86-vm-hotplug.yaml (a hot-added block left offline,
one onlined and offlined again, one online_movable): what a stock kernel reaches, and what only a
non-default configuration does, with witnesses that name the missing guard and the setting.
*/
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {PACKAGE_ROOT} from '../../source/paths.js';
import {loadTopologyFile} from '../../source/topology/load.js';
import type {Topology, TopologyConfig} from '../../source/topology/types.js';
import __ioremap_check_ram from '../../walkers/__ioremap_check_ram.js';
import free_ram_pages_type from '../../walkers/free_ram_pages_type.js';
import is_invalid_reserved_pfn from '../../walkers/is_invalid_reserved_pfn.js';
import kvm_release_pfn_clean from '../../walkers/kvm_release_pfn_clean.js';
import kvm_set_pfn_dirty from '../../walkers/kvm_set_pfn_dirty.js';
import kvm_try_get_pfn from '../../walkers/kvm_try_get_pfn.js';
import lookup_memtype from '../../walkers/lookup_memtype.js';
import reserve_ram_pages_type from '../../walkers/reserve_ram_pages_type.js';
import {audit, expectFailing, expectNoFailing, expectWitnessWritten} from './harness.js';

const load = (file: string) => loadTopologyFile(path.join(PACKAGE_ROOT, 'topologies', file), {kernel: '6.12'});
const withConfig = (t: Topology, config: Partial<TopologyConfig>): Topology => ({...t, config: {...t.config, ...config}});

const PFNMAP = [kvm_try_get_pfn, kvm_release_pfn_clean, kvm_set_pfn_dirty, is_invalid_reserved_pfn];
const PAT = [lookup_memtype, reserve_ram_pages_type, free_ram_pages_type, __ioremap_check_ram];
const NO_STRICT: Partial<TopologyConfig> = {strict_devmem: false, io_strict_devmem: false};

// x86-vm-hotplug at v6.12: boot RAM to 25 GiB with holes at [0x9f, 0x100) and [3 GiB, 4 GiB);
//
//   | boot RAM … | offline (C1)  | offlined (C1) | online_movable |
//   …     0x640000          0x680000        0x6a0000         0x6c0000
const OFFLINE: readonly [number, number] = [0x64_0000, 0x68_0000];
const OFFLINED: readonly [number, number] = [0x68_0000, 0x6a_0000];

describe('PFNMAP walkers on a hot-added block left offline (x86-vm-hotplug, v6.12)', () => {
	const t = load('x86-vm-hotplug.yaml');

	// A test of the distribution default (CONFIG_STRICT_DEVMEM, CONFIG_IO_STRICT_DEVMEM, a driver's
	// PFNMAP of device memory, no ioremap() of System RAM). Expect nothing failing in any of the
	// eight walkers: /dev/mem refuses System RAM, the hot-added block included (it is a System RAM
	// resource from add_memory() on), and the PAT walkers have nothing to walk.
	it('reaches no uninitialized memmap on a stock kernel', () => {
		for (const walker of [...PFNMAP, ...PAT]) {
			expectNoFailing(audit(walker, t, '6.12').result);
		}

		expect(lookup_memtype.plan(audit(lookup_memtype, t, '6.12').model)?.passes[0]?.ranges).toEqual([]);
	});

	// A test of CONFIG_STRICT_DEVMEM=n. Expect the KVM and VFIO walkers and lookup_memtype() to read
	// both never-online blocks (C1, failing), each witness naming its missing guard (pfn_valid()
	// only, or pat_pagerange_is_ram() only) and the setting (config.strict_devmem: false).
	it('reads never-online memory through /dev/mem without CONFIG_STRICT_DEVMEM', () => {
		const open = withConfig(t, NO_STRICT);
		for (const walker of [...PFNMAP, lookup_memtype]) {
			const {result} = audit(walker, open, '6.12');
			expectFailing(result, 'C1', OFFLINE, OFFLINED);
			for (const witness of result.witnesses.filter(w => w.category === 'C1')) {
				expect(witness.why, walker.name).toMatch(/guards with (pfn_valid|pat_pagerange_is_ram)\(\) only/);
				expect(witness.why, walker.name).toContain('config.strict_devmem: false');
			}
		}
	});

	// A test of the writes. Expect, without CONFIG_DEBUG_VM (a garbage memmap: the model takes the
	// write), kvm_try_get_pfn() to write page->_refcount and kvm_set_pfn_dirty() page->flags of
	// the never-onlined block; with the poison (CONFIG_DEBUG_VM, which looks PG_reserved), only reads.
	it('writes the memmap of never-online memory when it is garbage, reads it when poisoned', () => {
		const garbage = audit(kvm_try_get_pfn, withConfig(t, {...NO_STRICT, debug_vm: false}), '6.12');
		expectWitnessWritten(garbage, kvm_try_get_pfn, 'C1', 'get_page_unless_zero');
		expectWitnessWritten(audit(kvm_set_pfn_dirty, withConfig(t, {...NO_STRICT, debug_vm: false}), '6.12'), kvm_set_pfn_dirty, 'C1', 'mark_page_accessed');
		expect(garbage.result.witnesses.find(w => w.category === 'C1')?.why).toContain('then writes page->_refcount');
	});

	// A test of an ioremap() of the hot-added range (config.ioremap_ram, not a default). Expect
	// __ioremap_check_ram() and reserve_ram_pages_type() to read the never-online blocks, failing,
	// the witness naming the setting; free_ram_pages_type() nothing (the poisoned memtype reads as
	// WT, the reservation failed).
	it('reads never-online memory through an ioremap() of System RAM', () => {
		const ioremap = withConfig(t, {ioremap_ram: true});
		for (const walker of [__ioremap_check_ram, reserve_ram_pages_type]) {
			const {result} = audit(walker, ioremap, '6.12');
			expectFailing(result, 'C1', OFFLINE, OFFLINED);
			expect(result.witnesses.find(w => w.category === 'C1')?.why).toContain('config.ioremap_ram: true');
		}

		expectNoFailing(audit(free_ram_pages_type, ioremap, '6.12').result);
	});
});

describe('PFNMAP walkers on the showcase (arm64-4k, v6.12)', () => {
	const t = load('showcase.yaml');

	// A test of the default. Expect the KVM and VFIO walkers present and failing nothing; the x86
	// PAT and ioremap() walkers absent on arm64.
	it('reaches no uninitialized memmap on a stock kernel, and has no PAT', () => {
		for (const walker of PFNMAP) {
			expectNoFailing(audit(walker, t, '6.12').result);
		}

		for (const walker of PAT) {
			expect(audit(walker, t, '6.12').result.status, walker.name).toBe('absent');
		}
	});

	// A test of CONFIG_IO_STRICT_DEVMEM=n: busy device memory is no longer refused to /dev/mem.
	// Expect the initializing devdax (C4), the altmap reserve (C5) and the device in teardown read
	// and failing, the never-onlined RAM (C1) not (System RAM is still refused).
	it('reads busy ZONE_DEVICE ranges through /dev/mem without CONFIG_IO_STRICT_DEVMEM', () => {
		for (const walker of PFNMAP) {
			const {result} = audit(walker, withConfig(t, {io_strict_devmem: false}), '6.12');
			for (const category of ['C4', 'C5', 'teardown'] as const) {
				expect(result.failing[category], `${walker.name} ${category}`).toBeGreaterThan(0);
			}

			expect(result.touches.C1, walker.name).toBe(0);
			expect(result.witnesses.find(w => w.category === 'C5')?.why).toContain('config.io_strict_devmem: false');
		}
	});

	// A test of CONFIG_STRICT_DEVMEM=n. Expect C1 read and failing as well.
	it('reads never-online memory too without CONFIG_STRICT_DEVMEM', () => {
		for (const walker of PFNMAP) {
			expect(audit(walker, withConfig(t, NO_STRICT), '6.12').result.failing.C1, walker.name).toBeGreaterThan(0);
		}
	});
});
