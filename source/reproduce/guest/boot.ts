/**
bootGuest(): a GuestPlan booted on Debian's kernel under QEMU (issue 9). The kernel package comes
from apt (./kernel.ts), the initramfs is built from Debian's binaries (./initramfs.ts), QEMU runs
the pc machine of the plan under TCG, with a hard time limit, and the captures come back as a tar archive on a
raw virtio disk. KVM is not used: a broken /dev/kvm (nested, missing CPU features) stops the
guest with "KVM internal error" and QEMU hangs instead of falling back. An abort (Ctrl+C) or the time limit kills QEMU; the work directory is removed on
every way out except success, where it holds the captures until the caller removes it.
*/
import {spawn} from 'node:child_process';
import {closeSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, openSync, readFileSync, rmSync, createReadStream, createWriteStream, ftruncateSync, writeFileSync} from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {pipeline} from 'node:stream/promises';
import {InputError} from '../../errors/input-error.js';
import {addReservedMemory} from '../recipe-arm64.js';
import type {BootOptions, BootResult} from '../types.js';
import {LABELS_FILE, MARK} from './init.js';
import {buildBaseInitramfs, buildPlanInitramfs} from './initramfs.js';
import {fetchKernel} from './kernel.js';
import {requireTool, run} from './tools.js';

/** The default cache: $XDG_CACHE_HOME/pfnaudit, else ~/.cache/pfnaudit. */
export function defaultCacheDir(): string {
	const xdg = process.env['XDG_CACHE_HOME'];
	return path.join(xdg !== undefined && xdg !== '' ? xdg : path.join(os.homedir(), '.cache'), 'pfnaudit');
}

/** The disk the guest writes its tar archive to (sparse). */
const DISK_BYTES = 256 * 2 ** 20;

export type GuestBootOptions = BootOptions & {
	/** Where the work directory goes (default: the OS temp directory). */
	readonly tmpDir?: string;
};

export type GuestBootResult = BootResult & {
	/** The work directory that holds the captures; the caller removes it (removeBoot()). */
	readonly workDir: string;
	/** QEMU's command line, for --debug. */
	readonly qemuArgs: readonly string[];
};

export function removeBoot(result: {workDir: string}): void {
	rmSync(result.workDir, {recursive: true, force: true});
}

/**
`6.12.118` from `/proc/version`: the package version after `#1 SMP … Debian` (`Debian
6.12.118-1~deb12u1`, `Debian 6.1.192-3`; the compiler's `(Debian 12.2.0-14)` comes before the
`#`), else the release's leading numbers.
*/
export function versionOf(procVersion: string, release: string): string {
	const debian = /#\d+\b.*\bDebian (\d+\.\d+\.\d+)/.exec(procVersion);
	if (debian) {
		return debian[1]!;
	}

	return /^(\d+\.\d+(?:\.\d+)?)/.exec(release)?.[1] ?? release;
}

