/**
Issue 11 item 4: 100 000 memory ranges never finished, even when the last entry overlaps an
early one and should be refused at once (the overlap check was pairwise; it is by address now,
source/topology/span-index.ts). A test that a topology of one boot range and 99 999 hot-added
128 MiB blocks, the last of which lands on the fifth, is refused. Expect exit 2 naming the last
entry and the one it overlaps, within a bound far below what a pairwise check takes (about 5·10^9
comparisons); most of the time is the YAML parser reading 5.7 MB.
*/
import {writeFileSync} from 'node:fs';
import path from 'node:path';
import {afterAll, expect, it} from 'vitest';
import {run, scratch, STACK_FRAME} from './harness.js';

const {dir, remove} = scratch();
afterAll(remove);

const COUNT = 100_000;
const BLOCK = 128 * 2 ** 20;

it('refuses the last of 100 000 ranges when it overlaps the fifth', async () => {
	const hex = (n: number) => `0x${n.toString(16)}`;
	const memory: unknown[] = [{kind: 'boot', start: '0x0', end: '0x4000_0000'}];
	for (let i = 1; i < COUNT - 1; i++) {
		memory.push({kind: 'hotplug', start: hex(2 ** 32 + i * BLOCK), size: '128M'});
	}

	memory.push({kind: 'hotplug', start: hex(2 ** 32 + 5 * BLOCK), size: '128M'});
	writeFileSync(path.join(dir, 'many.json'), JSON.stringify({name: 'many', arch: 'x86_64', kernel: '6.12', memory}));
	const result = await run(['audit', 'many.json', '--walker', 'kpageflags_read'], {cwd: dir});
	expect(result.code).toBe(2);
	expect(result.stderr).not.toMatch(STACK_FRAME);
	expect(result.stderr).toMatch(/^pfnaudit: many\.json:1:\d+: memory\[99999\] \(hotplug@0x128000000\) overlaps memory\[5\] \(hotplug@0x128000000\) at \[0x1_2800_0000, 0x1_3000_0000\): add_memory\(\)/);
}, 90_000);
