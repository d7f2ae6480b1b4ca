/**
The kernel modules a guest loads, in load order, from the kernel package's own modules.dep
(kmod's depmod format: `kernel/drivers/nvdimm/nd_pmem.ko.xz: kernel/drivers/nvdimm/nd_btt.ko.xz
kernel/drivers/nvdimm/libnvdimm.ko.xz`, a module's whole dependency closure) and modules.builtin
(modules built into the image: nothing to load). Pure: the caller reads the files.
*/
import {InputError} from '../../errors/input-error.js';

/** `nd_pmem` of `kernel/drivers/nvdimm/nd_pmem.ko.xz`; module names treat `-` and `_` alike (kmod's modname_normalize()). */
export function moduleName(file: string): string {
	const base = file.slice(file.lastIndexOf('/') + 1);
	return base.replace(/\.ko(?:\.(?:xz|zst|gz))?$/, '').replaceAll('-', '_');
}

export type ModulesDep = ReadonlyMap<string, {readonly path: string; readonly deps: readonly string[]}>;

export function parseModulesDep(text: string): ModulesDep {
	const out = new Map<string, {path: string; deps: string[]}>();
	for (const line of text.split('\n')) {
		const colon = line.indexOf(':');
		if (colon <= 0) {
			continue;
		}

		const file = line.slice(0, colon).trim();
		const deps = line.slice(colon + 1).trim().split(/\s+/).filter(d => d !== '');
		out.set(moduleName(file), {path: file, deps});
	}

	return out;
}

export function parseModulesBuiltin(text: string): Set<string> {
	return new Set(text.split('\n').filter(l => l.trim() !== '').map(l => moduleName(l.trim())));
}

/**
The module files to insmod, dependencies first, each once: what `modprobe -a wanted…` would load.
A wanted module built into the kernel is skipped; one that is neither is refused.
*/
export function moduleLoadOrder(wanted: readonly string[], dep: ModulesDep, builtin: ReadonlySet<string>, release: string): string[] {
	const order: string[] = [];
	const seen = new Set<string>();
	const visit = (name: string, chain: readonly string[]) => {
		const normal = name.replaceAll('-', '_');
		if (seen.has(normal)) {
			return;
		}

		const entry = dep.get(normal);
		if (entry === undefined) {
			if (builtin.has(normal)) {
				seen.add(normal);
				return;
			}

			throw new InputError(`kernel ${release} has no module ${normal}${chain.length > 0 ? ` (needed by ${chain.join(' → ')})` : ''} in its modules.dep or modules.builtin: the recipe cannot be realised on this kernel`);
		}

		seen.add(normal);
		// modules.dep lists the closure; the last one must load first. Visiting each keeps the order right.
		for (const d of [...entry.deps].reverse()) {
			visit(moduleName(d), [...chain, normal]);
		}

		order.push(entry.path);
	};

	for (const name of wanted) {
		visit(name, []);
	}

	return order;
}
