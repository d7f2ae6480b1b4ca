import {describe, expect, it} from 'vitest';
import {changesInEffect, changesIntroducedIn, KERNEL_CHANGES} from '../../source/kernel/changes.js';
import {KERNEL_VERSIONS, parseKernelVersion, v} from '../../source/kernel/version.js';

describe('kernel change table', () => {
	it('keys every change by a modelled release with a source and at least one commit', () => {
		for (const change of KERNEL_CHANGES) {
			expect(KERNEL_VERSIONS).toContain(change.since);
			expect(parseKernelVersion(change.until ?? change.since)).toBeDefined();
			expect(change.source.length).toBeGreaterThan(0);
			expect(change.commits.length).toBeGreaterThan(0);
			for (const commit of change.commits) {
				if (commit.id) {
					expect(commit.id).toMatch(/^[\da-f]{12}$/);
				}
			}
		}
	});

	it('gives the changes in effect at a version, per arch', () => {
		const at511 = changesInEffect(v('5.11'), 'x86_64').map(change => change.what);
		expect(at511.some(what => what.includes('zone 0 / node 0'))).toBe(true);
		expect(at511.some(what => what.includes('adjacent range'))).toBe(false);
		const at512 = changesInEffect(v('5.12'), 'x86_64').map(change => change.what);
		expect(at512.some(what => what.includes('zone 0 / node 0'))).toBe(false);
		expect(at512.some(what => what.includes('adjacent range'))).toBe(true);
		expect(changesInEffect(v('5.12'), 'x86_64').some(change => change.arches?.includes('arm64-4k'))).toBe(false);
		expect(changesIntroducedIn(v('5.16'), 'arm64-4k').map(change => change.commits[0]?.id)).toContain('a9c38c5d267c');
	});
});
