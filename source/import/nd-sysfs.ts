/**
libnvdimm's sysfs (/sys/bus/nd/devices/), for a capture made where ndctl is not installed (the
arm64 guest of `pfnaudit reproduce`): per namespace what `ndctl list -N` would say, from the
attributes ndctl itself reads.
- `namespaceX.Y/mode` (drivers/nvdimm/namespace_devs.c mode_show() [V 6.1, 6.12]): `raw`, `safe`
  (a btt claims it), `memory` (a pfn device claims it, or a legacy region maps it: fsdax), `dax`.
- `pfnX.Y` / `daxX.Y` (drivers/nvdimm/pfn_devs.c, claim.c [V 6.1, 6.12]): `namespace` (the claimed
  namespace's name, empty for a seed), `mode` (`ram`: the memmap in System RAM, ndctl's map=mem;
  `pmem`: in the namespace, map=dev; `none`), `size` (the usable data size, decimal bytes: the
  namespace less start_pad, end_trunc and the data offset), `align` (decimal bytes).
- `namespaceX.Y/numa_node` (decimal, -1 for none).
*/
import type {NdNamespace} from './tool-json.js';

export const ND_DIR = 'sys/bus/nd/devices/';
export const ND_FILE = /^sys\/bus\/nd\/devices\/((?:namespace|pfn|dax|btt)\d+\.\d+)\/(mode|resource|size|align|namespace|numa_node)$/;

/** devices: name → attribute → text. */
export function ndNamespacesFromSysfs(devices: ReadonlyMap<string, ReadonlyMap<string, string>>): NdNamespace[] {
	const out: NdNamespace[] = [];
	const attr = (dev: string, name: string): string | undefined => devices.get(dev)?.get(name)?.trim();
	const decimal = (text: string | undefined): number | undefined => (text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined);
	for (const dev of [...devices.keys()].filter(n => n.startsWith('namespace')).sort()) {
		const own = attr(dev, 'mode');
		if (own === undefined) {
			continue;
		}

		const claim = [...devices.keys()].find(n => (n.startsWith('pfn') || n.startsWith('dax')) && attr(n, 'namespace') === dev);
		const location = claim === undefined ? undefined : attr(claim, 'mode');
		const mode = claim?.startsWith('dax') ? 'devdax' : claim?.startsWith('pfn') ? 'fsdax' : ({raw: 'raw', safe: 'sector', memory: 'fsdax', dax: 'devdax'} as Record<string, string>)[own] ?? own;
		const map = location === 'pmem' ? 'dev' : location === 'ram' || (claim === undefined && own === 'memory') ? 'mem' : undefined;
		const size = claim === undefined ? undefined : decimal(attr(claim, 'size'));
		const node = attr(dev, 'numa_node');
		out.push({
			file: `${ND_DIR}${claim ?? dev}/mode`,
			line: 1,
			dev,
			mode,
			map,
			size: size === undefined ? undefined : {bytes: size, approximate: false},
			align: claim === undefined ? undefined : decimal(attr(claim, 'align')),
			chardev: claim?.startsWith('dax') ? claim : undefined,
			blockdev: undefined,
			numa_node: node !== undefined && /^\d+$/.test(node) ? Number(node) : undefined,
			state: undefined,
		});
	}

	return out;
}
