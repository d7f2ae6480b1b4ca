import {mkdtempSync, rmSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {afterAll, describe, expect, it} from 'vitest';
import {evaluateWalker} from '../../source/engine/evaluate.js';
import {InputError} from '../../source/errors/input-error.js';
import {loadWalkerFile, looksLikeWalkerPath} from '../../source/walker/load.js';
import {buildModel} from '../helpers/fake-build.js';
import {MiB, topology} from '../helpers/topology.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const dir = mkdtempSync(path.join(tmpdir(), 'pfnaudit-walkers-'));
afterAll(() => rmSync(dir, {recursive: true, force: true}));

/** A walker file's text: a default-exported plain object, no imports (it lives outside the package). */
const walkerText = (fields: string) => `export default {
	name: 'tmp_walker',
	models: 'mm/tmp.c:tmp_walker()',
	trigger: 'test',
	reachability: 'root',
	shape: 'one pfn',
	fields: ['flags'],
	history: [{since: '5.10', guard: 'pfn_valid()', confidence: 'A'}],
	plan: () => ({label: 'tmp', guard: 'guards with pfn_valid()', passes: [{label: 'one', ranges: [{start: 0, end: 1}], direction: 'up', stride: 1, step(ctx, pfn) { ctx.pfn_valid(pfn); }}]}),
	${fields}
};
`;

function write(name: string, text: string): string {
	const file = path.join(dir, name);
	writeFileSync(file, text);
	return file;
}

async function loadError(file: string): Promise<InputError> {
	try {
		await loadWalkerFile(file, dir);
	} catch (error) {
		if (error instanceof InputError) {
			return error;
		}

		throw error;
	}

	throw new Error(`${file} loaded`);
}

describe('loading a user walker', () => {
	// A test that loads the documented example and runs it over a topology with an online
	// hot-plugged block, the only memory it can offline.
	//
	//   | boot RAM | hotplug, online |
	//   0x0    0x8000           0x10000
	//
	// Expect one `ok` touch per pfn of the online block, nothing else.
	it('loads docs/examples/my_walker.ts and runs it', async () => {
		const walker = await loadWalkerFile('docs/examples/my_walker.ts', root);
		expect(walker.name).toBe('scan_movable_pages');
		const model = buildModel(topology().boot(0, 128 * MiB).hotplug(128 * MiB, 128 * MiB, 'online').build());
		const result = evaluateWalker(walker, model, {mode: 'runs', failOn: []});
		expect(result).toMatchObject({status: 'ok', pfns_visited: 0x8000, form: {form: 'v4.13+: pfn_valid()'}});
		expect(result.touches.ok).toBe(0x8000);
	});

	it('loads .ts and .js files outside any package, and .mjs', async () => {
		for (const name of ['plain.ts', 'plain.js', 'plain.mjs']) {
			const walker = await loadWalkerFile(write(name, walkerText('')), dir);
			expect(walker.name).toBe('tmp_walker');
		}
	});

	it('rejects a missing file, a directory and a wrong extension', async () => {
		expect((await loadError('nope.ts')).format()).toBe(`nope.ts: the walker file does not exist; check the path (it is resolved against ${dir})`);
		expect((await loadError('.')).message).toContain('a walker file must end in .ts, .mts, .cts, .js, .mjs, .cjs');
		write('dir.ts.d', '');
		expect((await loadError(write('walker.txt', walkerText('')))).message).toContain('a walker file must end in');
	});

	it('names the line and column of a syntax error, in .ts and in .js', async () => {
		const broken = "export default {\n\tname: 'x',\n\tplan( => 1,\n};\n";
		const ts = await loadError(write('broken.ts', broken));
		expect(ts.location).toEqual({file: path.join(dir, 'broken.ts'), line: 3, column: 8});
		expect(ts.format()).toBe(`${path.join(dir, 'broken.ts')}:3:8: syntax error in the walker file: Expected identifier but found "=>"; fix it and run again`);
		const js = await loadError(write('broken.js', broken));
		expect(js.location).toMatchObject({line: 3, column: 8});
	});

	it('reports an import that fails and a module that throws', async () => {
		expect((await loadError(write('imports.ts', "import {x} from './missing.js';\nexport default x;\n"))).message).toMatch(
			/^cannot load the walker file: Cannot find module '\.\/missing\.js'.*; fix the file \(see docs\/writing-a-walker\.md\)$/,
		);
		expect((await loadError(write('throws.mjs', "throw new Error('boom at load');\n"))).message).toBe(
			'cannot load the walker file: boom at load; fix the file (see docs/writing-a-walker.md)',
		);
	});

	it('rejects a file without a default export, or with a malformed walker', async () => {
		expect((await loadError(write('named.ts', walkerText('').replace('export default', 'export const walker =')))).message).toBe(
			"the walker file has no default export; end it with 'export default defineWalker({...})' (see docs/writing-a-walker.md)",
		);
		expect((await loadError(write('shape.mjs', walkerText("extra: 1,")))).message).toBe(
			"the walker has the unknown key 'extra'; a walker has name, models, trigger, reachability, shape, fields, history, plan (see docs/writing-a-walker.md)",
		);
	});
});

describe('looksLikeWalkerPath', () => {
	it('tells walker names from paths', () => {
		expect(looksLikeWalkerPath('memory_failure')).toBe(false);
		expect(looksLikeWalkerPath('./my_walker.ts')).toBe(true);
		expect(looksLikeWalkerPath('my_walker.js')).toBe(true);
		expect(looksLikeWalkerPath('walkers/x')).toBe(true);
	});
});
