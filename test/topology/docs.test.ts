/**
The worked example of docs/topology-format.md parses, and resolves to what the text says.
*/
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {expect, test} from 'vitest';
import {PACKAGE_ROOT} from '../../source/paths.js';
import {parseTopology} from '../../source/topology/load.js';

test('the worked example in docs/topology-format.md loads with the values the text gives', () => {
	const doc = readFileSync(path.join(PACKAGE_ROOT, 'docs', 'topology-format.md'), 'utf8');
	const example = /```yaml\n([\s\S]*?)```/.exec(doc)?.[1];
	expect(example).toBeDefined();
	const t = parseTopology(example!, 'docs/topology-format.md');
	expect(t.warnings).toEqual([]);
	expect(t.config.memory_block_size).toBe(128 * 2 ** 20);
	expect(t.memory[0]).toMatchObject({kind: 'boot', start_pfn: 0, end_pfn: 0x20_0000});
	expect(t.memory[1]).toMatchObject({kind: 'hotplug', state: 'offline'});
	expect(t.memory[2]).toMatchObject({kind: 'device', type: 'fsdax', altmap: {reserve: 2, free: 66_046, free_auto: true}});
});

test('loadTopologyFile() reads a file and reports an unreadable path as an input error', async () => {
	const {loadTopologyFile} = await import('../../source/topology/load.js');
	const {SHOWCASE_TOPOLOGY} = await import('../../source/paths.js');
	expect(loadTopologyFile(SHOWCASE_TOPOLOGY).name).toBe('showcase');
	expect(() => loadTopologyFile('/nonexistent/x.yaml')).toThrow(/cannot read the topology file \(ENOENT\); check the path/);
	let formatted = '';
	try {
		loadTopologyFile(path.join(PACKAGE_ROOT, 'topologies'));
	} catch (error) {
		formatted = (error as {format(): string}).format();
	}

	expect(formatted).toMatch(/topologies: the topology path is a directory/);
});
