import {PassThrough} from 'node:stream';
import {describe, expect, it} from 'vitest';
import type {Io} from '../../source/cli/command.js';
import {main} from '../../source/cli/main.js';
import {BUILTIN_WALKERS} from '../../walkers/index.js';

function capture(): {io: Io; out: () => string; err: () => string} {
	let out = '';
	let err = '';
	const stdout = new PassThrough();
	const stderr = new PassThrough();
	stdout.on('data', chunk => {
		out += String(chunk);
	});
	stderr.on('data', chunk => {
		err += String(chunk);
	});
	return {io: {stdout, stderr, stdin: new PassThrough(), env: {}, cwd: process.cwd()}, out: () => out, err: () => err};
}

describe('pfnaudit list', () => {
	it('lists every built-in walker with the guard in effect at a version', async () => {
		const {io, out} = capture();
		expect(await main(['list', 'walkers', '--kernel', '5.3', '--format', 'json'], io)).toBe(0);
		const walkers = JSON.parse(out()) as Array<{name: string; guard: string}>;
		expect(walkers.map(w => w.name)).toEqual(BUILTIN_WALKERS.map(w => w.name));
		// fs/proc/page.c switched to pfn_to_online_page() in v5.4 (aad5f69bc161).
		expect(walkers.find(w => w.name === 'kpageflags_read')?.guard).toMatch(/^pfn_valid/);
		const {io: io2, out: out2} = capture();
		await main(['list', 'walkers', '--kernel', '5.4', '--format', 'json'], io2);
		expect((JSON.parse(out2()) as typeof walkers).find(w => w.name === 'kpageflags_read')?.guard).toMatch(/pfn_to_online_page/);
	});

	it('lists every built-in topology with its description, and the showcase', async () => {
		const {io, out} = capture();
		expect(await main(['list', 'topologies', '--format', 'json'], io)).toBe(0);
		const topologies = JSON.parse(out()) as Array<{name: string; description: string}>;
		expect(topologies.length).toBeGreaterThanOrEqual(11);
		expect(topologies.map(t => t.name)).toContain('showcase');
		expect(topologies.every(t => t.description.length > 40)).toBe(true);
	});

	it('lists kernels with the v5.12 pfn_to_online_page() rework, within 80 columns', async () => {
		const {io, out} = capture();
		expect(await main(['list', 'kernels'], io)).toBe(0);
		const text = out();
		const v512 = text.slice(text.indexOf('\nv5.12\n'), text.indexOf('\nv5.13\n'));
		expect(v512).toContain('pfn_to_online_page');
		expect(text.split('\n').every(line => line.length <= 80)).toBe(true);
	});

	it('lists the arm64-pfn-valid-v2 patch', async () => {
		const {io, out} = capture();
		expect(await main(['list', 'patches'], io)).toBe(0);
		expect(out()).toContain('arm64-pfn-valid-v2');
	});

	it('rejects an unknown version and an unknown list with exit 2 and one sentence', async () => {
		const bad = capture();
		expect(await main(['list', 'walkers', '--kernel', '4.2'], bad.io)).toBe(2);
		expect(bad.err()).toMatch(/^pfnaudit: --kernel 4\.2 is not a modelled mainline release/);
		const unknown = capture();
		expect(await main(['list', 'bogus'], unknown.io)).toBe(2);
		expect(unknown.err()).toBe('pfnaudit: bogus is not one of walkers, topologies, kernels or patches\n');
	});
});
