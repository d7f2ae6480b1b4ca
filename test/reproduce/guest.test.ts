/**
The pure parts of the guest side of `pfnaudit reproduce --run` (source/reproduce/guest/): module
load order from modules.dep, Debian's kernel package names, the kernel version from /proc/version,
the guest's plan script, and the text report of a comparison.
*/
import {describe, expect, it} from 'vitest';
import {renderReproduction, reproductionNotes} from '../../source/cli/commands/reproduce-run.js';
import {isInputError} from '../../source/errors/input-error.js';
import {compareReproduction} from '../../source/reproduce/compare.js';
import {versionOf} from '../../source/reproduce/guest/boot.js';
import {kpageflagsMask, planFiles} from '../../source/reproduce/guest/init.js';
import {compareReleases, releasesIn} from '../../source/reproduce/guest/kernel.js';
import {moduleLoadOrder, moduleName, parseModulesBuiltin, parseModulesDep} from '../../source/reproduce/guest/modules.js';
import {PROBE_GUEST_KO, type GuestPlan} from '../../source/reproduce/types.js';
import {parseTopology} from '../../source/topology/load.js';
import {kpageflagsRuns, KERNEL_RUNS, layoutCapture, REQUESTED} from './capture-fixture.js';

// modules.dep as kmod's depmod writes it: each module's whole dependency closure, the last loads first.
const MODULES_DEP = [
	'kernel/drivers/nvdimm/libnvdimm.ko.xz:',
	'kernel/drivers/nvdimm/nd_btt.ko.xz: kernel/drivers/nvdimm/libnvdimm.ko.xz',
	'kernel/drivers/nvdimm/nd_pmem.ko.xz: kernel/drivers/nvdimm/nd_btt.ko.xz kernel/drivers/nvdimm/libnvdimm.ko.xz',
	'kernel/drivers/nvdimm/nd_e820.ko.xz: kernel/drivers/nvdimm/libnvdimm.ko.xz',
	'kernel/drivers/dax/device_dax.ko.xz:',
	'kernel/drivers/dax/pmem/dax_pmem.ko.xz: kernel/drivers/nvdimm/nd_pmem.ko.xz kernel/drivers/nvdimm/nd_btt.ko.xz kernel/drivers/nvdimm/libnvdimm.ko.xz',
	'kernel/drivers/block/virtio_blk.ko.xz:',
	'',
].join('\n');

describe('reproduce guest: modules', () => {
	it('A test that orders the modules of a plan (nd_e820, nd_pmem, dax_pmem, device_dax, then the virtio disk) from modules.dep. Expect each once, its dependencies first: libnvdimm, nd_e820, nd_btt, nd_pmem, dax_pmem, device_dax, virtio_blk; virtio_pci built in, skipped', () => {
		const dep = parseModulesDep(MODULES_DEP);
		const builtin = parseModulesBuiltin('kernel/drivers/virtio/virtio_pci.ko\nkernel/drivers/virtio/virtio.ko\n');
		expect(moduleLoadOrder(['nd_e820', 'nd_pmem', 'dax-pmem', 'device_dax', 'virtio_pci', 'virtio_blk'], dep, builtin, '6.12.118+deb12-amd64').map(moduleName)).toEqual([
			'libnvdimm',
			'nd_e820',
			'nd_btt',
			'nd_pmem',
			'dax_pmem',
			'device_dax',
			'virtio_blk',
		]);
	});

	it('A test that asks for a module the kernel does not have. Expect an input error naming it and the module that needs it', () => {
		const dep = parseModulesDep('kernel/a.ko: kernel/b.ko\n');
		let error: unknown;
		try {
			moduleLoadOrder(['a'], dep, new Set(), '6.1.0-57-amd64');
		} catch (caught) {
			error = caught;
		}

		expect(isInputError(error)).toBe(true);
		expect((error as Error).message).toMatch(/kernel 6\.1\.0-57-amd64 has no module b \(needed by a\)/);
	});
});

describe('reproduce guest: Debian kernel packages', () => {
	it('A test that picks the newest plain amd64 image of a series from apt-cache search. Expect 6.1.0-57 over 6.1.0-9 and no -cloud or -rt flavour; 6.12.118+deb12 over 6.12.99+deb12', () => {
		const apt = [
			'linux-image-6.1.0-9-amd64 - Linux 6.1 for 64-bit PCs (signed)',
			'linux-image-6.1.0-57-cloud-amd64 - Linux 6.1 for x86-64 cloud (signed)',
			'linux-image-6.1.0-57-amd64 - Linux 6.1 for 64-bit PCs (signed)',
			'linux-image-6.1.0-57-rt-amd64 - Linux 6.1 for 64-bit PCs, PREEMPT_RT (signed)',
			'linux-image-6.12.118+deb12-amd64 - Linux 6.12 for 64-bit PCs (signed)',
			'linux-image-6.12.99+deb12-amd64 - Linux 6.12 for 64-bit PCs (signed)',
			'linux-image-6.12-amd64 - Linux for 64-bit PCs (meta-package)',
		].join('\n');
		expect(releasesIn(apt, '6.1')).toEqual(['6.1.0-9-amd64', '6.1.0-57-amd64']);
		expect(releasesIn(apt, '6.12')).toEqual(['6.12.99+deb12-amd64', '6.12.118+deb12-amd64']);
		expect(compareReleases('6.12.118+deb12-amd64', '6.12.99+deb12-amd64')).toBeGreaterThan(0);
	});

	it('A test that reads the kernel version from /proc/version. Expect the package version after "#1 SMP … Debian", not the compiler\'s "(Debian 12.2.0-14)"', () => {
		const v612 = 'Linux version 6.12.118+deb12-amd64 (debian-kernel@lists.debian.org) (x86_64-linux-gnu-gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.12.118-1~deb12u1 (2026-11-28)';
		const v61 = 'Linux version 6.1.0-57-amd64 (debian-kernel@lists.debian.org) (gcc-12 (Debian 12.2.0-14+deb12u1) 12.2.0, GNU ld (GNU Binutils for Debian) 2.40) #1 SMP PREEMPT_DYNAMIC Debian 6.1.192-3 (2026-11-20)';
		expect(versionOf(v612, '6.12.118+deb12-amd64')).toBe('6.12.118');
		expect(versionOf(v61, '6.1.0-57-amd64')).toBe('6.1.192');
		expect(versionOf('Linux version 6.18.2 (me@box) (gcc 14) #3 SMP', '6.18.2')).toBe('6.18.2');
	});
});

