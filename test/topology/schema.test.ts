/**
Rejections by shape (syntax, keys, types, size xor end, names), each at an exact file:line:column,
in YAML and, for a few, in JSON.
*/
import {describe, expect, test} from 'vitest';
import {boot, expectRejected, inputError, parse, yaml} from './helpers.js';

const BOOT = boot('0', '4G');

describe('YAML and JSON syntax', () => {
	test('a duplicate top-level key is rejected at the second occurrence', () => {
		expectRejected('name: a\narch: x86_64\nname: b\n', 't.yaml:3:1', ['duplicate key "name"']);
	});

	test('a duplicate key inside a memory entry is rejected at the second occurrence', () => {
		const text = yaml({entries: [...BOOT, '    size: 8G']});
		expectRejected(text, 't.yaml:8:5', ['duplicate key "size"']);
	});

	test('a duplicate key in JSON is rejected at its line and column', () => {
		const json = '{\n  "name": "t",\n  "arch": "x86_64",\n  "arch": "arm64-4k"\n}\n';
		expectRejected(json, 't.json:4:3', ['duplicate key "arch"'], {}, 't.json');
	});

	test('an unclosed flow sequence is a syntax error with a position', () => {
		const error = inputError('name: t\npatches: [a, b\n');
		expect(error.message).toContain('syntax error');
		expect(error.location?.line).toBeGreaterThanOrEqual(2);
	});

	test('two YAML documents in one file are rejected', () => {
		expectRejected('name: a\n---\nname: b\n', 't.yaml:2:1', ['more than one YAML document']);
	});

	test('a YAML tag is rejected', () => {
		const text = yaml({entries: ['  - kind: boot', '    start: !!binary 0', '    size: 4G']});
		expectRejected(text, 't.yaml:6:12', ['the tag !!binary is not allowed', 'remove it']);
	});

	test('an empty file and a top-level list are not topologies', () => {
		expectRejected('', 't.yaml:1:1', ['must be a mapping with name, arch, kernel and memory']);
		expectRejected('- a\n- b\n', 't.yaml:1:1', ['must be a mapping']);
	});
});

describe('unknown keys at every level', () => {
	test('top level, with a suggestion', () => {
		const text = yaml({extra: ['descripton: a typo'], entries: BOOT});
		expectRejected(text, 't.yaml:4:1', ['unknown key "descripton"', 'did you mean description?', 'name, description, arch, kernel, config, patches, memory']);
	});

	test('in config', () => {
		const text = yaml({config: ['debugvm: false'], entries: BOOT});
		expectRejected(text, 't.yaml:5:3', ['unknown key "debugvm" in config', 'did you mean debug_vm?']);
	});

	test('in a boot entry, listing the keys a boot entry has', () => {
		const text = yaml({entries: [...BOOT, '    type: fsdax']});
		expectRejected(text, 't.yaml:8:5', ['unknown key "type" in memory[0]', 'kind, start, size, end, node, nomap']);
	});

	test('in a hotplug entry and a device entry', () => {
		const hot = yaml({entries: [...BOOT, '  - kind: hotplug', '    start: 4G', '    size: 128M', '    altmap: {}']});
		expectRejected(hot, 't.yaml:11:5', ['unknown key "altmap" in memory[1]', 'kind, start, size, end, node, state']);
		const dev = yaml({entries: [...BOOT, '  - kind: device', '    type: fsdax', '    start: 4G', '    size: 128M', '    nomap: []']});
		expectRejected(dev, 't.yaml:12:5', ['unknown key "nomap" in memory[1]', 'kind, type, start, size, end, node, altmap, state']);
	});

	test('in an altmap and in a nomap range', () => {
		const altmap = yaml({entries: [...BOOT, '  - kind: device', '    type: fsdax', '    start: 4G', '    size: 128M', '    altmap:', '      reserved: 8K']});
		expectRejected(altmap, 't.yaml:13:7', ['unknown key "reserved" in memory[1].altmap', 'did you mean reserve?']);
		const nomap = yaml({arch: 'arm64-4k', entries: [...BOOT, '    nomap:', '      - {start: 0x1000_0000, length: 2M}']});
		expectRejected(nomap, 't.yaml:9:30', ['unknown key "length" in memory[0].nomap[0]', 'start, size, end']);
	});

	test('a key named __proto__ is an ordinary unknown key', () => {
		const text = yaml({extra: ['__proto__: {name: evil}'], entries: BOOT});
		expectRejected(text, 't.yaml:4:1', ['unknown key "__proto__"']);
	});

	test('JSON: an unknown key in a memory entry is reported at the key', () => {
		const json = [
			'{',
			'  "name": "t", "arch": "x86_64", "kernel": "6.12",',
			'  "memory": [',
			'    {"kind": "boot", "start": 0, "size": "4G", "numa": 1}',
			'  ]',
			'}',
		].join('\n');
		expectRejected(json, 't.json:4:48', ['unknown key "numa" in memory[0]'], {}, 't.json');
	});
});

