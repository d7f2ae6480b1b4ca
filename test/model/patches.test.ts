import {describe, expect, it} from 'vitest';
import {KERNEL_VERSIONS, v} from '../../source/kernel/version.js';
import {backportInEffect, expandPatches, findPatch, LTS_SERIES, PATCHES, patchProblem} from '../../source/model/patches.js';

describe('the patch registry', () => {
	// A backport brings a mainline commit to the releases before it: its `versions` must end before
	// the commit's release, and every name it implies must exist.
	it('keeps every backport before its mainline release and every implied name real', () => {
		const names = new Set<string>();
		for (const patch of PATCHES) {
			expect(names.has(patch.name), patch.name).toBe(false);
			names.add(patch.name);
			if (patch.versions) {
				expect(KERNEL_VERSIONS).toContain(patch.versions.from);
				expect(KERNEL_VERSIONS).toContain(patch.versions.to);
				expect(v(patch.versions.from).code).toBeLessThanOrEqual(v(patch.versions.to).code);
			}

			if (patch.kind === 'backport') {
				expect(patch.name).toBe(`backport-${patch.commit!.id}`);
				expect(patch.commit!.id).toMatch(/^[\da-f]{12}$/);
				expect(v(patch.versions!.to).code, patch.name).toBeLessThan(v(patch.commit!.release).code);
			}

			for (const implied of patch.implies ?? []) {
				expect(findPatch(implied), `${patch.name} implies ${implied}`).toBeDefined();
			}
		}
	});

	it('has a preset for each stable tree the project reads, each for its own series', () => {
		for (const [name, series] of [
			['stable-5.10.262', '5.10'],
			['stable-5.15.y', '5.15'],
			['stable-6.1.176', '6.1'],
			['stable-6.12.117', '6.12'],
		] as const) {
			const preset = findPatch(name);
			expect(preset?.kind).toBe('preset');
			expect(preset?.versions).toEqual({from: series, to: series});
			expect(LTS_SERIES).toContain(series);
		}
	});

	// Expect the version rule: a backport at or past its mainline release, or a preset at another
	// series, is refused with the reason; the arch rule as before.
	it('refuses a patch outside its releases or arches', () => {
		const a431 = findPatch('backport-a431dbbc5405')!;
		expect(patchProblem(a431, 'x86_64', v('5.10'))).toBeUndefined();
		expect(patchProblem(a431, 'x86_64', v('5.18'))).toContain('has a431dbbc5405 by version');
		expect(patchProblem(findPatch('stable-5.10.262')!, 'x86_64', v('5.15'))).toContain('v5.10 only');
		expect(patchProblem(findPatch('backport-eeb0753ba27b')!, 'x86_64', v('5.10'))).toContain('not to arch x86_64');
		expect(patchProblem(findPatch('arm64-pfn-valid-v2')!, 'arm64-4k', v('6.18'))).toBeUndefined();
	});

	// Expect a preset to bring only the backports that apply to the arch: stable-5.10.262 on x86
	// without the arm64 pfn_valid() and max_pfn backports, on arm64 with them; the implied
	// 0740a50b9baa of 122e093c1734 comes along once.
	it('expands a preset into the backports that apply to the arch', () => {
		const x86 = expandPatches(['stable-5.10.262'], 'x86_64', v('5.10'));
		expect(x86[0]).toBe('stable-5.10.262');
		expect(x86).toEqual(expect.arrayContaining(['backport-a431dbbc5405', 'backport-0740a50b9baa', 'backport-122e093c1734', 'backport-34dc45be4563']));
		expect(x86).not.toContain('backport-eeb0753ba27b');
		expect(x86).not.toContain('backport-8fac67ca236b');
		expect(new Set(x86).size).toBe(x86.length);
		const arm = expandPatches(['stable-5.10.262'], 'arm64-4k', v('5.10'));
		expect(arm).toEqual(expect.arrayContaining(['backport-eeb0753ba27b', 'backport-8fac67ca236b']));
		expect(expandPatches(['backport-122e093c1734'], 'x86_64', v('5.10'))).toEqual(['backport-122e093c1734', 'backport-0740a50b9baa']);
		// At v5.12 the implied commit is mainline already: not listed.
		expect(expandPatches(['backport-122e093c1734'], 'x86_64', v('5.12'))).toEqual(['backport-122e093c1734']);
	});

	it('answers whether a backport is in effect: by version or by patch', () => {
		expect(backportInEffect(v('5.17'), [], 'backport-a431dbbc5405')).toBe(false);
		expect(backportInEffect(v('5.17'), ['backport-a431dbbc5405'], 'backport-a431dbbc5405')).toBe(true);
		expect(backportInEffect(v('5.18'), new Set<string>(), 'backport-a431dbbc5405')).toBe(true);
		expect(() => backportInEffect(v('5.18'), [], 'stable-5.10.262')).toThrow(/not a backport/);
	});
});
