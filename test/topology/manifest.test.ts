/**
dist/topologies.json (source/topology/manifest.ts): `pfnaudit list topologies` reads the built-in
topologies' headers from it only while it describes the files exactly. A directory of two
topology files and a manifest written for them:

	topologies/  a.yaml  b.yaml  README     topologies.json: [a.yaml sha1(a), b.yaml sha1(b)]
*/
import {mkdirSync, mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {afterEach, beforeEach, describe, expect, it} from 'vitest';
import {readTopologyManifest, sha1Of, type TopologyHeader} from '../../source/topology/manifest.js';

let root: string;
let dir: string;
let manifest: string;
const text = {a: 'name: a\n', b: 'name: b\n'};

function header(base: 'a' | 'b'): TopologyHeader {
	return {name: base, arch: 'x86_64', kernel: '6.12', base: `${base}.yaml`, description: `topology ${base}`, sha1: sha1Of(text[base])};
}

beforeEach(() => {
	root = mkdtempSync(path.join(tmpdir(), 'pfnaudit-manifest-'));
	dir = path.join(root, 'topologies');
	mkdirSync(dir);
	manifest = path.join(root, 'topologies.json');
	writeFileSync(path.join(dir, 'a.yaml'), text.a);
	writeFileSync(path.join(dir, 'b.yaml'), text.b);
	writeFileSync(path.join(dir, 'README'), 'not a topology');
	writeFileSync(manifest, JSON.stringify([header('a'), header('b')]));
});
afterEach(() => rmSync(root, {recursive: true, force: true}));

describe('the built-in topology manifest', () => {
	it('A test that reads a manifest written for the files of the directory. Expect its headers, in file order', () => {
		expect(readTopologyManifest(dir, manifest)?.map(h => [h.base, h.name, h.description])).toEqual([
			['a.yaml', 'a', 'topology a'],
			['b.yaml', 'b', 'topology b'],
		]);
	});

	it('A test that edits b.yaml after the manifest was written. Expect no manifest (the caller parses the files)', () => {
		writeFileSync(path.join(dir, 'b.yaml'), 'name: b2\n');
		expect(readTopologyManifest(dir, manifest)).toBeUndefined();
	});

	it('A test that adds c.yaml after the manifest was written. Expect no manifest', () => {
		writeFileSync(path.join(dir, 'c.yaml'), 'name: c\n');
		expect(readTopologyManifest(dir, manifest)).toBeUndefined();
	});

	it('A test that reads a missing and a corrupt manifest. Expect no manifest either time', () => {
		expect(readTopologyManifest(dir, path.join(root, 'missing.json'))).toBeUndefined();
		writeFileSync(manifest, '[{"base": ');
		expect(readTopologyManifest(dir, manifest)).toBeUndefined();
	});
});
