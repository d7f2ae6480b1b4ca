import {describe, expect, it} from 'vitest';
import {changesInEffect, changesIntroducedIn, KERNEL_CHANGES} from '../../source/kernel/changes.js';
import {KERNEL_VERSIONS, parseKernelVersion, v} from '../../source/kernel/version.js';
import {findPatch} from '../../source/model/patches.js';

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

	it('lists the rows in release order', () => {
		const codes = KERNEL_CHANGES.map(change => v(change.since).code);
		expect(codes).toEqual([...codes].sort((a, b) => a - b));
	});

	// Every row that names a backport names a registry backport that brings one of the row's commits,
	// and whose mainline release is the row's release.
	it('names real backports for the rows stable trees carry', () => {
		const rows = KERNEL_CHANGES.filter(change => change.backport);
		expect(rows.length).toBeGreaterThanOrEqual(10);
		for (const change of rows) {
			const patch = findPatch(change.backport!);
			expect(patch?.kind, change.backport).toBe('backport');
			const ids = change.commits.map(commit => commit.id);
			const companions = (patch!.companions ?? []).map(commit => commit.id);
			expect([patch!.commit!.id, ...companions].some(id => ids.includes(id)), change.what).toBe(true);
			if (ids.includes(patch!.commit!.id)) {
				expect(patch!.commit!.release).toBe(change.since);
			}
		}
	});

	it('gives the changes in effect at a version, per arch', () => {
		const at511 = changesInEffect(v('5.11'), 'x86_64').map(change => change.what);
		expect(at511.some(what => what.includes('zone 0 / node 0'))).toBe(true);
		expect(at511.some(what => what.includes('adjacent range'))).toBe(false);
		const at512 = changesInEffect(v('5.12'), 'x86_64').map(change => change.what);
		expect(at512.some(what => what.includes('zone 0 / node 0'))).toBe(false);
		expect(at512.some(what => what.includes('per-zone memmap init'))).toBe(true);
		const at514 = changesInEffect(v('5.14'), 'x86_64').map(change => change.what);
		expect(at514.some(what => what.includes('per-zone memmap init'))).toBe(false);
		expect(at514.some(what => what.includes('adjacent range'))).toBe(true);
		expect(changesInEffect(v('5.12'), 'x86_64').some(change => change.arches?.includes('arm64-4k'))).toBe(false);
		expect(changesIntroducedIn(v('5.16'), 'arm64-4k').map(change => change.commits[0]?.id)).toContain('a9c38c5d267c');
	});

	// The review's dating corrections: 907ec5fca3dc is v4.20, f165b378bbdf v4.17, the raw boot memmap
	// v4.15, x86's e820 hole zeroing v4.18-v4.19 only.
	it('dates the hole zeroing and the boot memmap poisoning by their merges', () => {
		const ids = (label: string, arch: 'x86_64' | 'arm64-4k' = 'x86_64') => changesIntroducedIn(v(label), arch).flatMap(change => change.commits.map(commit => commit.id));
		expect(ids('4.20')).toContain('907ec5fca3dc');
		expect(ids('4.19')).not.toContain('907ec5fca3dc');
		expect(ids('4.17')).toContain('f165b378bbdf');
		expect(ids('4.15')).toContain('f7f99100d8d9');
		expect(ids('4.18')).toContain('124049decbb1');
		expect(ids('4.18', 'arm64-4k')).not.toContain('124049decbb1');
		expect(changesInEffect(v('4.20'), 'x86_64').some(change => change.commits.some(commit => commit.id === '124049decbb1'))).toBe(false);
		expect(ids('6.8')).toEqual(expect.arrayContaining(['5ec8e8ea8b77', 'f6564fce256a']));
		expect(ids('6.10')).toContain('82f0b6f041fa');
	});
});
