/**
The fast path for plain topology text (source/topology/plain-document.ts) must give what the `yaml`
path of document.ts gives: the same value (numbers as their source text) and the same line and
column for every value and key, or hand the text back (undefined) to the `yaml` path.
*/
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, test} from 'vitest';
import {generateTopology} from '../../bench/topology-gen.js';
import {MAX_DEPTH, readFullDocument} from '../../source/topology/document.js';
import {readPlainDocument} from '../../source/topology/plain-document.js';
import type {Path, PositionIndex} from '../../source/topology/positions.js';
import {TOPOLOGIES_DIR} from '../../source/paths.js';

type Where = {path: string; at: unknown; keyAt: unknown; has: boolean};

/** Every path of a value with where the index puts its value and key. */
function positions(value: unknown, index: PositionIndex, at: Path = [], out: Where[] = []): Where[] {
	out.push({path: JSON.stringify(at), at: index.at(at), keyAt: index.keyAt(at), has: index.has(at)});
	if (Array.isArray(value)) {
		for (const [i, item] of value.entries()) {
			positions(item, index, [...at, i], out);
		}
	} else if (value !== null && typeof value === 'object') {
		for (const [key, item] of Object.entries(value)) {
			positions(item, index, [...at, key], out);
		}
	}

	return out;
}

function expectSameAsYaml(text: string): void {
	const fast = readPlainDocument(text, MAX_DEPTH);
	expect(fast, 'the fast path read the text').toBeDefined();
	const full = readFullDocument(text, 't.yaml');
	expect(fast!.value).toEqual(full.value);
	expect(positions(fast!.value, fast!.index)).toEqual(positions(full.value, full.index));
}

describe('readPlainDocument', () => {
	test('A test that reads every shipped topology both ways. Expect equal values and positions', () => {
		const files = readdirSync(TOPOLOGIES_DIR).filter(name => name.endsWith('.yaml'));
		expect(files.length).toBeGreaterThan(10);
		let fast = 0;
		for (const name of files) {
			const text = readFileSync(path.join(TOPOLOGIES_DIR, name), 'utf8');
			if (readPlainDocument(text, MAX_DEPTH) !== undefined) {
				fast++;
				expectSameAsYaml(text);
			}
		}

		// Shipped files are plain YAML; a description with `*`, `&` or `!` goes the `yaml` way.
		expect(fast).toBeGreaterThan(files.length / 2);
	});

	test('A test that reads a generated 300-entry topology (block and flow mappings, hex numbers) both ways. Expect equal values and positions', () => {
		expectSameAsYaml(generateTopology(300).yaml);
	});

	test('A test that reads comments, empty values, quoting, block scalars, flow sequences and CRLF both ways. Expect equal values and positions', () => {
		const text = [
			'# a comment first',
			'name: "quoted: name"',
			'description: |',
			'  two lines',
			'  of text',
			'arch: x86_64   # trailing comment',
			"kernel: '6.12'",
			'config:',
			'  memory_block_size:',
			'  vmemmap: true',
			'  dma_limit: ~',
			'  list: [1, 0x2, "3", {a: 4, b: [5]}]',
			'memory:',
			'  - kind: boot',
			'    start:   # the start is on the next line',
			'      0x1000',
			'    size: 4G',
			'  -   {kind: device, type: fsdax, start: 0x1_0000_0000, size: 1G, altmap: {}}',
			'  - plain scalar',
			'  - []',
			'',
		];
		expectSameAsYaml(text.join('\n'));
		expectSameAsYaml(text.join('\r\n'));
	});

	test('A test that reads a JSON topology both ways. Expect equal values and positions', () => {
		expectSameAsYaml(JSON.stringify({name: 't', arch: 'x86_64', kernel: '6.12', memory: [{kind: 'boot', start: 4096, size: '4G'}]}, null, 2));
	});

	test('A test that gives anchors, aliases, tags, a byte order mark, duplicate keys, a number as a key, syntax errors, deep nesting and an empty item to the fast path. Expect each handed back to yaml (undefined)', () => {
		for (const text of [
			'a: &x 1\nb: *x\n',
			'a: !!str 1\n',
			'\uFEFFa: 1\n',
			'%YAML 1.2\n---\na: 1\n',
			'a: 1\na: 2\n',
			'0x10: a\n',
			'a: [1, 2\n',
			'a: 1\n---\nb: 2\n',
			`a: ${'['.repeat(MAX_DEPTH + 1)}${']'.repeat(MAX_DEPTH + 1)}\n`,
			// An empty sequence item: js-yaml reports no node for it.
			'a:\n  -\n  - 1\n',
		]) {
			expect(readPlainDocument(text, MAX_DEPTH), JSON.stringify(text)).toBeUndefined();
		}
	});
});
