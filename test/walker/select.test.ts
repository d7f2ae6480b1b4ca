import {mkdtempSync, writeFileSync} from 'node:fs';
import {tmpdir} from 'node:os';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {describe, expect, it, vi} from 'vitest';
import {selectWalkers} from '../../source/walker/select.js';

// Two stand-in built-ins: the real catalog is filled in by the walker work.
vi.mock('../../walkers/index.js', () => {
	const walker = (name: string, models: string) => ({
		name,
		models,
		trigger: 'test',
		reachability: 'root',
		shape: 'test',
		fields: ['flags'],
		history: [{since: '4.13', guard: 'pfn_valid()', confidence: 'A'}],
		plan: () => null,
	});
	return {BUILTIN_WALKERS: [walker('kpageflags_read', 'fs/proc/page.c:kpageflags_read()'), walker('memory_failure', 'mm/memory-failure.c:memory_failure()')]};
});

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');

describe('selectWalkers', () => {
	it('selects every built-in by default, in catalog order', async () => {
		const walkers = await selectWalkers(undefined, root);
		expect(walkers.map(walker => [walker.definition.name, walker.file, walker.builtin, walker.source])).toEqual([
			['kpageflags_read', 'walkers/kpageflags_read.ts', true, {kind: 'builtin', name: 'kpageflags_read'}],
			['memory_failure', 'walkers/memory_failure.ts', true, {kind: 'builtin', name: 'memory_failure'}],
		]);
	});

	it('keeps the order given, drops repeats, and mixes names and paths', async () => {
		const walkers = await selectWalkers(['memory_failure', 'docs/examples/my_walker.ts', 'memory_failure', './docs/examples/my_walker.ts'], root);
		expect(walkers.map(walker => [walker.definition.name, walker.file, walker.builtin])).toEqual([
			['memory_failure', 'walkers/memory_failure.ts', true],
			['scan_movable_pages', 'docs/examples/my_walker.ts', false],
		]);
		expect(walkers[1]!.source).toEqual({kind: 'file', path: path.join(root, 'docs/examples/my_walker.ts')});
	});

	it('lists the valid names for an unknown walker', async () => {
		await expect(selectWalkers(['memory_failures'], root)).rejects.toThrow(
			'--walker memory_failures: no built-in walker has that name; choose one of kpageflags_read, memory_failure, or give the path of a walker file',
		);
	});

	it('rejects a user walker named like a built-in', async () => {
		const dir = mkdtempSync(path.join(tmpdir(), 'pfnaudit-select-'));
		const file = path.join(dir, 'mf.mjs');
		writeFileSync(
			file,
			"export default {name: 'memory_failure', models: 'mm/x.c:memory_failure()', trigger: 't', reachability: 'root', shape: 's', fields: [], history: [{since: '6.1', guard: 'g', confidence: 'A'}], plan: () => null};\n",
		);
		await expect(selectWalkers([file], dir)).rejects.toThrow("the walker is named 'memory_failure', like walkers/memory_failure.ts; give it a name of its own");
		await expect(selectWalkers([file, file.replace('mf.mjs', './mf.mjs')], dir)).rejects.toThrow('like walkers/memory_failure.ts');
	});
});