export async function bootGuest(options: GuestBootOptions): Promise<GuestBootResult> {
	const started = Date.now();
	const progress = options.onProgress ?? (() => undefined);
	const {plan, signal} = options;
	const cacheDir = options.cacheDir ?? defaultCacheDir();
	const arm64 = plan.arch !== 'x86_64';
	const qemu = requireTool(arm64 ? 'qemu-system-aarch64' : 'qemu-system-x86_64');
	requireTool('tar');
	signal?.throwIfAborted();
	mkdirSync(cacheDir, {recursive: true});
	const workDir = mkdtempSync(path.join(options.tmpDir ?? os.tmpdir(), 'pfnaudit-reproduce-'));
	let ok = false;
	try {
		const kernel = await fetchKernel(plan.kernel, cacheDir, progress, signal, plan.arch);
		const base = await buildBaseInitramfs(kernel, plan.modules, cacheDir, progress, signal, plan.arch);
		let probeModule = options.probeModule;
		let probeMissing: string | undefined;
		if (probeModule === undefined && options.probe === true) {
			if (options.buildProbe === undefined) {
				probeMissing = 'no probe module builder was given';
			} else {
				const built = await options.buildProbe(kernel.release);
				if (built.kind === 'built') {
					probeModule = built.ko;
				} else {
					probeMissing = built.reason;
					progress(`no probe module: ${built.reason}; the comparison falls back to /proc/kpageflags`);
				}
			}
		}

		const planArchive = await buildPlanInitramfs(plan, probeModule, workDir, signal);
		const initrd = path.join(workDir, 'initrd.cpio');
		await pipeline(createReadStream(base.file), createWriteStream(initrd));
		await pipeline(createReadStream(planArchive), createWriteStream(initrd, {flags: 'a'}));
		const disk = path.join(workDir, 'captures.img');
		const fd = openSync(disk, 'w');
		ftruncateSync(fd, DISK_BYTES);
		closeSync(fd);

		// no_timer_check (x86): under TCG on a loaded host the IO-APIC timer check (arch/x86/kernel/apic/io_apic.c
		// timer_irq_works(), 6.1 and 6.12) can see too few ticks and panic "IO-APIC + timer doesn't work!";
		// the check only chooses the timer's IRQ route, nothing of the memory layout.
		const append = [arm64 ? 'console=ttyAMA0' : 'console=ttyS0', ...plan.cmdline, 'quiet', 'log_buf_len=4M', 'panic=-1', ...(arm64 ? [] : ['no_timer_check'])].join(' ');
		const bootArgs = [
			'-accel', 'tcg',
			'-smp', '1',
			...plan.machineArgs,
			'-kernel', kernel.vmlinuz,
			'-initrd', initrd,
			'-append', append,
			// The virt machine's virtio-blk would be virtio-mmio (a module on Debian's arm64): PCI, as on pc.
			...(arm64 ? ['-drive', `file=${disk},if=none,format=raw,id=captures`, '-device', 'virtio-blk-pci,drive=captures'] : ['-drive', `file=${disk},if=virtio,format=raw`]),
			'-display', 'none',
			'-monitor', 'none',
			'-serial', 'stdio',
			'-no-reboot',
		];
		if (plan.firmware !== undefined) {
			// UEFI: the firmware as read-only pflash 0, a copy of the variable store template as pflash 1 (the firmware writes it).
			for (const file of [plan.firmware.code, plan.firmware.vars]) {
				if (!existsSync(file)) {
					throw new InputError(`${file} is missing: booting an arm64 guest under UEFI needs Debian's AAVMF firmware (apt-get install qemu-efi-aarch64)`);
				}
			}

			const vars = path.join(workDir, 'AAVMF_VARS.fd');
			copyFileSync(plan.firmware.vars, vars);
			bootArgs.push('-drive', `if=pflash,format=raw,readonly=on,file=${plan.firmware.code}`, '-drive', `if=pflash,format=raw,file=${vars}`);
		}

		const qemuArgs = plan.reservedNomap === undefined ? bootArgs : await withNomapDtb(qemu, bootArgs, plan.reservedNomap, workDir, signal);
		progress(`booting ${kernel.release} under QEMU (TCG), time limit ${Math.round(options.timeoutMs / 1000)} s`);
		const {serialLog, procVersion, failure} = await runQemu(qemu, qemuArgs, options.timeoutMs, progress, signal, path.basename(qemu));
		if (failure !== undefined) {
			throw new GuestFailure(`the guest failed: ${failure}`, serialLog);
		}

		const outDir = path.join(workDir, 'captures');
		mkdirSync(outDir);
		await run(requireTool('tar'), ['-x', '-f', disk, '-C', outDir, '--no-same-owner', '--no-same-permissions'], {signal});
		const labelsFile = path.join(outDir, LABELS_FILE);
		if (!existsSync(labelsFile)) {
			throw new GuestFailure('the guest wrote no captures to its disk (no labels file in the tar archive)', serialLog);
		}

		const captures = readFileSync(labelsFile, 'utf8')
			.split('\n')
			.filter(line => line !== '')
			.map(line => {
				const [dir, ...label] = line.split('\t');
				return {label: label.join('\t'), dir: path.join(outDir, dir!)};
			});
		const release = /^Linux version (\S+)/.exec(procVersion)?.[1] ?? kernel.release;
		ok = true;
		const result: GuestBootResult = {
			release,
			version: versionOf(procVersion, release),
			captures,
			serialLog,
			wallMs: Date.now() - started,
			workDir,
			qemuArgs,
			...(probeMissing === undefined ? {} : {probeMissing}),
		};
		return result;
	} finally {
		if (!ok) {
			rmSync(workDir, {recursive: true, force: true});
		}
	}
}

/** The guest failed in a way its serial log explains (a step's script, QEMU, the time limit): exit 3 with the log's end. */
export class GuestFailure extends Error {
	override readonly name = 'GuestFailure';
	constructor(
		message: string,
		readonly serialLog: string,
	) {
		super(message);
	}
}

