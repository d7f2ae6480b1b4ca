/**
`pfnaudit reproduce <topology>` (issue 9): the recipe that builds a topology's layout on a real
Debian kernel under QEMU (--print), or boots it and compares the kernel's answers with the model
pfn by pfn (--run). The definition only; run() loads ./reproduce-run.ts (source/cli/command.ts).
*/
import type {CommandModule} from '../command.js';

export const reproduceCommand: CommandModule = {
	command: 'reproduce <topology>',
	describe: 'build the layout on a real Debian kernel under QEMU (--print the recipe, or --run it and compare pfn by pfn)',
	builder: y =>
		y
			.positional('topology', {type: 'string', describe: 'topology file (YAML or JSON); x86_64, arm64-4k or arm64-16k'})
			.option('print', {type: 'boolean', describe: 'print the recipe: QEMU command line, kernel command line, guest steps (the default)'})
			.option('run', {type: 'boolean', describe: 'boot it under QEMU, capture the guest at each step and compare with the model pfn by pfn'})
			.option('kernel', {type: 'string', choices: ['6.1', '6.12'] as const, describe: 'which Debian kernel to boot (default: the topology\'s kernel:)'})
			.option('uefi', {type: 'boolean', describe: 'arm64: boot through UEFI firmware (Debian\'s AAVMF, qemu-efi-aarch64) with ACPI; implied by device entries (an NFIT nvdimm needs ACPI)'})
			.option('format', {type: 'string', choices: ['text', 'json'] as const, default: 'text', describe: 'output format of --run'})
			.option('timeout', {type: 'number', requiresArg: true, describe: 'seconds the boot may take before QEMU is killed (--run; default 600)'})
			.option('cache-dir', {type: 'string', requiresArg: true, describe: 'where kernel packages and initramfs images are cached (--run; default: the user\'s cache directory)'})
			.option('probe', {type: 'boolean', default: true, describe: 'build the probe module against the guest\'s linux-headers and compare its answers too (--run; --no-probe: /proc/kpageflags and sysfs only)'})
			.option('keep', {type: 'string', requiresArg: true, describe: 'copy the captures (one directory per capture step, in the import format) and the guest\'s console log into this directory (--run)'})
			.conflicts('print', 'run')
			.example('pfnaudit reproduce topologies/qemu-pmem-hotplug.yaml --print', 'the recipe')
			.example('pfnaudit reproduce topologies/qemu-pmem-hotplug.yaml --run --kernel 6.12', 'boot it and compare'),
	async run(args, io) {
		const {runReproduce} = await import('./reproduce-run.js');
		return runReproduce(args, io);
	},
};
