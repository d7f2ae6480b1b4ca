/**
Issue 11 items 1–3: topology text and files that are hostile rather than wrong. Each must be
refused with exit 2 and file:line:column (or the file) within a bounded time, never expanded,
read without end, or left to overflow the stack.
*/
import {execFileSync} from 'node:child_process';
import {closeSync, openSync, ftruncateSync, writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, describe, expect, it} from 'vitest';
import {MAX_ALIAS_EXPANSION} from '../../source/topology/document.js';
import {MAX_TOPOLOGY_BYTES} from '../../source/topology/read-file.js';
import {run, scratch, STACK_FRAME} from './harness.js';

const {dir, remove} = scratch();
afterAll(remove);

const HEADER = 'name: hostile\narch: x86_64\nkernel: "6.12"\n';
const MEMORY = 'memory:\n  - kind: boot\n    start: 0x0\n    end: 0x4000_0000\n';

function write(name: string, text: string): string {
	writeFileSync(path.join(dir, name), text);
	return name;
}

async function refused(file: string): Promise<string> {
	const result = await run(['audit', file, '--walker', 'kpageflags_read'], {cwd: dir});
	expect(result.stdout).toBe('');
	expect(result.stderr).not.toMatch(STACK_FRAME);
	expect(result.stderr.split('\n').filter(Boolean)).toHaveLength(1);
	expect(result.code).toBe(2);
	return result.stderr;
}

describe('YAML aliases', () => {
	// Ten levels of `&aN [*aN-1 × 10]`: 10^10 values if expanded (the "billion laughs").
	// Expect exit 2 at a line of the bomb, within the test's bound (expansion stops at
	// MAX_ALIAS_EXPANSION values).
	it('refuses an alias bomb at its line', async () => {
		const lines = ['a0: &a0 [x, x, x, x, x, x, x, x, x, x]'];
		for (let i = 1; i <= 10; i++) {
			lines.push(`a${i}: &a${i} [${Array.from({length: 10}, () => `*a${i - 1}`).join(', ')}]`);
		}

		const file = write('bomb.yaml', `${HEADER}${MEMORY}${lines.join('\n')}\n`);
		const stderr = await refused(file);
		expect(stderr).toMatch(new RegExp(`^pfnaudit: bomb\\.yaml:(\\d+):\\d+: aliases copy more than ${MAX_ALIAS_EXPANSION} values`));
		const line = Number(/:(\d+):/.exec(stderr)![1]);
		expect(line).toBeGreaterThanOrEqual(9);
		expect(line).toBeLessThanOrEqual(19);
	}, 10_000);

	// `rec: &r [*r]` — a sequence holding itself. Expect exit 2 at the alias (line 1, column 10),
	// not "Maximum call stack size exceeded" (exit 3).
	it('refuses a self-referencing alias at the alias', async () => {
		const file = write('recursive.yaml', 'rec: &r [*r]\n');
		expect(await refused(file)).toMatch(/^pfnaudit: recursive\.yaml:1:10: the alias \*r refers to a collection that contains it/);
	});

	// A mapping holding itself one level down. Expect the same refusal at line 2.
	it('refuses an alias to an enclosing mapping', async () => {
		const file = write('recursive-map.yaml', 'config: &c\n  inner: *c\n');
		expect(await refused(file)).toMatch(/^pfnaudit: recursive-map\.yaml:2:10: the alias \*c refers/);
	});

	// An alias used a few times for a real purpose. Expect it to load (exit 0: boot RAM only).
	it('still accepts a plain alias', async () => {
		const file = write('alias.yaml', `${HEADER}memory:\n  - kind: boot\n    start: &base 0x0\n    end: 0x4000_0000\n  - kind: hotplug\n    start: 0x1_0000_0000\n    size: &sz 128M\n  - kind: hotplug\n    start: 0x2_0000_0000\n    size: *sz\n`);
		const result = await run(['audit', file, '--walker', 'kpageflags_read'], {cwd: dir});
		expect(result.stderr).toBe('');
		expect([0, 1]).toContain(result.code);
	});

	// Sequences nested 5 000 deep. Expect exit 2, not a stack overflow.
	it('refuses nesting deeper than a topology needs', async () => {
		const file = write('deep.yaml', `${HEADER}${MEMORY}deep: ${'['.repeat(5000)}${']'.repeat(5000)}\n`);
		expect(await refused(file)).toMatch(/^pfnaudit: deep\.yaml:\d+:\d+: /);
	});
});

describe('YAML tags', () => {
	// The format is plain YAML; a tag changes a value's type behind the reader's back.
	// Expect exit 2 at the tag's own column.
	it.each([
		['!!str', `name: !!str hostile\narch: x86_64\nkernel: "6.12"\n${MEMORY}`, '1:7', '!!str'],
		['!!float', `${HEADER}memory:\n  - kind: boot\n    start: !!float 0\n    end: 0x4000_0000\n`, '6:12', '!!float'],
		['verbatim', `${HEADER}memory:\n  - kind: boot\n    start: 0x0\n    end: !<tag:yaml.org,2002:str> 0x4000_0000\n`, '7:10', '!!str'],
		['on a mapping', `${HEADER}config: !!map {debug_vm: true}\n${MEMORY}`, '4:9', '!!map'],
		['non-specific', `${HEADER}kernel2: ! "6.12"\n${MEMORY}`, '4:10', '!'],
		['on a key', `${HEADER}!!str memory:\n  - kind: boot\n    start: 0x0\n    end: 0x4000_0000\n`, '4:1', '!!str'],
	])('refuses %s', async (_name, text, where, tag) => {
		const file = write('tagged.yaml', text);
		expect(await refused(file)).toBe(`pfnaudit: tagged.yaml:${where}: the tag ${tag} is not allowed: topology files are plain YAML without tags; remove it\n`);
	});
});

describe('topology paths that are not regular files', () => {
	// /dev/zero and /dev/urandom never end; reading them grew memory without bound. Expect exit 2
	// naming the path, at once.
	it.each(['/dev/zero', '/dev/urandom'])('refuses %s', async device => {
		expect(await refused(device)).toBe(`pfnaudit: ${device}: the topology path is a character device, not a regular file; save the topology to a .yaml or .json file and give its path\n`);
	});

	// A FIFO nobody writes to: open(2) and read(2) would block forever. Expect exit 2 at once.
	it('refuses a FIFO without blocking', async () => {
		execFileSync('mkfifo', [path.join(dir, 'fifo.yaml')]);
		expect(await refused('fifo.yaml')).toMatch(/^pfnaudit: fifo\.yaml: the topology path is a pipe \(FIFO\), not a regular file/);
	}, 10_000);

	// A 3 GiB (sparse) file: read whole before its refusal took 40 s and 4 GB. Expect exit 2 from
	// the size alone, nothing read.
	it('refuses a file larger than the cap before reading it', async () => {
		const fd = openSync(path.join(dir, 'huge.yaml'), 'w');
		ftruncateSync(fd, 3 * 2 ** 30);
		closeSync(fd);
		expect(await refused('huge.yaml')).toBe(`pfnaudit: huge.yaml: the file is 3072 MiB, more than the ${MAX_TOPOLOGY_BYTES / 2 ** 20} MiB a topology file may have; is this the right file? (a topology is YAML or JSON text)\n`);
	});

	// explain reads topologies the same way. Expect the same refusal.
	it('explain refuses /dev/zero too', async () => {
		const result = await run(['explain', '/dev/zero', '0x1000'], {cwd: dir});
		expect(result.code).toBe(2);
		expect(result.stderr).toMatch(/character device, not a regular file/);
	});
});