/**
The boot arguments with `-dtb`: the virt machine's own device tree (QEMU run once with the same
arguments and `dumpdtb=`, which writes it and exits) with a /reserved-memory node of no-map
children added (dtc to source and back, ../recipe-arm64.ts addReservedMemory()).
*/
async function withNomapDtb(qemu: string, args: readonly string[], ranges: ReadonlyArray<{start: number; end: number}>, workDir: string, signal?: AbortSignal): Promise<string[]> {
	const dtc = requireTool('dtc');
	const dumped = path.join(workDir, 'virt.dtb');
	const edited = path.join(workDir, 'virt-nomap.dtb');
	const at = args.indexOf('-machine');
	if (at < 0) {
		throw new Error('an arm64 plan without -machine');
	}

	const dumpArgs = [...args];
	dumpArgs[at + 1] = `${args[at + 1]!},dumpdtb=${dumped}`;
	await run(qemu, dumpArgs, {signal});
	const {stdout: dts} = await run(dtc, ['-q', '-I', 'dtb', '-O', 'dts', dumped], {signal});
	const source = path.join(workDir, 'virt-nomap.dts');
	writeFileSync(source, addReservedMemory(dts, ranges));
	await run(dtc, ['-q', '-I', 'dts', '-O', 'dtb', '-o', edited, source], {signal});
	return [...args, '-dtb', edited];
}

async function runQemu(qemu: string, args: readonly string[], timeoutMs: number, progress: (line: string) => void, signal?: AbortSignal, name = 'qemu-system-x86_64'): Promise<{serialLog: string; procVersion: string; failure: string | undefined}> {
	return new Promise((resolve, reject) => {
		const child = spawn(qemu, [...args], {stdio: ['ignore', 'pipe', 'pipe']});
		let serialLog = '';
		let stderr = '';
		let pending = '';
		let procVersion = '';
		let failure: string | undefined;
		let done = false;
		let killedFor: string | undefined;
		const kill = (why: string) => {
			killedFor ??= why;
			child.kill('SIGKILL');
		};

		const timer = setTimeout(() => {
			kill(`the guest did not finish within the time limit of ${Math.round(timeoutMs / 1000)} s (give --timeout more)`);
		}, timeoutMs);
		const onAbort = () => {
			kill('aborted');
		};

		signal?.addEventListener('abort', onAbort, {once: true});
		child.stdout.on('data', (chunk: Buffer) => {
			const text = chunk.toString('utf8');
			serialLog += text;
			pending += text;
			let newline: number;
			while ((newline = pending.indexOf('\n')) >= 0) {
				const line = pending.slice(0, newline).replace(/\r$/, '');
				pending = pending.slice(newline + 1);
				const at = line.indexOf(`${MARK} `);
				if (at < 0) {
					continue;
				}

				const message = line.slice(at + MARK.length + 1);
				if (message.startsWith('version ')) {
					procVersion = message.slice('version '.length);
				} else if (message.startsWith('fail ')) {
					failure = message.slice('fail '.length);
					progress(`guest: ${message}`);
				} else {
					progress(`guest: ${message}`);
				}
			}
		});
		child.stderr.on('data', (chunk: Buffer) => {
			stderr += chunk.toString('utf8');
		});
		child.on('error', error => {
			clearTimeout(timer);
			signal?.removeEventListener('abort', onAbort);
			reject(error);
		});
		child.on('close', code => {
			if (done) {
				return;
			}

			done = true;
			clearTimeout(timer);
			signal?.removeEventListener('abort', onAbort);
			if (killedFor === 'aborted') {
				reject(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
				return;
			}

			if (killedFor !== undefined) {
				resolve({serialLog, procVersion, failure: killedFor});
				return;
			}

			if (code !== 0) {
				if (/Could not access KVM|failed to initialize kvm/i.test(stderr) === false && stderr.trim() !== '') {
					reject(new InputError(`${name} refused the machine (exit ${code}): ${stderr.trim().split('\n').slice(-2).join(' / ')}`));
					return;
				}

				resolve({serialLog, procVersion, failure: failure ?? `QEMU exited with ${code}`});
				return;
			}

			if (failure === undefined && !/@@pfnaudit done/.test(serialLog)) {
				const panic = /Kernel panic[^\n]*/.exec(serialLog)?.[0];
				failure = panic ?? 'the guest stopped before it finished (no "done" on its console)';
			}

			resolve({serialLog, procVersion, failure});
		});
	});
}
