/**
A capture of the machine the tests run on, imported, against the kernel's own answer: every pfn of
/proc/kpageflags (fs/proc/page.c: stable_page_flags(pfn_to_online_page(pfn)), 0 or KPF_NOPAGE
when no page is returned, EOF at round_up(max_pfn, PAGES_PER_SECTION)) compared with the model's
pfn_to_online_page() for the imported topology. Needs root (kpageflags is mode 0400); skipped
elsewhere, and failing under PFNAUDIT_CI=1 when it cannot read it.
*/
import {closeSync, existsSync, openSync, readSync} from 'node:fs';
import {describe, expect, it} from 'vitest';
import {captureLive} from '../../source/cli/capture-live.js';
import {importCapture} from '../../source/import/index.js';
import {buildModel} from '../../source/model/build.js';

const KPF_NOPAGE = 2 ** 20;
const readable = existsSync('/proc/kpageflags') && process.getuid?.() === 0;

/** /proc/kpageflags as [lo, hi] u32 halves of each u64 (little endian), up to its EOF. */
function readKpageflags(): Uint32Array {
	const fd = openSync('/proc/kpageflags', 'r');
	const chunks: Buffer[] = [];
	try {
		for (let offset = 0; ; ) {
			const buffer = Buffer.alloc(8 * 2 ** 20);
			const n = readSync(fd, buffer, 0, buffer.length, offset);
			if (n === 0) {
				break;
			}

			chunks.push(buffer.subarray(0, n));
			offset += n;
		}
	} finally {
		closeSync(fd);
	}

	const all = Buffer.concat(chunks);
	return new Uint32Array(all.buffer, all.byteOffset, all.length / 4);
}

describe('the import of this machine against its /proc/kpageflags', () => {
	it.runIf(readable || process.env['PFNAUDIT_CI'] === '1')('A test that captures this machine, imports it and reads every pfn of /proc/kpageflags. Expect its EOF at round_up(max_pfn, PAGES_PER_SECTION), no page where the model\'s pfn_to_online_page() returns NULL, and a page where it returns one', () => {
		expect(readable, '/proc/kpageflags is readable only by root on Linux: run the tests as root').toBe(true);
		const capture = captureLive({sysroot: '/', isRoot: true, tools: true});
		const {topology} = importCapture({kind: 'capture', label: 'this-machine', files: capture.files});
		const model = buildModel(topology);
		const flags = readKpageflags();
		const eof = flags.length / 2;
		const section = model.geometry.PAGES_PER_SECTION;
		expect(eof).toBe(Math.ceil(model.max_pfn / section) * section);

		const disagreements: string[] = [];
		let compared = 0;
		for (const run of model.runs) {
			const end = Math.min(run.end, eof);
			const page = run.state.predicates.pfn_to_online_page;
			for (let pfn = run.start; pfn < end; pfn++) {
				const lo = flags[2 * pfn]!;
				const hi = flags[2 * pfn + 1]!;
				const none = (lo === 0 || lo === KPF_NOPAGE) && hi === 0;
				// A page of online memory never reads KPF_NOPAGE; it may read 0 (deferred memmap init).
				const disagree = page ? lo === KPF_NOPAGE && hi === 0 : !none;
				if (disagree && disagreements.length < 5) {
					disagreements.push(`pfn 0x${pfn.toString(16)}: kernel 0x${hi.toString(16)}${lo.toString(16).padStart(8, '0')}, model pfn_to_online_page() ${page ? 'a page' : 'NULL'} (${run.state.category})`);
				}

				compared++;
			}
		}

		expect(disagreements).toEqual([]);
		expect(compared).toBe(eof);
	});
});