describe('missing and mistyped values', () => {
	test('a missing required key points at the mapping that lacks it', () => {
		expectRejected('arch: x86_64\nkernel: "6.12"\nmemory:\n' + BOOT.join('\n') + '\n', 't.yaml:1:1', ['name is required']);
		const noStart = yaml({entries: ['  - kind: boot', '    size: 4G']});
		expectRejected(noStart, 't.yaml:5:5', ['memory[0].start is required']);
	});

	test('the name must match [a-z0-9._-]+', () => {
		const text = yaml({entries: BOOT}).replace('name: t', 'name: My Box');
		expectRejected(text, 't.yaml:1:7', ['must match [a-z0-9._-]+']);
	});

	test('an unknown arch lists the arches', () => {
		const text = yaml({arch: 'x86', entries: BOOT});
		expectRejected(text, 't.yaml:2:7', ['arch must be one of x86_64, arm64-4k, arm64-16k, arm64-64k, ppc64-64k, riscv64, s390x']);
	});

	test('an empty memory list is rejected', () => {
		const text = 'name: t\narch: x86_64\nkernel: "6.12"\nmemory: []\n';
		expectRejected(text, 't.yaml:4:9', ['memory must list at least one boot entry']);
	});

	test('an unknown kind, and a missing kind', () => {
		const unknown = yaml({entries: ['  - kind: ram', '    start: 0', '    size: 4G']});
		expectRejected(unknown, 't.yaml:5:11', ['kind must be one of boot, hotplug, device']);
		const missing = yaml({entries: ['  - start: 0', '    size: 4G']});
		expectRejected(missing, 't.yaml:5:5', ['kind must be one of boot, hotplug, device']);
	});

	test('size and end together, and neither', () => {
		const both = yaml({entries: [...BOOT, '    end: 0x1_0000_0000']});
		expectRejected(both, 't.yaml:8:10', ['either size or end', 'not both']);
		const neither = yaml({entries: ['  - kind: boot', '    start: 0']});
		expectRejected(neither, 't.yaml:5:5', ['memory[0].size is required (or give end:']);
	});

	test('wrong types: a boolean address, a string flag, a list where a mapping belongs', () => {
		expectRejected(yaml({entries: ['  - kind: boot', '    start: true', '    size: 4G']}), 't.yaml:6:12', ['memory[0].start must be a number', 'not true']);
		expectRejected(yaml({config: ['debug_vm: yes'], entries: BOOT}), 't.yaml:5:13', ['config.debug_vm must be true or false, not "yes"']);
		expectRejected(yaml({extra: ['config: [a]'], entries: BOOT}), 't.yaml:4:9', ['config must be a mapping, not a list']);
		expectRejected(yaml({extra: ['patches: arm64-pfn-valid-v2'], entries: BOOT}), 't.yaml:4:10', ['patches must be a list of patch names']);
		const altmap = yaml({entries: [...BOOT, '  - kind: device', '    type: fsdax', '    start: 4G', '    size: 128M', '    altmap: yes']});
		expectRejected(altmap, 't.yaml:12:13', ['memory[1].altmap must be a mapping with reserve and free']);
	});

	test('node, state and device type values', () => {
		expectRejected(yaml({entries: [...BOOT, '    node: -1']}), 't.yaml:8:11', ['memory[0].node must be a NUMA node number']);
		expectRejected(yaml({entries: [...BOOT, '    node: 4096']}), 't.yaml:8:11', ['from 0 to 1023']);
		const state = yaml({entries: [...BOOT, '  - kind: hotplug', '    start: 4G', '    size: 128M', '    state: onlined']});
		expectRejected(state, 't.yaml:11:12', ['memory[1].state must be one of offline, online, online_movable, offlined']);
		const type = yaml({entries: [...BOOT, '  - kind: device', '    type: pmem', '    start: 4G', '    size: 128M']});
		expectRejected(type, 't.yaml:9:11', ['memory[1].type must be one of fsdax, devdax, generic, private, coherent, p2pdma']);
		const noType = yaml({entries: [...BOOT, '  - kind: device', '    start: 4G', '    size: 128M']});
		expectRejected(noType, 't.yaml:8:5', ['memory[1].type is required']);
	});

	test('the first problem in the file is reported, with a count of the rest', () => {
		const text = yaml({arch: 'x86', entries: ['  - kind: boot', '    start: nope', '    size: 4G', '    colour: red']});
		const error = expectRejected(text, 't.yaml:2:7', ['arch must be one of']);
		expect(error.message).toContain('2 more problems');
	});
});

describe('defaults of SPEC §3', () => {
	test('config, patches, node, hotplug and device state, altmap free take their defaults', () => {
		const t = parse(yaml({entries: [...BOOT, '  - kind: hotplug', '    start: 4G', '    size: 128M', '  - kind: device', '    type: fsdax', '    start: 8G', '    size: 128M', '    altmap: {}']}));
		expect(t.description).toBe('');
		expect(t.config).toMatchObject({debug_vm: true, vmemmap: true, max_physmem_bits: 46, memory_block_size: 2 ** 27, memory_block_size_auto: true, hypervisor: false});
		expect(t.patches).toEqual([]);
		expect(t.memory[0]).toMatchObject({kind: 'boot', node: 0, nomap: []});
		expect(t.memory[1]).toMatchObject({kind: 'hotplug', state: 'offline'});
		// altmap: {} is the nvdimm layout: reserve = the 8 KiB info block, free = auto.
		expect(t.memory[2]).toMatchObject({kind: 'device', state: 'ready', altmap: {reserve: 2, free_auto: true}});
	});

	test('kernel: 6.10 without quotes is the version 6.10, not the float 6.1', () => {
		const t = parse(yaml({entries: BOOT}).replace('kernel: "6.12"', 'kernel: 6.10'));
		expect(t.kernel).toBe('6.10');
	});

	test('positions and labels of entries', () => {
		const t = parse(yaml({entries: [...BOOT, '  - kind: device', '    type: devdax', '    start: 0x1_0000_0000', '    size: 2G']}));
		expect(t.memory[0]).toMatchObject({pos: {line: 5, column: 5}, label: 'boot@0x0', index: 0});
		expect(t.memory[1]).toMatchObject({pos: {line: 8, column: 5}, label: 'devdax@0x100000000', index: 1, start_pfn: 0x10_0000, end_pfn: 0x18_0000});
	});
});
