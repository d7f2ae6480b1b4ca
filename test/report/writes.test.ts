/**
A category reached through a write (WalkerResult.writes) is marked as such in every report
format and in the dashboard's witnesses pane.
*/
import {describe, expect, it} from 'vitest';
import {runAudit} from '../../source/engine/audit.js';
import type {AuditReport} from '../../source/engine/types.js';
import {renderReport} from '../../source/report/index.js';
import {RunStore} from '../../source/ui/state/run-store.js';
import {selectWalkers} from '../../source/walker/select.js';
import {GiB, MiB, topology} from '../helpers/topology.js';
import {reportSchemaProblems, sarifSchemaProblems} from './helpers/validators.js';

type Json = Record<string, any>;

// x86_64, 32-bit physical address space: 1 GiB of boot RAM and a 128 MiB block hot-added and left
// offline (C1, pfns [0x40000, 0x48000)), with CONFIG_STRICT_DEVMEM off and CONFIG_DEBUG_VM off:
// /dev/mem exposes the block, its memmap is garbage, and kvm_try_get_pfn() writes its _refcount
// (get_page_unless_zero()) while is_invalid_reserved_pfn() only reads it.
async function audit(): Promise<AuditReport> {
	const t = topology({kernel: '6.12', config: {max_physmem_bits: 32, strict_devmem: false, io_strict_devmem: false, debug_vm: false}})
		.boot(0, 1 * GiB)
		.hotplug(1 * GiB, 128 * MiB, 'offline')
		.build();
	const walkers = await selectWalkers(['kvm_try_get_pfn', 'is_invalid_reserved_pfn'], process.cwd());
	return runAudit({topology: t, walkers, runner: 'in-process'});
}

describe('reaching a category through a write', () => {
	// A test of the engine's tally. Expect kvm_try_get_pfn's C1 writes to be its C1 touches that
	// write (one of the two per pfn: the PageReserved() read, the _refcount write), and none for
	// is_invalid_reserved_pfn.
	it('counts write touches per category', async () => {
		const report = await audit();
		const [kvm, vfio] = report.walkers;
		expect(kvm?.writes?.C1).toBe(0x8000);
		expect(kvm?.touches.C1).toBe(2 * 0x8000);
		expect(vfio?.touches.C1).toBe(0x8000);
		expect(vfio?.writes?.C1).toBe(0);
	});

	// A test of each format. Expect the write marked on kvm_try_get_pfn's C1 and on nothing of
	// is_invalid_reserved_pfn: text and ktap "of them writes", md "(through writes)", html a w mark
	// with its count, json and sarif a `writes` count (valid against their schemas), junit a
	// writes line.
	it('marks it in text, md, html, json, sarif, junit and ktap', async () => {
		const report = await audit();
		expect(renderReport(report, 'text')).toContain('C1: 65536 failing touches, 32768 of them writes');
		expect(renderReport(report, 'ktap')).toContain('C1: 65536 failing of 65536 touches, 32768 of them writes');
		const md = renderReport(report, 'md');
		expect(md).toContain('C1 65536 (through writes)');
		expect(md).toMatch(/\| `kvm_try_get_pfn` \|[^\n]*\*\*65536\*\* \(w\)/);
		expect(md).not.toMatch(/\| `is_invalid_reserved_pfn` \|[^\n]*\(w\)/);
		const html = renderReport(report, 'html');
		expect(html).toContain('title="65536 failing under --fail-on; 32768 of them writes">65536<sup class="write">w</sup></td>');
		const json = JSON.parse(renderReport(report, 'json')) as Json;
		expect(reportSchemaProblems(json)).toEqual([]);
		expect(json.walkers.map((w: Json) => w.writes.C1)).toEqual([32768, 0]);
		const sarif = JSON.parse(renderReport(report, 'sarif')) as Json;
		expect(sarifSchemaProblems(sarif)).toEqual([]);
		const results = sarif.runs[0].results as Json[];
		expect(results.find(r => r.properties.walker === 'kvm_try_get_pfn')?.properties.writes).toBe(32768);
		expect(results.find(r => r.properties.walker === 'is_invalid_reserved_pfn')?.properties.writes).toBe(0);
		expect(renderReport(report, 'junit')).toContain('writes ok=262144 C1=32768</system-out>');
	});

	// A test of the dashboard's rows. Expect the run store to carry the writes of a finished
	// walker, which the witnesses pane marks with w.
	it('reaches the dashboard rows', async () => {
		const report = await audit();
		const store = new RunStore();
		store.apply({type: 'done', report});
		const row = store.snapshot().rows.find(r => r.name === 'kvm_try_get_pfn');
		expect(row?.writes.C1).toBe(32768);
	});
});
