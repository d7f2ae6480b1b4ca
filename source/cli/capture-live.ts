/**
`pfnaudit capture`: a capture (docs/capture-format.md) of the machine it runs on — its own files
copied under their own paths, the boot log and the tools' JSON — and, for everything that could not
be read, why (not root, tool not installed, not in the kernel). The command layer's half; the files
it writes are what scripts/pfnaudit-capture.sh writes.

`sysroot` reads another root (a mounted image, a test fixture) the way lsmem --sysroot does.
*/
import {spawnSync} from 'node:child_process';
import {readdirSync, readFileSync} from 'node:fs';
import path from 'node:path';

export type CapturedFile = {readonly name: string; readonly text: string};
export type Missing = {readonly name: string; readonly why: string};
export type LiveCapture = {readonly files: CapturedFile[]; readonly missing: Missing[]};

export type RunTool = (command: string, args: readonly string[]) => {status: number | null; stdout: string; stderr: string; missing: boolean};

export const runTool: RunTool = (command, args) => {
	const result = spawnSync(command, args, {encoding: 'utf8', maxBuffer: 256 * 2 ** 20, timeout: 60_000});
	const missing = (result.error as NodeJS.ErrnoException | undefined)?.code === 'ENOENT';
	return {status: result.status, stdout: result.stdout ?? '', stderr: result.stderr ?? '', missing};
};

const PLAIN = ['proc/iomem', 'proc/zoneinfo', 'proc/cmdline', 'proc/sys/kernel/osrelease'];
const BLOCK_FILES = ['phys_index', 'state', 'valid_zones', 'removable', 'phys_device'];

/** The tools whose output a capture holds, with the Debian package that has them. */
const TOOLS: ReadonlyArray<{name: string; command: string; args: string[]; package: string}> = [
	{name: 'ndctl-list.json', command: 'ndctl', args: ['list', '-RNDi'], package: 'ndctl'},
	{name: 'daxctl-list.json', command: 'daxctl', args: ['list', '-RDiM'], package: 'daxctl'},
	{name: 'cxl-list.json', command: 'cxl', args: ['list', '-v'], package: 'cxl, or ndctl from source: not every distribution packages the cxl CLI'},
	{name: 'lsmem.txt', command: 'lsmem', args: ['-a', '-o', 'RANGE,SIZE,STATE,REMOVABLE,BLOCK,NODE,ZONES'], package: 'util-linux'},
];

function why(error: unknown, root: boolean): string {
	const code = (error as NodeJS.ErrnoException).code;
	if (code === 'ENOENT') {
		return 'not present on this kernel';
	}

	if (code === 'EACCES' || code === 'EPERM') {
		return root ? `permission denied (${code})` : 'needs root (run pfnaudit capture as root)';
	}

	return `cannot be read (${code ?? String(error)})`;
}

