import {execFileSync} from 'node:child_process';
import {describe, expect, it} from 'vitest';

/**
In a Node process of its own (its young generation still as V8 starts it: this test's process has
grown its own), collect.ts's holdYoungGeneration(), then its thread keeping 2 million small
objects it allocates (each scavenge finds all it allocated alive: what makes V8 grow a new space),
then releaseYoungGeneration() and the same again; prints by how many bytes the new space grew
each time.
*/
const script = `
import {getHeapSpaceStatistics} from 'node:v8';
const {holdYoungGeneration, releaseYoungGeneration, youngGenerationHeld} = await import(${JSON.stringify(new URL('../../source/engine/collect.ts', import.meta.url).href)});
const size = () => getHeapSpaceStatistics().find(space => space.space_name === 'new_space').space_size;
const growth = () => {
	const before = size();
	const kept = [];
	for (let i = 0; i < 2e6; i++) kept.push({i, text: 'entry ' + i});
	return kept.length > 0 ? size() - before : 0;
};
holdYoungGeneration();
const wasHeld = youngGenerationHeld();
const held = growth();
releaseYoungGeneration();
console.log(JSON.stringify({wasHeld, held, released: growth(), isHeld: youngGenerationHeld()}));
`;

describe('holding the young generation (engine/collect.ts holdYoungGeneration())', () => {
	// A test of a thread keeping 2 million objects it allocates while its young generation is
	// held, then again once released. Expect its new space not to grow while held (V8's
	// --semi-space-growth-factor=1: what keeps a large topology's audit from 30 MiB of young
	// generation it never gives back), and to grow once released (V8's default factor back: the
	// threads of a small topology's audit and of the dashboard as V8 sizes them).
	it('keeps the new space at its size while held, and lets it grow once released', () => {
		const output = execFileSync(process.execPath, ['--import', 'tsx', '--input-type=module', '--eval', script], {encoding: 'utf8'});
		const seen = JSON.parse(output) as {wasHeld: boolean; held: number; released: number; isHeld: boolean};
		expect(seen).toEqual({wasHeld: true, held: 0, released: seen.released, isHeld: false});
		expect(seen.released).toBeGreaterThan(0);
	});
});
