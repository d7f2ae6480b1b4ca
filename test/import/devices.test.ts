/**
ZONE_DEVICE from a capture made by hand from a public sample (test/fixtures/samples/
ndctl-create-list-fsdax-map-dev-and-iomem-cxl-pmem-qemu.txt: four fsdax map=dev namespaces on two
CXL pmem regions of a QEMU guest, their `ndctl create-namespace` output with -u human units, an
`ndctl list` without -u, and /proc/iomem). The sample's guest RAM is not in it: the capture adds a
made-up e820 map of 2 GiB so that the import has boot memory.

Map of the CXL window (iomem):
  0xa90000000  namespace0.0  128 MiB  region0
  0xa98000000  namespace0.1  256 MiB  region0
  0xab0000000  namespace1.0  256 MiB  region1
  0xac0000000  namespace1.1  128 MiB  region1
*/
import {describe, expect, it} from 'vitest';
import {importCapture} from '../../source/import/index.js';
import {buildModel} from '../../source/model/build.js';
import type {Topology} from '../../source/topology/types.js';
import {fixture} from './helpers.js';

const SAMPLE = fixture('samples/ndctl-create-list-fsdax-map-dev-and-iomem-cxl-pmem-qemu.txt');
const MiB = 2 ** 20;
const lines = SAMPLE.split('\n');

/** /proc/iomem as the sample shows it after `cat /proc/iomem`, the mail's leading tab removed. */
const IOMEM = lines.slice(lines.findIndex(l => l.includes('cat /proc/iomem')) + 1).filter(l => /^\t *[\da-f]+-[\da-f]+ : /.test(l)).map(l => l.slice(1)).join('\n');
/** The four `ndctl create-namespace` outputs (-u: "124.00 MiB (130.02 MB)"), as one listing. */
const CREATED = `[\n${SAMPLE.split(/\n\t\{\n/).slice(1).map(part => `{\n${part.slice(0, part.indexOf('\n\t}'))}\n}`).join(',\n')}\n]\n`;
/** `ndctl list` without -u (sizes in bytes), taken before the guest restarted. */
const LISTED = (() => {
	const start = lines.findIndex(l => l.trim() === '[');
	const end = lines.findIndex((l, i) => i > start && l.trim() === ']');
	return `${lines.slice(start, end + 1).map(l => l.slice(1)).join('\n')}\n`;
})();
const E820 = '[    0.000000] BIOS-e820: [mem 0x0000000000100000-0x000000007fffffff] usable\n';

function capture(ndctl: string): Array<{name: string; text: string}> {
	return [
		{name: 'proc/iomem', text: `${IOMEM}\n`},
		{name: 'dmesg.txt', text: E820},
		{name: 'ndctl-list.json', text: ndctl},
		{name: 'proc/sys/kernel/osrelease', text: '6.12.118+deb12-amd64\n'},
	];
}

const devices = (t: Topology): string[] =>
	t.memory.flatMap(e => (e.kind === 'device' ? [`${e.type} 0x${e.start.toString(16)}-0x${e.end.toString(16)} ${e.altmap ? `altmap reserve ${e.altmap.reserve} free 0x${e.altmap.free.toString(16)}` : 'no altmap'}`] : []));