export function captureLive(options: {sysroot: string; isRoot: boolean; tools: boolean; run?: RunTool}): LiveCapture {
	const {sysroot, isRoot} = options;
	const run = options.run ?? runTool;
	const files: CapturedFile[] = [];
	const missing: Missing[] = [];
	const read = (name: string): string | undefined => {
		try {
			return readFileSync(path.join(sysroot, name), 'utf8');
		} catch (error) {
			missing.push({name, why: why(error, isRoot)});
			return undefined;
		}
	};

	for (const name of PLAIN) {
		const text = read(name);
		if (text !== undefined) {
			files.push({name, text});
			if (name === 'proc/iomem' && /^\s*0+-0+ : /m.test(text) && !/^\s*0*[1-9a-f][\da-f]*-/m.test(text)) {
				missing.push({name, why: 'every address is 0: /proc/iomem shows addresses only to root (written anyway; import refuses it)'});
			}
		}
	}

	const memory = 'sys/devices/system/memory';
	for (const name of ['block_size_bytes', 'auto_online_blocks']) {
		const text = read(`${memory}/${name}`);
		if (text !== undefined) {
			files.push({name: `${memory}/${name}`, text});
		}
	}

	let blocks: string[] = [];
	try {
		blocks = readdirSync(path.join(sysroot, memory)).filter(n => /^memory\d+$/.test(n));
	} catch (error) {
		missing.push({name: `${memory}/memoryN`, why: `${why(error, isRoot)} (no CONFIG_MEMORY_HOTPLUG?)`});
	}

	for (const block of blocks.sort((a, b) => Number(a.slice(6)) - Number(b.slice(6)))) {
		for (const name of BLOCK_FILES) {
			try {
				files.push({name: `${memory}/${block}/${name}`, text: readFileSync(path.join(sysroot, memory, block, name), 'utf8')});
			} catch (error) {
				// valid_zones of a block spanning zones is readable; a missing attribute is not an error of the capture
				if ((error as NodeJS.ErrnoException).code !== 'ENOENT') {
					missing.push({name: `${memory}/${block}/${name}`, why: why(error, isRoot)});
				}
			}
		}
	}

	const node = 'sys/devices/system/node';
	try {
		for (const dir of readdirSync(path.join(sysroot, node)).filter(n => /^node\d+$/.test(n))) {
			for (const member of readdirSync(path.join(sysroot, node, dir)).filter(n => /^memory\d+$/.test(n))) {
				files.push({name: `${node}/${dir}/${member}`, text: ''});
			}
		}
	} catch (error) {
		missing.push({name: `${node}/nodeN/memoryM`, why: why(error, isRoot)});
	}

	// libnvdimm's sysfs: each namespace's mode and the pfn/dax device claiming it, for machines
	// without ndctl (import reads them as it reads ndctl list). Unreadable attributes are skipped.
	const nd = 'sys/bus/nd/devices';
	let ndDevices: string[] = [];
	try {
		ndDevices = readdirSync(path.join(sysroot, nd)).filter(n => /^(?:namespace|pfn|dax)\d+\.\d+$/.test(n)).sort();
	} catch {
		// no libnvdimm loaded: nothing to capture, and nothing missing
	}

	for (const dev of ndDevices) {
		for (const name of ['mode', 'resource', 'size', 'align', 'namespace', 'numa_node']) {
			try {
				files.push({name: `${nd}/${dev}/${name}`, text: readFileSync(path.join(sysroot, nd, dev, name), 'utf8')});
			} catch {
				// an attribute this device does not have, or one that cannot be read in its state (a seed's resource)
			}
		}
	}

	// debugfs memblock/memory and memblock/reserved (CONFIG_DEBUG_FS with CONFIG_ARCH_KEEP_MEMBLOCK:
	// arm64 keeps memblock after boot, x86 does not): memblock.memory with its NOMAP flags from 6.12.
	const debug = 'sys/kernel/debug';
	let debugEntries: string[] | undefined;
	try {
		debugEntries = readdirSync(path.join(sysroot, debug));
	} catch (error) {
		missing.push({name: `${debug}/memblock`, why: why(error, isRoot)});
	}

	if (debugEntries?.includes('memblock')) {
		for (const name of ['memory', 'reserved']) {
			const text = read(`${debug}/memblock/${name}`);
			if (text !== undefined) {
				files.push({name: `${debug}/memblock/${name}`, text});
			}
		}
	} else if (debugEntries !== undefined) {
		missing.push({name: `${debug}/memblock`, why: debugEntries.length === 0 ? `debugfs is not mounted (mount -t debugfs none /${debug})` : 'not present on this kernel (needs CONFIG_DEBUG_FS and CONFIG_ARCH_KEEP_MEMBLOCK, which arm64 selects and x86 does not)'});
	}

	if (!options.tools) {
		missing.push({name: 'dmesg.txt and the tools\' listings', why: 'not run (--sysroot reads files only)'});
		return {files, missing};
	}

	// The boot log: the kernel ring buffer, or the journal when the ring buffer has wrapped.
	const dmesg = run('dmesg', []);
	if (dmesg.status === 0 && /Linux version/.test(dmesg.stdout)) {
		files.push({name: 'dmesg.txt', text: dmesg.stdout});
	} else {
		const journal = run('journalctl', ['-k', '-b', '--no-pager', '-o', 'short-monotonic']);
		if (journal.status === 0 && /Linux version/.test(journal.stdout)) {
			files.push({name: 'dmesg.txt', text: journal.stdout});
		} else if (dmesg.status === 0 && dmesg.stdout !== '') {
			files.push({name: 'dmesg.txt', text: dmesg.stdout});
			missing.push({name: 'dmesg.txt', why: 'the ring buffer no longer holds the boot lines (no "Linux version" line) and the journal has none: e820/node ranges are missing'});
		} else {
			missing.push({name: 'dmesg.txt', why: dmesg.missing ? 'dmesg is not installed (util-linux)' : (isRoot ? `dmesg failed: ${dmesg.stderr.trim().split('\n')[0] ?? ''}` : 'needs root (kernel.dmesg_restrict)')});
		}
	}

	for (const tool of TOOLS) {
		const result = run(tool.command, tool.args);
		if (result.missing) {
			missing.push({name: tool.name, why: `${tool.command} is not installed (apt-get install ${tool.package})`});
		} else if (result.status !== 0) {
			missing.push({name: tool.name, why: `${tool.command} ${tool.args.join(' ')} failed: ${result.stderr.trim().split('\n')[0] ?? `exit ${result.status}`}`});
		} else if (result.stdout.trim() === '') {
			missing.push({name: tool.name, why: `${tool.command} listed nothing (no such devices)`});
		} else {
			files.push({name: tool.name, text: result.stdout});
		}
	}

	return {files, missing};
}
