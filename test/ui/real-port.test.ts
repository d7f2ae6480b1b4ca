import {mkdtempSync, readFileSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {describe, expect, it, vi} from 'vitest';
import type {AuditReport} from '../../source/engine/types.js';
import {isInputError} from '../../source/errors/input-error.js';
import {createDashboardPort} from '../../source/ui/real-port.js';
import {showcaseMeta} from './helpers/fixtures.js';

const report: AuditReport = {...showcaseMeta('6.12'), walkers: [], verdict: 'pass', elapsed_ms: 1, pfns_per_second: 1};

describe('the real port', () => {
	it('passes audits, checks, topologies and explain to the engine, and exports through the report renderers', async () => {
		const cwd = mkdtempSync(path.join(tmpdir(), 'pfnaudit-port-'));
		const engine = {
			startAudit: vi.fn(),
			explain: vi.fn(async () => ['pfn 0x0']),
			listTopologies: vi.fn(async () => [{name: 't', file: '/t.yaml', description: ''}]),
			prepare: vi.fn(async () => undefined),
		};
		const port = createDashboardPort(engine, cwd);
		expect(await port.explain({topologyFile: 't.yaml', kernel: '6.12', patches: [], pfn: 0})).toEqual(['pfn 0x0']);
		expect(await port.listTopologies()).toEqual([{name: 't', file: '/t.yaml', description: ''}]);
		await port.check!({topologyFile: 't.yaml', patches: []});
		expect(engine.prepare).toHaveBeenCalledWith({topologyFile: 't.yaml', patches: []});
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

	it('has no check when the engine cannot prepare a request', () => {
		const port = createDashboardPort({startAudit: vi.fn(), explain: vi.fn(), listTopologies: vi.fn()}, '/');
		expect(port.check).toBeUndefined();
	});
});