describe('fsdax map=dev namespaces from ndctl and /proc/iomem', () => {
	it('A test that imports the four namespaces with ndctl -u human sizes ("124.00 MiB", "250.00 MiB": exact). Expect each altmap from the real data offset (4 MiB, 6 MiB): reserve = the 8K info block (2 pfns), free = the rest', () => {
		expect(CREATED.match(/"size":"[^"]+"/g)).toEqual(['"size":"124.00 MiB (130.02 MB)"', '"size":"250.00 MiB (262.14 MB)"', '"size":"250.00 MiB (262.14 MB)"', '"size":"124.00 MiB (130.02 MB)"']);
		const result = importCapture({kind: 'capture', label: 'cxl-pmem', files: capture(CREATED)});
		expect(devices(result.topology)).toEqual([
			'fsdax 0xa90000000-0xa98000000 altmap reserve 2 free 0x3fe', // 128 MiB - 124 MiB = 4 MiB = 0x400 pfns
			'fsdax 0xa98000000-0xaa8000000 altmap reserve 2 free 0x5fe', // 256 MiB - 250 MiB = 6 MiB
			'fsdax 0xab0000000-0xac0000000 altmap reserve 2 free 0x5fe',
			'fsdax 0xac0000000-0xac8000000 altmap reserve 2 free 0x3fe',
		]);
		expect(result.text).toMatch(/ {2}# proc\/iomem:4, ndctl-list\.json:3 — namespace0\.0 fsdax map=dev: data offset 0x400000 \(namespace 0x8000000 bytes, ndctl size 0x7c00000\)\n {2}- kind: device\n {4}type: fsdax\n {4}start: 0xa_9000_0000/);
		expect(result.warnings).toEqual([]);
		expect(buildModel(result.topology).pgmaps).toHaveLength(4);
	});

	it('A test that imports the same iomem with the `ndctl list` of another boot (bytes, no -u), where namespace0.0 and namespace0.1 had each other\'s sizes. Expect region1\'s namespaces as with -u, and region0\'s altmaps free: auto with a warning naming both files', () => {
		expect(LISTED).toMatch(/"size":262144000/);
		const result = importCapture({kind: 'capture', label: 'cxl-pmem', files: capture(LISTED)});
		expect(devices(result.topology).slice(2)).toEqual(['fsdax 0xab0000000-0xac0000000 altmap reserve 2 free 0x5fe', 'fsdax 0xac0000000-0xac8000000 altmap reserve 2 free 0x3fe']);
		expect(result.text).toMatch(/namespace0\.0 fsdax map=dev: data offset as nd_pfn_init\(\) computes it \(free: auto\)\n {2}- kind: device\n {4}type: fsdax\n {4}start: 0xa_9000_0000\n {4}end: 0xa_9800_0000\n {4}altmap: \{\}/);
		expect(result.warnings.map(w => `${w.file}:${w.line}: ${w.message}`)).toEqual([
			expect.stringMatching(/^ndctl-list\.json:\d+: namespace0\.0: ndctl's usable size 0xfa00000 does not fit the namespace's 0x8000000 bytes in proc\/iomem:4 .*different boots/),
			// 256 MiB - 124 MiB would be a 132 MiB data offset: more than a section-aligned memmap of 256 MiB.
			expect.stringMatching(/^ndctl-list\.json:\d+: namespace0\.1: ndctl's usable size 0x7c00000 does not fit the namespace's 0x10000000 bytes in proc\/iomem:5 .*different boots/),
		]);
	});

	it('A test that imports a namespace whose -u size is rounded ("123.04 GiB"). Expect altmap free: auto (the layout of nd_pfn_init() at 2 MiB: 8K + 64 bytes per page = 0x80200 pfns) and a warning that -u sizes are rounded', () => {
		const ndctl = '{"dev":"namespace0.0","mode":"fsdax","map":"dev","size":"123.04 GiB (132.12 GB)","numa_node":0}\n';
		const iomem = '100000000-1ffffffff : System RAM\n2000000000-3fffffffff : Persistent Memory\n  2000000000-3fffffffff : namespace0.0\n';
		const result = importCapture({kind: 'capture', label: 'm', files: [{name: 'proc/iomem', text: iomem}, {name: 'dmesg.txt', text: '[0.0] BIOS-e820: [mem 0x0000000100000000-0x00000001ffffffff] usable\n'}, {name: 'ndctl-list.json', text: ndctl}]});
		expect(devices(result.topology)).toEqual(['fsdax 0x2000000000-0x4000000000 altmap reserve 2 free 0x801fe']);
		expect(result.warnings.map(w => w.message)).toContainEqual(expect.stringMatching(/namespace0\.0: the real data offset is not in the capture \(ndctl -u sizes are rounded\): altmap free: auto/));
	});
});
