/**
Issue 11 item 6: --output names that do not mean what they seem. Nothing may be written where
the user did not ask, and the refusal must name the real cause.
*/
import {existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {run, scratch, STACK_FRAME} from './harness.js';

const {dir, remove} = scratch();
afterAll(remove);

const small = readFileSync(path.join(import.meta.dirname, '..', '..', 'topologies', 'pmem-partial-sections.yaml'), 'utf8');
writeFileSync(path.join(dir, 't.yaml'), small);
writeFileSync(path.join(dir, 'dots.yaml'), small.replace(/^name: .*$/m, 'name: ".."'));
writeFileSync(path.join(dir, 'notes.txt'), 'my notes\n');

async function audit(...argv: string[]) {
	const result = await run(['audit', ...argv, '--walker', 'kpageflags_read'], {cwd: dir});
	expect(result.stderr).not.toMatch(STACK_FRAME);
	return result;
}

describe('--output', () => {
	// `--output newdir/`: the slash says a directory is meant. Before: a file named `newdir`.
	// Expect exit 2 with a file name to use instead, and nothing written.
	it('refuses a name ending in a slash', async () => {
		const before = readdirSync(dir).sort();
		const result = await audit('t.yaml', '--format', 'json', '--output', 'newdir/');
		expect(result.code).toBe(2);
		expect(result.stderr).toBe("pfnaudit: --output newdir/ names a directory, not a file; give a file name in it, such as newdir/audit.json (or 'newdir/{topology}.json' for one file per topology)\n");
		expect(readdirSync(dir).sort()).toEqual(before);
	});

	// `--output .` and an existing directory: the same, even with --force.
	it('refuses . and an existing directory, even with --force', async () => {
		expect((await audit('t.yaml', '--format', 'json', '--output', '.')).stderr).toMatch(/^pfnaudit: --output \. names a directory, not a file/);
		mkdirSync(path.join(dir, 'existing'), {recursive: true});
		const result = await audit('t.yaml', '--format', 'json', '--output', 'existing', '--force');
		expect(result).toMatchObject({code: 2, stderr: 'pfnaudit: cannot write existing: it is a directory; give a file name in it, such as existing/audit.json\n'});
	});

	// A topology named `..` with --output 'x/{topology}/r.json' wrote ./r.json, outside x/.
	// Expect exit 2 naming the topology, and no r.json anywhere.
	it('refuses a topology named .. in a {topology} path', async () => {
		mkdirSync(path.join(dir, 'x', '..'), {recursive: true});
		const result = await audit('dots.yaml', '--output', 'x/{topology}/r.json');
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/^pfnaudit: a topology is named "\.\.", which --output x\/\{topology\}\/r\.json would make a directory reference; rename the topology/);
		expect(existsSync(path.join(dir, 'r.json'))).toBe(false);
	});

	// `--output notes.txt/r.json` where notes.txt is a file. Before: "the directory notes.txt does
	// not exist". Expect the real cause, and notes.txt untouched.
	it('says a path component is a file, not that it does not exist', async () => {
		const result = await audit('t.yaml', '--output', 'notes.txt/r.json');
		expect(result).toMatchObject({code: 2, stderr: 'pfnaudit: cannot write notes.txt/r.json: notes.txt is not a directory; choose another --output\n'});
		const deeper = await audit('t.yaml', '--output', 'notes.txt/sub/r.json');
		expect(deeper.stderr).toBe('pfnaudit: cannot write notes.txt/sub/r.json: notes.txt is not a directory; choose another --output\n');
		expect(readFileSync(path.join(dir, 'notes.txt'), 'utf8')).toBe('my notes\n');
	});

	// A directory that really is missing keeps its message.
	it('still says a missing directory is missing', async () => {
		const result = await audit('t.yaml', '--output', 'nowhere/r.json');
		expect(result.stderr).toBe('pfnaudit: cannot write nowhere/r.json: the directory nowhere does not exist; create it or choose another --output\n');
	});
});
