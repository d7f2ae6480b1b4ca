import {describe, expect, it} from 'vitest';
import {v} from '../../source/kernel/version.js';
import {pageblockChecksStartPfnValid} from '../../source/model/contiguous.js';
import {explainPfn} from '../../source/model/explain.js';
import {modelNotes} from '../../source/model/notes.js';
import {buildAt} from '../helpers/model-probe.js';
import {GiB, topology} from '../helpers/topology.js';

describe('model notes', () => {
	// Expect a 5.10 model without a stable preset to say so and name stable-5.10.262; none with the
	// preset; none for a release that is not a long-term series.
	it('names the stable preset of an LTS series modelled as mainline', () => {
		const t = topology({kernel: '5.10'}).boot(0, 4 * GiB).build();
		const [note] = buildAt(t, '5.10').notes ?? [];
		expect(note).toContain('v5.10 is a long-term stable series');
		expect(note).toContain('--patch stable-5.10.262');
		expect(buildAt({...t, patches: ['stable-5.10.262']}, '5.10').notes).toEqual([]);
		expect(buildAt(t, '5.11').notes).toEqual([]);
		expect(modelNotes(v('6.12'), 'x86_64', [])[0]).toContain('stable-6.12.117');
		expect(modelNotes(v('5.15'), 'arm64-4k', [])[0]).toContain('stable-5.15.y');
	});

	// Expect an LTS series without a preset (5.4, 6.6) to list the backports that apply, minus those
	// already applied.
	it('lists the applicable backports when no preset models the series', () => {
		const [v54] = modelNotes(v('5.4'), 'arm64-4k', []);
		expect(v54).toContain('no stable-* preset models 5.4.y');
		expect(v54).toContain('backport-a431dbbc5405');
		expect(v54).toContain('backport-eeb0753ba27b');
		expect(v54).not.toContain('backport-3de360c3fdb3');
		const [v66] = modelNotes(v('6.6'), 'x86_64', ['backport-7170130e4c72']);
		expect(v66).toContain('backport-5ec8e8ea8b77');
		expect(v66).not.toContain('backport-7170130e4c72');
	});

	it('states the old arm64 assumptions', () => {
		expect(modelNotes(v('4.18'), 'arm64-4k', []).join('\n')).toContain('CONFIG_HOLES_IN_ZONE is assumed on');
		expect(modelNotes(v('4.19'), 'arm64-4k', []).join('\n')).not.toContain('HOLES_IN_ZONE');
		expect(modelNotes(v('4.18'), 'x86_64', [])).toEqual([]);
	});

	// Expect explain to carry the model notes first.
	it('puts the model notes into explain', () => {
		const model = buildAt(topology({kernel: '6.1'}).boot(0, 4 * GiB).build(), '6.1');
		const result = explainPfn(model, 0x1000);
		expect(result.notes[0]).toContain('stable-6.1.176');
	});
});

describe('__pageblock_pfn_to_page() pfn_valid(start)', () => {
	// One helper for the model and walkers/set_zone_contiguous.ts: the test is gone from v6.5.
	it('tests pfn_valid(start) up to v6.4', () => {
		expect(pageblockChecksStartPfnValid(v('6.4'))).toBe(true);
		expect(pageblockChecksStartPfnValid(v('6.5'))).toBe(false);
	});
});
