/**
libnvdimm's sysfs as a capture holds it (source/import/nd-sysfs.ts): what `ndctl list -N` would say
of each namespace, for captures made without ndctl. Small maps of one NFIT region at 0xc000_0000
(512 MiB):

  0xc0000 raw namespace0.0 at boot (no pfn device claims it: no pages) 0xe0000
  0xc0000 info + memmap | 0xc0a00 data of dax0.0 (mode pmem: map=dev)  0xe0000
*/
import {describe, expect, it} from 'vitest';
import {collectCapture} from '../../source/import/collect.js';
import {importCapture} from '../../source/import/index.js';

const base = (extra: Record<string, string>) => [
	{name: 'proc/sys/kernel/osrelease', text: '6.12.118+deb12-arm64\n'},
	{name: 'dmesg.txt', text: '[    0.000000] Early memory node ranges\n[    0.000000]   node   0: [mem 0x0000000040000000-0x00000000bcffffff]\n'},
	...Object.entries(extra).map(([name, text]) => ({name, text})),
];

describe('libnvdimm sysfs', () => {
	it('A test that reads a raw namespace (mode raw, the seeds unclaimed). Expect it listed as raw and no device imported: a raw NFIT namespace has no struct pages', () => {
		const files = base({
			'proc/iomem': '40000000-bcffffff : System RAM\nc0000000-dfffffff : Persistent Memory\n  c0000000-dfffffff : namespace0.0\n',
			'sys/bus/nd/devices/namespace0.0/mode': 'raw\n',
			'sys/bus/nd/devices/dax0.0/namespace': '\n',
			'sys/bus/nd/devices/dax0.0/mode': 'none\n',
			'sys/bus/nd/devices/pfn0.0/namespace': '\n',
		});
		expect(collectCapture(files).ndSysfs?.map(n => [n.dev, n.mode, n.map])).toEqual([['namespace0.0', 'raw', undefined]]);
		const result = importCapture({kind: 'capture', label: 'raw', files});
		expect(result.topology.memory.filter(e => e.kind === 'device')).toEqual([]);
		expect(result.warnings.map(w => w.message).join('\n')).not.toMatch(/guessed/);
	});

	it('A test that reads a devdax namespace whose dax0.0 has its memmap in the namespace (mode pmem). Expect devdax map=dev, the usable size exact, and the altmap from where dax0.0 starts: 0xa00000 in, the 8K info block (2 pages) and 2558 pages of memmap', () => {
		const files = base({
			'proc/iomem': '40000000-bcffffff : System RAM\nc0000000-dfffffff : Persistent Memory\n  c0000000-c09fffff : namespace0.0\n  c0a00000-dfffffff : dax0.0\n',
			'sys/bus/nd/devices/namespace0.0/mode': 'dax\n',
			'sys/bus/nd/devices/namespace0.0/numa_node': '0\n',
			'sys/bus/nd/devices/dax0.0/namespace': 'namespace0.0\n',
			'sys/bus/nd/devices/dax0.0/mode': 'pmem\n',
			'sys/bus/nd/devices/dax0.0/size': '526385152\n',
			'sys/bus/nd/devices/dax0.0/align': '2097152\n',
		});
		expect(collectCapture(files).ndSysfs).toEqual([expect.objectContaining({dev: 'namespace0.0', mode: 'devdax', map: 'dev', size: {bytes: 0x2000_0000 - 0xa0_0000, approximate: false}, align: 0x20_0000, numa_node: 0, chardev: 'dax0.0'})]);
		const device = importCapture({kind: 'capture', label: 'dax', files}).topology.memory.find(e => e.kind === 'device');
		expect(device).toMatchObject({type: 'devdax', start_pfn: 0xc_0000, end_pfn: 0xe_0000, altmap: {reserve: 2, free: 2558}});
	});
});
