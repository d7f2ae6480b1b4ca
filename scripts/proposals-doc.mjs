#!/usr/bin/env node
// Regenerates the scorecard of docs/proposals.md (everything after "## Scorecard") from
// `pfnaudit compare topologies/*.yaml --proposals --format md`, with the built CLI (npm run build
// first). test/compare/scorecard.test.ts checks one section against a fresh run, so a new walker
// or a model change that moves a count needs this: npm run docs:proposals.
import {execFileSync} from 'node:child_process';
import {readdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';

const root = path.resolve(import.meta.dirname, '..');
const doc = path.join(root, 'docs', 'proposals.md');
const heading = '## Scorecard\n';
const topologies = readdirSync(path.join(root, 'topologies'))
	.filter(name => name.endsWith('.yaml'))
	.sort()
	.map(name => path.join('topologies', name));
const scorecard = execFileSync(process.execPath, [path.join(root, 'dist/source/cli/bin.js'), 'compare', ...topologies, '--proposals', '--format', 'md'], {cwd: root, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024});
const text = readFileSync(doc, 'utf8');
const at = text.indexOf(heading);
if (at === -1) {
	console.error(`${doc}: no "${heading.trim()}" heading to regenerate after`);
	process.exit(2);
}
writeFileSync(doc, `${text.slice(0, at + heading.length)}\n${scorecard}`);
console.error(`docs/proposals.md: scorecard of ${topologies.length} topologies regenerated`);