describe('reproduce guest: the plan script', () => {
	const plan: GuestPlan = {
		arch: 'x86_64',
		kernel: '6.12',
		machineArgs: [],
		cmdline: [],
		modules: [],
		steps: [
			{kind: 'capture', label: 'boot'},
			{kind: 'sh', script: 'echo online > /sys/devices/system/memory/memory32/state', why: "memory32 onlined (it's online_pages())"},
			{kind: 'capture', label: 'operations[0]'},
		],
		probeEndPfn: 0x16_0000,
	};

	it('A test that writes the plan of a capture, a step and a capture. Expect the step\'s script in a file of its own, captures numbered 00 and 01 with their labels quoted, and a failing step ending the guest', () => {
		const files = planFiles(plan, false);
		expect(files.find(f => f.name === '/etc/pfnaudit/step-2.sh')?.text).toBe('echo online > /sys/devices/system/memory/memory32/state\n');
		const script = files.find(f => f.name === '/etc/pfnaudit/plan.sh')!.text;
		expect(script).toContain("capture 00 'boot'");
		expect(script).toContain("capture 01 'operations[0]'");
		expect(script).toContain(String.raw`sh /etc/pfnaudit/step-2.sh || fail 'step 2: memory32 onlined (it'\''s online_pages())'`);
		expect(script).not.toContain('insmod');
	});

	it('A test of the plan with the probe module. Expect insmod of PROBE_GUEST_KO with end_pfn= the plan\'s probeEndPfn before the first step', () => {
		const script = planFiles(plan, true).find(f => f.name === '/etc/pfnaudit/plan.sh')!.text;
		expect(script.indexOf(`insmod ${PROBE_GUEST_KO} end_pfn=${0x16_0000}`)).toBeGreaterThan(0);
		expect(script.indexOf('insmod')).toBeLessThan(script.indexOf('capture 00'));
	});

	it('A test of the kpageflags mask the guest reads with. Expect KPF_NOPAGE (bit 20) and KPF_RESERVED (bit 32): 0x100100000', () => {
		expect(kpageflagsMask()).toBe('100100000');
	});
});

describe('reproduce --run: the text report', () => {
	it('A test that renders the comparison of the small hand-made capture with the kernel made to disagree on [0x50000, 0x50010). Expect the check table with DISAGREE on pfn_to_online_page, the disagreement as a pfn range with both answers, and the deviation of the top of low RAM', () => {
		const runs = KERNEL_RUNS.flatMap(([s, e, f]) => (s === 0x5_0000 ? [[s, 0x5_0010, 0n] as [number, number, bigint], [0x5_0010, e, f] as [number, number, bigint]] : [[s, e, f] as [number, number, bigint]]));
		const files = layoutCapture().map(f => (f.name === 'kpageflags.runs' ? {...f, text: kpageflagsRuns(runs)} : f));
		const requested = parseTopology(REQUESTED, 'requested.yaml');
		const result = compareReproduction(requested, '6.12.118', [{label: 'layout', files}]);
		const text = renderReproduction(requested, '6.12.118+deb12-amd64', result, {bootMs: 31_000, compareMs: 100});
		expect(text).toMatch(/^layout: pfn_to_online_page\s+1114096 \/ 1114112\s+DISAGREE$/m);
		expect(text).toContain('- layout: pfn_to_online_page [0x50000, 0x50010) 16 pfns: kernel page, model NULL (KPF_NOPAGE)');
		expect(text).toMatch(/requested boot RAM, realised hole/);
		expect(text).toContain("on Debian's 6.12.118 (6.12.118+deb12-amd64) under QEMU, modelled as v6.12 + stable-6.12.117");
	});

	it('A test of the notes of a run whose probe module could not be built (they go in the text report and in --format json). Expect the reason first, saying the pfn checks come from /proc/kpageflags only, then the capture\'s own notes, in the text under ## Notes', () => {
		const requested = parseTopology(REQUESTED, 'requested.yaml');
		const result = compareReproduction(requested, '6.12.118', [{label: 'layout', files: layoutCapture()}]);
		const reason = 'make is not installed (apt-get install make)';
		const notes = reproductionNotes(result, reason);
		expect(notes[0]).toBe(`no probe module: ${reason}; the pfn checks come from /proc/kpageflags only`);
		expect(notes.slice(1)).toEqual(result.comparisons.flatMap(c => c.notes));
		expect(reproductionNotes(result, undefined)).toEqual(notes.slice(1));
		const text = renderReproduction(requested, '6.12.118+deb12-amd64', result, {bootMs: 31_000, compareMs: 100, probeMissing: reason});
		expect(text).toContain(`## Notes\n- no probe module: ${reason}; the pfn checks come from /proc/kpageflags only`);
	});
});
