import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {PassThrough} from 'node:stream';
import {beforeEach, describe, expect, it, vi} from 'vitest';
import type {Io} from '../../source/cli/command.js';
import {GiB, MiB, topology} from '../helpers/topology.js';

// parseTopology() is built by another slice: the command is tested against its signature.
const parseTopology = vi.fn();
vi.mock('../../source/topology/load.js', () => ({parseTopology: (...args: unknown[]) => parseTopology(...args)}));

const {main} = await import('../../source/cli/main.js');
const {parseNumberArgument} = await import('../../source/cli/commands/explain-run.js');

function io(cwd: string): Io & {out: () => string; err: () => string} {
	const stdout = new PassThrough();
	const stderr = new PassThrough();
	let out = '';
	let err = '';
	stdout.on('data', chunk => (out += String(chunk)));
	stderr.on('data', chunk => (err += String(chunk)));
	return {stdout, stderr, stdin: new PassThrough(), env: {}, cwd, out: () => out, err: () => err};
}

const dir = mkdtempSync(path.join(tmpdir(), 'pfnaudit-explain-'));
writeFileSync(path.join(dir, 'x.yaml'), 'name: x\n');

describe('pfnaudit explain', () => {
	beforeEach(() => {
		parseTopology.mockReset();
		parseTopology.mockImplementation((_text: string, file: string, options: {kernel?: string; patches?: string[]}) => ({
			...topology({kernel: options.kernel ?? '6.12', name: 'x'})
				.boot(0, 4 * GiB - 64 * MiB)
				.device('fsdax', 4 * GiB - 64 * MiB, 64 * MiB, {altmap: {reserve: 2, free: 'auto'}})
				.build(),
			file,
		}));
	});

	it('prints one JSON object for a pfn given in hex with separators', async () => {
		const t = io(dir);
		const code = await main(['explain', 'x.yaml', '0xf_c000', '--format', 'json', '--kernel', '5.11'], t);
		expect(code).toBe(0);
		expect(parseTopology).toHaveBeenCalledWith('name: x\n', 'x.yaml', {kernel: '5.11', patches: []});
		const result = JSON.parse(t.out()) as {pfn: string; category: string; kernel: string; predicates: {pfn_to_online_page: boolean}};
		expect(result).toMatchObject({pfn: '0xfc000', category: 'C5', kernel: '5.11', predicates: {pfn_to_online_page: true}});
	});

	// A test of --patch given as audit takes it: before the positionals, repeated, and as a
	// comma-separated list. Expect the topology loaded with the same patch list each time (with
	// `array: true` the first form swallowed the topology and the pfn as patch names).
	it('reads --patch as audit does: repeated or comma-separated, anywhere on the line', async () => {
		for (const argv of [
			['explain', '--patch', 'backport-a431dbbc5405', 'x.yaml', '0x10', '--patch', 'stable-6.12.117'],
			['explain', 'x.yaml', '0x10', '--patch', 'backport-a431dbbc5405, stable-6.12.117'],
		]) {
			parseTopology.mockClear();
			const t = io(dir);
			expect(await main(argv, t)).toBe(0);
			expect(parseTopology).toHaveBeenCalledWith('name: x\n', 'x.yaml', {patches: ['backport-a431dbbc5405', 'stable-6.12.117']});
		}
	});

	it('takes a physical address with --address and a phase with --phase', async () => {
		const t = io(dir);
		expect(await main(['explain', 'x.yaml', '0xfd000000', '--address', '--phase', 'memory[1]:P5', '--format', 'json'], t)).toBe(0);
		expect(JSON.parse(t.out())).toMatchObject({pfn: '0xfd000', category: 'C4', phase: 'memory[1]:P5'});
	});

	// A test of issue 12 item 16: topology files accept `4G`, `explain --address 4G` refused it.
	// Expect the topology number syntax for an address (4G = 0x1_0000_0000 = pfn 0x100000), and a
	// sentence pointing at --address for a pfn written as a size.
	it('reads an address in the number syntax of topology files', async () => {
		expect(parseNumberArgument('4G', 'address')).toBe(4 * 2 ** 30);
		expect(parseNumberArgument('0xfd00_0000', 'address')).toBe(0xfd00_0000);
		expect(() => parseNumberArgument('4G', 'pfn')).toThrow('pfn 4G: a K, M, G, T or P suffix is a size in bytes, not a pfn count; give the pfn in decimal or 0x hex, or use --address 4G for the pfn at that physical address');
		const t = io(dir);
		expect(await main(['explain', 'x.yaml', '4G', '--address', '--format', 'json'], t)).toBe(0);
		expect(JSON.parse(t.out())).toMatchObject({pfn: '0x100000'});
	});

	it('prints the text block by default', async () => {
		const t = io(dir);
		expect(await main(['explain', 'x.yaml', '1032192'], t)).toBe(0);
		expect(t.out()).toContain('C5: ZONE_DEVICE altmap reserve');
	});

	it('exits 2 with one sentence for a bad pfn, a bad phase and a missing file', async () => {
		for (const argv of [
			['explain', 'x.yaml', '0xzz'],
			['explain', 'x.yaml', '0x10', '--phase', 'nope'],
			['explain', 'missing.yaml', '0x10'],
			['explain', 'x.yaml', String(2 ** 60)],
		]) {
			const t = io(dir);
			expect(await main(argv, t)).toBe(2);
			expect(t.err().trim().split('\n')).toHaveLength(1);
			expect(t.err()).not.toContain('    at ');
		}
	});

	// A test that gives explain a missing file and a directory. Expect the sentences audit prints
	// (headless.ts readTopology(), which both commands share), naming the path as typed.
	it('reports an unreadable topology path as audit does', async () => {
		const missing = io(dir);
		expect(await main(['explain', 'missing.yaml', '0x10'], missing)).toBe(2);
		expect(missing.err()).toBe("pfnaudit: missing.yaml: cannot read the topology file (ENOENT); check the path, or run 'pfnaudit list topologies'\n");
		const directory = io(dir);
		expect(await main(['explain', '.', '0x10'], directory)).toBe(2);
		expect(directory.err()).toBe('pfnaudit: .: the topology path is a directory with no capture file in it; give a .yaml or .json topology file, or a capture directory (proc/iomem, dmesg.txt, … — docs/capture-format.md)\n');
	});

	it('parses decimal and 0x hex with underscores, rejecting anything else', () => {
		expect(parseNumberArgument('0x24_0000', 'pfn')).toBe(0x24_0000);
		expect(parseNumberArgument('2_359_296', 'pfn')).toBe(2_359_296);
		expect(() => parseNumberArgument('0x', 'pfn')).toThrow(/not a number/);
		expect(() => parseNumberArgument('12k', 'pfn')).toThrow(/lower-case suffix/);
		expect(() => parseNumberArgument('-1', 'pfn')).toThrow(/negative/);
		expect(() => parseNumberArgument('0x20000000000000', 'pfn')).toThrow(/2\^53/);
	});
});
