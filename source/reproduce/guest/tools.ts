/**
Running the host tools the guest side needs (apt-get, dpkg-deb, cpio, gcc, qemu-system-x86_64),
and the one error a missing tool gives: an InputError (exit 2) that says which Debian package to
install.
*/
import {execFile, spawnSync} from 'node:child_process';
import {accessSync, constants} from 'node:fs';
import path from 'node:path';
import {InputError} from '../../errors/input-error.js';

/** Everything `--run` needs from Debian, as one command. */
export const INSTALL_HINT = 'apt-get install qemu-system-x86 busybox-static ndctl daxctl kmod cpio gcc libc6-dev (arm64 guests: qemu-system-arm device-tree-compiler gcc-aarch64-linux-gnu libc6-dev-arm64-cross xz-utils, after dpkg --add-architecture arm64 && apt-get update)';

/** The Debian package of each tool the guest side runs or copies into the initramfs. */
export const TOOL_PACKAGES: Readonly<Record<string, string>> = {
	'qemu-system-x86_64': 'qemu-system-x86',
	'qemu-system-aarch64': 'qemu-system-arm',
	dtc: 'device-tree-compiler',
	'aarch64-linux-gnu-gcc': 'gcc-aarch64-linux-gnu',
	depmod: 'kmod',
	xz: 'xz-utils',
	busybox: 'busybox-static',
	ndctl: 'ndctl',
	daxctl: 'daxctl',
	kmod: 'kmod',
	cpio: 'cpio',
	gcc: 'gcc',
	'apt-get': 'apt',
	'dpkg-deb': 'dpkg',
	ldd: 'libc-bin',
	tar: 'tar',
};

/** The absolute path of `name` on PATH (plus the sbin directories), or undefined. */
export function whichTool(name: string): string | undefined {
	const dirs = [...(process.env['PATH'] ?? '').split(':'), '/usr/sbin', '/sbin', '/usr/bin', '/bin'];
	for (const dir of dirs) {
		if (dir === '') {
			continue;
		}

		const candidate = path.join(dir, name);
		try {
			accessSync(candidate, constants.X_OK);
			return candidate;
		} catch {
			// next
		}
	}

	return undefined;
}

export function missingTool(name: string, why = 'is not installed'): InputError {
	const pkg = TOOL_PACKAGES[name] ?? name;
	return new InputError(`${name} ${why}: pfnaudit reproduce --run needs it (package ${pkg}); install everything it needs with: ${INSTALL_HINT}`);
}

export function requireTool(name: string): string {
	const found = whichTool(name);
	if (found === undefined) {
		throw missingTool(name);
	}

	return found;
}

export type RunResult = {readonly stdout: string; readonly stderr: string};

/** Run a tool to completion; a non-zero exit rejects with its stderr's last lines. */
export function run(file: string, args: readonly string[], options: {cwd?: string; signal?: AbortSignal; maxBuffer?: number} = {}): Promise<RunResult> {
	return new Promise((resolve, reject) => {
		execFile(file, [...args], {cwd: options.cwd, signal: options.signal, maxBuffer: options.maxBuffer ?? 64 * 2 ** 20, encoding: 'utf8'}, (error, stdout, stderr) => {
			if (error) {
				const tail = String(stderr).trim().split('\n').slice(-3).join(' / ');
				reject(Object.assign(new Error(`${path.basename(file)} ${args.join(' ')} failed${tail === '' ? `: ${error.message}` : `: ${tail}`}`), {cause: error, code: (error as NodeJS.ErrnoException).code}));
				return;
			}

			resolve({stdout: String(stdout), stderr: String(stderr)});
		});
	});
}

/** `ldd FILE`: the shared libraries a dynamic executable loads (absolute paths), none for a static one. */
export function sharedLibraries(file: string): string[] {
	const result = spawnSync(requireTool('ldd'), [file], {encoding: 'utf8'});
	if (result.status !== 0) {
		// "not a dynamic executable"
		return [];
	}

	const libs: string[] = [];
	for (const line of result.stdout.split('\n')) {
		const arrow = /=>\s+(\/\S+)/.exec(line);
		const bare = /^\s*(\/\S+)\s+\(/.exec(line);
		const lib = arrow?.[1] ?? bare?.[1];
		if (lib !== undefined) {
			libs.push(lib);
		}
	}

	return libs;
}
