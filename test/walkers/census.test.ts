/**
The census of PFN walkers (source/walker/census.ts) against the walker catalog, both ways: every
function the census found in 6.12.118 is modelled by a walker file that names it, or says why it
is not; every built-in walker models a function the census found (so the kernel function a
walker file names exists in that tree, at the file it says), or is listed outside the census with
its reason. Self-contained: it reads this repository only, never a kernel tree.
*/
import {readFileSync} from 'node:fs';
import path from 'node:path';
import {describe, expect, it} from 'vitest';
import {PACKAGE_ROOT} from '../../source/paths.js';
import {CENSUS, type CensusEntry, OUTSIDE_CENSUS, splitModels} from '../../source/walker/census.js';
import {BUILTIN_WALKERS} from '../../walkers/index.js';
import {fakeModel} from '../helpers/fake-model.js';

const walkerFile = (name: string) => readFileSync(path.join(PACKAGE_ROOT, 'walkers', `${name}.ts`), 'utf8');

/** The built-in walker whose `models` is this census entry's file and function. */
function modelledBy(entry: CensusEntry) {
	return BUILTIN_WALKERS.find(walker => {
		const {file, function: fn} = splitModels(walker.models);
		return file === entry.file && fn === entry.function;
	});
}

describe('the census of PFN walkers in 6.12.118', () => {
	// A test of the list's form. Expect 53 entries (the 51 places of the census, page isolation
	// and the KVM release path listed per function), each function once, each with a kernel
	// source file and a line range of its definition.
	it('lists 53 kernel functions once each, with file and lines', () => {
		expect(CENSUS).toHaveLength(53);
		expect(new Set(CENSUS.map(entry => entry.function)).size).toBe(CENSUS.length);
		for (const entry of CENSUS) {
			expect(entry.function, entry.function).toMatch(/^[A-Za-z_]\w*$/);
			expect(entry.file, entry.function).toMatch(/^(mm|fs|kernel|drivers|arch|virt)\/[\w/.-]+\.[ch]$/);
			const [first, last] = entry.lines.split('-').map(Number);
			expect(first! > 0 && last! >= first!, `${entry.function}: lines ${entry.lines}`).toBe(true);
			expect(entry.guard.trim(), entry.function).not.toBe('');
		}
	});

	// A test that no census function is left without an answer. Expect each one modelled by a
	// built-in walker (its `models`, or the family walker its entry names, whose file names the
	// function), or by the documented example walker, or carrying a not_modelled reason — and
	// exactly one of those, so a reason cannot outlive the walker that made it stale.
	it('has a walker file naming each function, or a reason it has none', () => {
		const problems: string[] = [];
		for (const entry of CENSUS) {
			const own = modelledBy(entry);
			const family = entry.walker === undefined ? undefined : BUILTIN_WALKERS.find(walker => walker.name === entry.walker);
			if (entry.walker !== undefined && (!family || !walkerFile(family.name).includes(`${entry.function}(`))) {
				problems.push(`${entry.function}: walker ${entry.walker} is not a built-in walker whose file names ${entry.function}()`);
			}

			if (entry.example !== undefined && !readFileSync(path.join(PACKAGE_ROOT, entry.example), 'utf8').includes(`${entry.file}:${entry.function}()`)) {
				problems.push(`${entry.function}: ${entry.example} does not model ${entry.file}:${entry.function}()`);
			}

			const answers = [own ?? family, entry.example, entry.not_modelled].filter(answer => answer !== undefined);
			if (answers.length !== 1) {
				problems.push(
					answers.length === 0
						? `${entry.function} (${entry.file}) has no walker file and no not_modelled reason: add a walker to walkers/ or say why not in source/walker/census.ts`
						: `${entry.function} has ${answers.length} answers (walker ${(own ?? family)?.name ?? '-'}, example ${entry.example ?? '-'}, not_modelled ${entry.not_modelled ? 'set' : '-'}): keep one`,
				);
			}
		}

		expect(problems).toEqual([]);
	});

	// A test of the other direction. Expect every built-in walker's `models` (file and function)
	// to be a census entry, so the function it names exists in 6.12.118 at that file — or the
	// walker to be listed in OUTSIDE_CENSUS with its reason (shrink_pgdat_span reads no memmap
	// since v5.4), and nothing listed there that is in the census or not a walker.
	it('finds every built-in walker in the census, or a reason it is not there', () => {
		const problems: string[] = [];
		for (const walker of BUILTIN_WALKERS) {
			const {file, function: fn} = splitModels(walker.models);
			const entry = CENSUS.find(e => e.function === fn);
			if (walker.name in OUTSIDE_CENSUS) {
				if (entry) {
					problems.push(`${walker.name} is listed in OUTSIDE_CENSUS but the census has ${fn}`);
				}
			} else if (!entry) {
				problems.push(`${walker.name} models ${walker.models}, which the census does not list: add it to source/walker/census.ts with its 6.12.118 file and lines`);
			} else if (entry.file !== file) {
				problems.push(`${walker.name} models ${walker.models}, but the census has ${fn}() in ${entry.file}`);
			}
		}

		for (const name of Object.keys(OUTSIDE_CENSUS)) {
			if (!BUILTIN_WALKERS.some(walker => walker.name === name)) {
				problems.push(`OUTSIDE_CENSUS names ${name}, which is not a built-in walker`);
			}
		}

		expect(problems).toEqual([]);
	});

	// A test that the walkers that model census functions exist at v6.12 (plan() is not null on
	// an empty model of that release), as the census found them there. Expect no absent one.
	it('has every walker of a census function present at v6.12', () => {
		const model = fakeModel({kernel: '6.12', runs: []});
		const absent = BUILTIN_WALKERS.filter(walker => !(walker.name in OUTSIDE_CENSUS) && walker.plan(model) === null).map(walker => walker.name);
		expect(absent).toEqual([]);
	});
});
