/**
A walker that destructures its StepContext (`const {pfn_valid} = ctx`) used to be reported as
"threw: Cannot read properties of undefined (reading 'lookup')". The methods deliberately live on
the prototype (source/engine/context.ts), so the engine names the rule instead: the walker broke
the contract (malformed), exit 2 for a user walker (issue 12 item 12).
*/
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {createAuditCommand} from '../../source/cli/commands/audit.js';
import {runAudit} from '../../source/engine/audit.js';
import {createStepContext} from '../../source/engine/context.js';
import {DETACHED_CONTEXT_RULE, isDetachedContextCall} from '../../source/engine/evaluate.js';
import {buildModel} from '../../source/model/build.js';
import {selectWalkers} from '../../source/walker/select.js';
import {runCli} from '../cli/harness.js';
import {GiB, topology} from '../helpers/topology.js';

const walkerFile = path.join(import.meta.dirname, 'fixtures', 'destructures_walker.ts');

//   | boot RAM 1 GiB |
//   0x0           0x40000
const t = topology({arch: 'x86_64', kernel: '6.12', config: {max_physmem_bits: 36}}).boot(0, GiB).build();

describe('a StepContext method called without ctx', () => {
	// A test that calls every method of the real context detached. Expect each to throw what the
	// engine recognises: the field list in evaluate.ts covers every method.
	it('is recognised for every method of the context', () => {
		const ctx = createStepContext(buildModel(t)) as unknown as Record<string, unknown>;
		const prototype = Object.getPrototypeOf(ctx) as object;
		const methods = Object.getOwnPropertyNames(prototype).filter(name => name !== 'constructor' && typeof Object.getOwnPropertyDescriptor(prototype, name)?.value === 'function');
		expect(methods).toEqual(expect.arrayContaining(['pfn_valid', 'pfn_to_online_page', 'get_dev_pagemap', 'page', 'page_zone', 'pfn_to_nid', 'stop']));
		const userFacing = ['pfn_valid', 'pfn_valid_within', 'pfn_to_online_page', 'get_dev_pagemap', 'pgmap_pfn_valid', 'present_section', 'valid_section', 'online_section', 'early_section', 'pfn_in_present_section', 'pfn_zone_device', 'pfn_zone_device_reserved', 'page', 'page_zone', 'pfn_to_nid', 'stop'];
		for (const name of userFacing.filter(method => methods.includes(method))) {
			const detached = ctx[name] as (...args: unknown[]) => unknown;
			let thrown: unknown;
			try {
				detached(0x100, ['flags'], 'test');
			} catch (error) {
				thrown = error;
			}

			expect(isDetachedContextCall(thrown), `${name}: ${String(thrown)}`).toBe(true);
		}

		expect(isDetachedContextCall(new TypeError("Cannot read properties of undefined (reading 'mapping')"))).toBe(false);
	});

	it('makes the walker malformed with the rule, not a TypeError', async () => {
		const walkers = await selectWalkers([walkerFile], process.cwd());
		const report = await runAudit({topology: t, walkers, runner: 'in-process'});
		const [walker] = report.walkers;
		expect(walker?.status).toBe('malformed');
		expect(walker?.error).toBe(`destructures_walker while stepping pfn 0x0 in pass "[0, 0x100)": ${DETACHED_CONTEXT_RULE}`);
		expect(walker?.error).not.toContain('lookup');
	});

	it('exits 2 from the command line, with the rule on stderr', async () => {
		const showcase = path.resolve('topologies/showcase.yaml');
		const result = await runCli(['audit', showcase, '--walker', walkerFile, '--format', 'json'], {cwd: process.cwd(), commands: [createAuditCommand({audit: {runner: 'in-process'}})]});
		expect(result.code).toBe(2);
		expect(result.stderr).toContain('called a StepContext method without ctx');
		expect(result.stderr).not.toContain('reading');
	});
});
