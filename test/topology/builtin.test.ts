/**
The built-in topologies: every file loads without errors, describes itself, and together they
cover the layouts the project promises (showcase, holes, hotplug states, fsdax/devdax with and
without altmap, collision, partial sections, device-private at the top, NOMAP, the memremap race,
teardown, a 64 TiB machine, non-x86 arches).
*/
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {SHOWCASE_TOPOLOGY, TOPOLOGIES_DIR} from '../../source/paths.js';
import {listBuiltinTopologies, topologyFiles} from '../../source/topology/builtin.js';
import {parseTopology} from '../../source/topology/load.js';
import type {DeviceEntry, Topology} from '../../source/topology/types.js';

const files = topologyFiles();
const topologies: Topology[] = files.map(file => parseTopology(readFileSync(file, 'utf8'), file));
const SECTION_128M = 2 ** 27;

function devices(t: Topology): DeviceEntry[] {
	return t.memory.filter((entry): entry is DeviceEntry => entry.kind === 'device');
}

function some(predicate: (t: Topology) => boolean): string[] {
	return topologies.filter(predicate).map(t => t.name);
}

describe('every built-in topology', () => {
	test('there are at least ten plus the showcase, and showcase.yaml is the default', () => {
		expect(files.length).toBeGreaterThanOrEqual(11);
		expect(files).toContain(SHOWCASE_TOPOLOGY);
		expect(path.dirname(SHOWCASE_TOPOLOGY)).toBe(TOPOLOGIES_DIR);
	});

	test.each(files.map(file => [path.basename(file), file]))('%s loads, is named after its file and says what to look for', (_base, file) => {
		const t = parseTopology(readFileSync(file, 'utf8'), file);
		expect(t.name).toBe(path.basename(file).replace(/\.(ya?ml|json)$/, ''));
		expect(t.description.length).toBeGreaterThan(200);
		expect(t.description).toContain('Look for');
		// Every warning has a position inside the file.
		const lines = readFileSync(file, 'utf8').split('\n').length;
		for (const warning of t.warnings) {
			expect(warning.pos.line).toBeGreaterThan(0);
			expect(warning.pos.line).toBeLessThanOrEqual(lines);
		}
	});

	test('listBuiltinTopologies() returns name, file and description of each file', () => {
		const list = listBuiltinTopologies();
		expect(list.map(entry => entry.file)).toEqual(files);
		const showcase = list.find(entry => entry.name === 'showcase');
		expect(showcase?.file).toBe(SHOWCASE_TOPOLOGY);
		expect(showcase?.description).toContain('every category');
	});
});

describe('the layouts the built-ins must cover', () => {
	test('the showcase has every ingredient of the SPEC §5 categories', () => {
		const showcase = topologies.find(t => t.name === 'showcase')!;
		expect(showcase.arch.startsWith('arm64')).toBe(true);
		expect(showcase.patches).toContain('arm64-pfn-valid-v2');
		const states = devices(showcase).map(d => d.state);
		expect(states).toEqual(expect.arrayContaining(['ready', 'initializing', 'teardown']));
		expect(showcase.memory.some(e => e.kind === 'hotplug' && e.state === 'offline')).toBe(true);
		expect(showcase.memory.some(e => e.kind === 'boot' && e.nomap.length > 0)).toBe(true);
		expect(devices(showcase).some(d => d.altmap && d.altmap.reserve > 0)).toBe(true);
		expect(showcase.warnings.map(w => w.message).join('\n')).toMatch(/with boot memory[\s\S]*covers only part/);
	});

	test('boot RAM with holes and a partially populated last section', () => {
		expect(some(t => {
			const boots = t.memory.filter(e => e.kind === 'boot');
			const last = boots.at(-1);
			return boots.length >= 3 && last !== undefined && last.end % SECTION_128M !== 0 && t.memory.every(e => e.kind === 'boot');
		})).not.toEqual([]);
	});

	test('hot-added memory offline and offlined', () => {
		expect(some(t => t.memory.some(e => e.kind === 'hotplug' && e.state === 'offline') && t.memory.some(e => e.kind === 'hotplug' && e.state === 'offlined')).length).toBeGreaterThanOrEqual(2);
	});

	test('fsdax and devdax, each with and without altmap', () => {
		for (const type of ['fsdax', 'devdax'] as const) {
			expect(some(t => devices(t).some(d => d.type === type && d.altmap !== undefined))).not.toEqual([]);
			expect(some(t => devices(t).some(d => d.type === type && d.altmap === undefined))).not.toEqual([]);
		}
	});

	test('a namespace sharing a section with boot RAM, and partial sections at both ends of a device', () => {
		expect(some(t => t.kernel === '5.3' && t.warnings.some(w => w.message.includes('with boot memory')))).not.toEqual([]);
		expect(some(t => devices(t).some(d => t.warnings.filter(w => w.message.startsWith(`memory[${d.index}]`) && w.message.includes('covers only part')).length === 2))).toEqual(['pmem-partial-sections']);
	});

	test('device-private at the top of the physical address space', () => {
		expect(some(t => devices(t).some(d => d.type === 'private' && d.end === 2 ** t.config.max_physmem_bits)).length).toBeGreaterThanOrEqual(2);
	});

	test('arm64 with NOMAP, the memremap race, teardown', () => {
		expect(some(t => t.arch.startsWith('arm64') && t.memory.some(e => e.kind === 'boot' && e.nomap.length > 0))).toEqual(expect.arrayContaining(['arm64-nomap']));
		expect(some(t => devices(t).some(d => d.state === 'initializing'))).toEqual(expect.arrayContaining(['cxl-dax-race']));
		expect(some(t => devices(t).some(d => d.state === 'teardown'))).toEqual(expect.arrayContaining(['cxl-region-teardown']));
	});

	test('a 64 TiB machine', () => {
		const big = topologies.find(t => t.name === 'x86-64tib-5level')!;
		const ram = big.memory.filter(e => e.kind === 'boot').reduce((sum, e) => sum + e.end - e.start, 0);
		expect(ram).toBeGreaterThan(63 * 2 ** 40);
		expect(ram).toBeLessThanOrEqual(64 * 2 ** 40);
		expect(big.config.max_physmem_bits).toBe(52);
		expect(big.config.memory_block_size).toBe(2 ** 31);
	});

	test('arches beyond x86_64 and arm64', () => {
		expect(new Set(topologies.map(t => t.arch))).toEqual(new Set(['x86_64', 'arm64-4k', 'arm64-16k', 'ppc64-64k', 'riscv64', 's390x']));
	});
});
