import {PassThrough} from 'node:stream';
import {describe, expect, it} from 'vitest';
import type {Io} from '../../source/cli/command.js';
import {main} from '../../source/cli/main.js';
import type {PatchInfo} from '../../source/model/patches.js';

function capture(): {io: Io; out: () => string} {
	let out = '';
	const stdout = new PassThrough();
	stdout.on('data', chunk => {
		out += String(chunk);
	});
	return {io: {stdout, stderr: new PassThrough(), stdin: new PassThrough(), env: {}, cwd: process.cwd()}, out: () => out};
}

describe('pfnaudit list patches', () => {
	// Expect the text grouped by kind (what-if, backports, stable trees), each backport with its
	// mainline commit and the releases it applies to, each preset with what it implies; 80 columns.
	it('prints what-ifs, backports and stable presets with where they apply', async () => {
		const {io, out} = capture();
		expect(await main(['list', 'patches'], io)).toBe(0);
		const text = out();
		const whatIf = text.indexOf('What-if patches');
		const backports = text.indexOf('Stable backports');
		const trees = text.indexOf('Stable trees');
		expect(whatIf).toBeGreaterThanOrEqual(0);
		expect(backports).toBeGreaterThan(whatIf);
		expect(trees).toBeGreaterThan(backports);
		expect(text).toContain('backport-a431dbbc5405 [v4.13-v5.17; all arches]');
		expect(text).toContain('(mainline v5.18)');
		expect(text).toContain('stable-5.10.262 [v5.10; all arches]');
		expect(text).toContain('applies in: walker:unpoison_memory');
		expect(text.slice(trees)).toContain('implies: backport-a431dbbc5405');
		expect(text.split('\n').every(line => line.length <= 80)).toBe(true);
	});

	// Expect --kernel 6.12 to keep only what applies there: no 5.x backport, the 6.12 preset.
	it('keeps the patches that apply at --kernel, in JSON with the new fields', async () => {
		const {io, out} = capture();
		expect(await main(['list', 'patches', '--kernel', '6.12', '--format', 'json'], io)).toBe(0);
		const patches = JSON.parse(out()) as PatchInfo[];
		const names = patches.map(patch => patch.name);
		expect(names).toContain('stable-6.12.117');
		expect(names).toContain('backport-7170130e4c72');
		expect(names).not.toContain('backport-a431dbbc5405');
		expect(names).not.toContain('stable-5.10.262');
		const backport = patches.find(patch => patch.name === 'backport-7170130e4c72')!;
		expect(backport).toMatchObject({kind: 'backport', commit: {id: '7170130e4c72', release: '6.15'}, versions: {from: '6.1', to: '6.14'}, arches: ['x86_64']});
	});
});
