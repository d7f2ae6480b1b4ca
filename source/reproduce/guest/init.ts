/**
What the guest runs: the initramfs's /init (busybox sh; the same for every plan) and the plan's
own script (/etc/pfnaudit/plan.sh, in a second small cpio archive appended to the first: the
kernel unpacks concatenated newc archives in order, init/initramfs.c unpack_to_rootfs()).

The guest talks to the host through lines `@@pfnaudit <word> …` on the serial console (progress,
the kernel's /proc/version, a failure), and hands the captures back as a tar archive written over
the raw virtio disk /dev/vda, which the host reads after QEMU exits. Each capture is a directory
of the capture format (docs/capture-format.md, written by scripts/pfnaudit-capture.sh) plus
kpageflags.runs (c/kpageflags-runs.c) and, with the probe module loaded, PROBE_FILE.
*/
import {KPF_NOPAGE, KPF_RESERVED} from '../compare.js';
import {PROBE_FILE, PROBE_GUEST_KO, PROBE_PROC, type GuestPlan, type ReproduceArch} from '../types.js';

/** Guest paths. */
export const GUEST_PLAN = '/etc/pfnaudit/plan.sh';
export const GUEST_MODULES = '/etc/pfnaudit/modules';
export const GUEST_CAPTURE_SCRIPT = '/usr/share/pfnaudit/pfnaudit-capture.sh';
export const GUEST_KPAGEFLAGS_RUNS = '/usr/bin/kpageflags-runs';
/** The list of capture directories in the tar: `NN<TAB>label` per line. */
export const LABELS_FILE = 'labels';
export const MARK = '@@pfnaudit';

/** The kpageflags bits the comparison reads (compare.ts): KPF_NOPAGE and KPF_RESERVED, as a hex mask. */
export function kpageflagsMask(): string {
	return (2n ** BigInt(KPF_NOPAGE) + 2n ** BigInt(KPF_RESERVED)).toString(16);
}

/**
The /init of a guest. x86_64 guests load modules with Debian's kmod (the 6.12 modules are .ko.xz)
and run ndctl/daxctl with their shared libraries; arm64 guests have busybox and static binaries
only, their modules decompressed on the host, loaded with busybox insmod.
*/
export function initScript(arch: ReproduceArch): string {
	const x86 = arch === 'x86_64';
	return `#!/bin/busybox sh
# pfnaudit reproduce: the guest's init (source/reproduce/guest/init.ts).
/bin/busybox mkdir -p /proc /sys /dev /tmp /out /sbin /usr/sbin
/bin/busybox mount -t devtmpfs devtmpfs /dev
exec </dev/console >/dev/console 2>&1
/bin/busybox mount -t proc proc /proc
/bin/busybox mount -t sysfs sysfs /sys
${x86 ? '' : '# debugfs: memblock/memory and memblock/reserved for the capture (arm64 keeps memblock: CONFIG_ARCH_KEEP_MEMBLOCK)\n/bin/busybox mount -t debugfs debugfs /sys/kernel/debug || echo "${MARK} note debugfs could not be mounted"\n'}/bin/busybox --install -s /bin
${x86 ? 'for t in modprobe insmod lsmod rmmod modinfo depmod; do ln -sf /usr/bin/kmod /sbin/$t; done\n' : ''}export PATH=/sbin:/usr/sbin:/usr/bin:/bin
${x86 ? 'export LD_LIBRARY_PATH=/lib/x86_64-linux-gnu:/usr/lib/x86_64-linux-gnu\n' : ''}say() { echo "${MARK} $*"; }
fail() { say "fail $*"; sync; poweroff -f; sleep 10; }
say "version $(cat /proc/version)"
while read -r ko; do
	[ -n "$ko" ] || continue
	insmod "$ko" || fail "insmod $ko"
done < ${GUEST_MODULES}
n=0
while [ ! -b /dev/vda ] && [ $n -lt 100 ]; do sleep 0.1; n=$((n + 1)); done
[ -b /dev/vda ] || fail "no /dev/vda: the disk for the captures did not appear"

# capture NN LABEL
capture() {
	d=/out/$1
	sh ${GUEST_CAPTURE_SCRIPT} "$d" 2>&1 | sed 's/^/capture: /'
	[ -d "$d" ] || fail "capture $2: pfnaudit-capture.sh wrote nothing"
	${GUEST_KPAGEFLAGS_RUNS} ${kpageflagsMask()} > "$d/kpageflags.runs" || say "note kpageflags-runs failed"
	if [ -r ${PROBE_PROC} ]; then cat ${PROBE_PROC} > "$d/${PROBE_FILE}" || say "note reading ${PROBE_PROC} failed"; fi
	printf '%s\\t%s\\n' "$1" "$2" >> /out/${LABELS_FILE}
}

. ${GUEST_PLAN}

say "writing captures"
cd /out && tar -cf /dev/vda . || fail "tar to /dev/vda"
sync
say done
poweroff -f
sleep 10
`;
}

/** The x86_64 guest's /init. */
export const INIT_SCRIPT = initScript('x86_64');

/** A word for busybox sh, in single quotes. */
function quote(text: string): string {
	return `'${text.replaceAll("'", "'\\''")}'`;
}

/** The step scripts as files of their own (no quoting of their text), and plan.sh that runs them. */
export function planFiles(plan: GuestPlan, probe: boolean): Array<{name: string; text: string}> {
	const files: Array<{name: string; text: string}> = [];
	const lines = ['# pfnaudit reproduce: this plan\'s steps (source/reproduce/guest/init.ts planFiles())'];
	if (probe) {
		const end = plan.probeEndPfn === undefined ? '' : ` end_pfn=${plan.probeEndPfn}`;
		lines.push(`if [ -f ${PROBE_GUEST_KO} ]; then insmod ${PROBE_GUEST_KO}${end} || say "note insmod ${PROBE_GUEST_KO} failed"; fi`);
	}

	const total = plan.steps.length;
	let captures = 0;
	for (const [i, step] of plan.steps.entries()) {
		const n = i + 1;
		if (step.kind === 'capture') {
			const dir = String(captures++).padStart(2, '0');
			lines.push(`say ${quote(`step ${n}/${total} capture ${step.label}`)}`, `capture ${dir} ${quote(step.label)}`);
		} else {
			const name = `/etc/pfnaudit/step-${n}.sh`;
			files.push({name, text: `${step.script}\n`});
			lines.push(`say ${quote(`step ${n}/${total} ${step.why.split('\n')[0]!}`)}`, `sh ${name} || fail ${quote(`step ${n}: ${step.why.split('\n')[0]!}`)}`);
		}
	}

	files.push({name: GUEST_PLAN, text: `${lines.join('\n')}\n`});
	return files;
}
