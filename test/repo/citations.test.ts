/**
The product cites only what its reader can open: a kernel commit, an LKML message (lore link or
Message-ID), a file in this repository. A test that greps the shipped tree — README, docs,
source, walkers, topologies, schema — for citations of files a clone does not have: the
project's private notes (`../shared/`, `seeds/NNN`, `samples/*.txt`, `memory-model.md §…`, the
domain notes), and a specification no reader has (`SPEC §5`). Expect none.
*/
import {readdirSync, readFileSync, statSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {toAscii} from '../../source/report/escape.js';

const ROOTS = ['README.md', 'docs', 'source', 'walkers', 'topologies', 'schema/pfnaudit-report-1.schema.json', 'package.json'];

/** Files under `root` (a file or a directory), skipping vendored schemas. */
function files(root: string): string[] {
	if (!statSync(root).isDirectory()) {
		return [root];
	}

	return readdirSync(root, {withFileTypes: true}).flatMap(entry => {
		const full = path.join(root, entry.name);
		return entry.isDirectory() ? (entry.name === 'vendor' ? [] : files(full)) : [full];
	});
}

const UNOPENABLE: ReadonlyArray<[RegExp, string]> = [
	[/\.\.\/shared\b|\/work\/shared/, 'the project notes directory'],
	[/\bseeds?\/\d{3}|\bseed \d{3}\b/, 'a seed file'],
	[/\bsamples\/[\w.-]*/, 'a sample file'],
	[/\b(memory-model|ecosystem|house-style|walkers|tooling)\.md\b(?! in this repository)/, 'a domain note'],
	[/\bdomain notes?\b/, 'the domain notes'],
	[/\bSPEC\b(?!_)/, 'the specification'],
];

describe('citations in the shipped tree', () => {
	const shipped = ROOTS.flatMap(root => files(root)).filter(file => /\.(md|ts|tsx|mjs|yaml|json)$/.test(file));

	it('finds the tree to check', () => {
		expect(shipped.length).toBeGreaterThan(100);
		expect(shipped).toContain(path.join('topologies', 'showcase.yaml'));
	});

	it('cites nothing a clone lacks', () => {
		const found: string[] = [];
		for (const file of shipped) {
			// docs/writing-a-walker.md is a repository file; a walker-catalog note is not.
			const lines = readFileSync(file, 'utf8').split('\n');
			for (const [index, line] of lines.entries()) {
				for (const [pattern, what] of UNOPENABLE) {
					const match = pattern.exec(line.replaceAll('docs/writing-a-walker.md', ''));
					if (match) {
						found.push(`${file}:${index + 1}: ${what}: ${match[0]}`);
					}
				}
			}
		}

		expect(found).toEqual([]);
	});

	// A test of the ASCII writer (text and KTAP reports): a section sign cited from kernel
	// documentation reads "section", never the "S5" that looks like a category or a version.
	it('writes § as "section" in ASCII output', () => {
		expect(toAscii('Documentation §5')).toBe('Documentation section 5');
	});
});
