import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it, vi} from 'vitest';
import type {AuditReport} from '../../source/engine/types.js';
import {isInputError} from '../../source/errors/input-error.js';
import {createDashboardPort, listBuiltinTopologies} from '../../source/ui/real-port.js';
import {showcaseMeta} from './helpers/fixtures.js';

const report: AuditReport = {...showcaseMeta('6.12'), walkers: [], verdict: 'pass', elapsed_ms: 1, pfns_per_second: 1};

describe('the real port', () => {
	it('lists built-in topologies by name, description, arch and kernel, skipping broken files', () => {
		const directory = mkdtempSync(path.join(tmpdir(), 'pfnaudit-topologies-'));
		writeFileSync(path.join(directory, 'b.yaml'), 'name: b-topology\ndescription: >\n  Two words.\narch: arm64-4k\nkernel: "5.10"\n');
		writeFileSync(path.join(directory, 'a.json'), '{"name": "a-topology", "arch": "x86_64", "kernel": "6.12"}');
		writeFileSync(path.join(directory, 'broken.yaml'), 'name: [unclosed\n');
		writeFileSync(path.join(directory, 'notes.txt'), 'not a topology');
		expect(listBuiltinTopologies(directory)).toEqual([
			{name: 'a-topology', file: path.join(directory, 'a.json'), description: '', arch: 'x86_64', kernel: '6.12'},
			{name: 'b-topology', file: path.join(directory, 'b.yaml'), description: 'Two words.', arch: 'arm64-4k', kernel: '5.10'},
		]);
	});

	it('passes audits and explain to the engine, and exports through the report renderers', async () => {
		const cwd = mkdtempSync(path.join(tmpdir(), 'pfnaudit-port-'));
		const engine = {startAudit: vi.fn(), explain: vi.fn(async () => ['pfn 0x0'])};
		const port = createDashboardPort(engine, cwd);
		expect(await port.explain({topologyFile: 't.yaml', kernel: '6.12', patches: [], pfn: 0})).toEqual(['pfn 0x0']);
		expect(port.kernels.at(-1)).toBe('6.18');
		expect(port.patches.map(patch => patch.name)).toContain('arm64-pfn-valid-v2');

		expect(port.fileExists('r.json')).toBe(false);
		expect(await port.exportReport(report, 'json', 'r.json', {overwrite: false})).toBe(path.join(cwd, 'r.json'));
		expect(JSON.parse(readFileSync(path.join(cwd, 'r.json'), 'utf8'))).toMatchObject({schema: 'pfnaudit-report/1', verdict: 'pass'});
		expect(port.fileExists('r.json')).toBe(true);
		writeFileSync(path.join(cwd, 'r.json'), 'mine');
		const refused = await port.exportReport(report, 'json', 'r.json', {overwrite: false}).catch((error: unknown) => error);
		expect(isInputError(refused)).toBe(true);
		expect(readFileSync(path.join(cwd, 'r.json'), 'utf8')).toBe('mine');
		await port.exportReport(report, 'json', 'r.json', {overwrite: true});
		expect(readFileSync(path.join(cwd, 'r.json'), 'utf8')).toContain('pfnaudit-report/1');
	});
});
