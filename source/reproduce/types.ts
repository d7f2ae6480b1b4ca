/**
 * The contract between the two halves of `pfnaudit reproduce` (issue 9):
 *
 * - the guest side (source/reproduce/guest/, source/reproduce/probe/): fetch a Debian kernel
 *   package, build an initramfs, boot it under QEMU, run the guest steps, and bring back one
 *   capture directory (the import format of docs/capture-format.md) per `capture` step;
 * - the comparison side (source/reproduce/recipe.ts, compare.ts, the command): turn a topology
 *   into a GuestPlan, and compare each capture with the model pfn by pfn.
 *
 * Either side may add optional fields; neither renames or removes one without the other.
 */

/** The Debian kernels this machine can boot (issue 9: linux-image 6.1.x and 6.12.x). */
export type ReproduceKernel = '6.1' | '6.12';

/** The guests `reproduce --run` boots: x86_64 under qemu-system-x86_64 (pc), arm64 under qemu-system-aarch64 (virt). */
export type ReproduceArch = 'x86_64' | 'arm64-4k' | 'arm64-16k';

/** One step the guest runs, in order, after the modules are loaded. */
export type GuestStep =
  /** A POSIX sh fragment run by busybox sh; `why` is printed by `--print` and in progress. */
  | { readonly kind: 'sh'; readonly script: string; readonly why: string }
  /** Take a capture of the guest's state now (all files of the capture format, plus kpageflags runs and the probe output when available). */
  | { readonly kind: 'capture'; readonly label: string };

export interface GuestPlan {
  readonly arch: ReproduceArch;
  readonly kernel: ReproduceKernel;
  /**
   * arm64: physical byte ranges [start, end) (whole pages) the guest side adds to QEMU's device tree
   * as `no-map` children of /reserved-memory (dumpdtb, dtc, back with -dtb).
   */
  readonly reservedNomap?: ReadonlyArray<{ readonly start: number; readonly end: number }>;
  /**
   * arm64 under UEFI: the firmware's code (read-only pflash) and the variable store template, of which
   * the guest side gives QEMU a writable copy as the second pflash.
   */
  readonly firmware?: { readonly code: string; readonly vars: string };
  /** QEMU arguments after the binary, without -kernel/-initrd/-append/-serial (the guest side adds those). */
  readonly machineArgs: readonly string[];
  /** Kernel command-line words the layout needs (e.g. `memmap=496M!1040M`, `memhp_default_state=offline`). */
  readonly cmdline: readonly string[];
  /** Kernel modules to load before the steps (by name; the guest side resolves dependencies). */
  readonly modules: readonly string[];
  readonly steps: readonly GuestStep[];
  /** The probe module's range end (exclusive pfn): the model's whole range, above max_pfn included (insmod parameter `end_pfn=`). */
  readonly probeEndPfn?: number;
}

/**
 * The probe module's convention, shared by its builder (source/reproduce/probe/) and the initramfs
 * (source/reproduce/guest/): the built module goes into the initramfs at PROBE_GUEST_KO; the guest
 * loads it once after the plan's modules with `insmod PROBE_GUEST_KO end_pfn=<plan.probeEndPfn>`,
 * and each capture step copies PROBE_PROC into the capture directory as PROBE_FILE.
 */
export const PROBE_GUEST_KO = '/pfnaudit/pfnaudit_probe.ko';
export const PROBE_PROC = '/proc/pfnaudit_probe';
export const PROBE_FILE = 'probe.runs';

export interface BootOptions {
  readonly plan: GuestPlan;
  /** Hard limit for the whole boot; QEMU is killed when it passes. */
  readonly timeoutMs: number;
  readonly signal?: AbortSignal;
  /** Where downloaded packages and built initramfs images are cached (default: the user's cache directory). */
  readonly cacheDir?: string;
  /** Human progress lines (download, build, boot, step N), for stderr. */
  readonly onProgress?: (line: string) => void;
  /** Build and load the probe module when headers and a compiler are available. */
  readonly probe?: boolean;
  /** A built probe module to put at PROBE_GUEST_KO (wins over buildProbe). */
  readonly probeModule?: string;
  /**
   * With `probe`: builds the module for the guest's release once the kernel package is known
   * (source/reproduce/probe/); a `missing` reason ends up in BootResult.probeMissing.
   */
  readonly buildProbe?: (release: string) => Promise<{readonly kind: 'built'; readonly ko: string} | {readonly kind: 'missing'; readonly reason: string}>;
}

export interface BootResult {
  /** `uname -r` of the guest, e.g. `6.12.118+deb12-amd64`. */
  readonly release: string;
  /** The kernel version proper, e.g. `6.12.118`. */
  readonly version: string;
  readonly captures: readonly { readonly label: string; readonly dir: string }[];
  /** The guest's serial console, for error messages and `--debug`. */
  readonly serialLog: string;
  readonly wallMs: number;
  /** Why the probe module was not used, when it was asked for and is absent. */
  readonly probeMissing?: string;
}

/** One row of the comparison table: `agree` of `pfns` pfns had the same answer. */
export interface ReproduceCheck {
  readonly name: string;
  readonly pfns: number;
  readonly agree: number;
}

/** One run of pfns on which the kernel and the model answer differently, [start_pfn, end_pfn). */
export interface Disagreement {
  readonly check: string;
  readonly start_pfn: number;
  readonly end_pfn: number;
  readonly kernel: string;
  readonly model: string;
}
