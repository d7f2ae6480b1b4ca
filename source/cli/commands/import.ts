/**
`pfnaudit import <capture-dir | capture.tar.gz | file...>` (README.md, Commands): a topology from a capture of a
real machine (docs/capture-format.md), YAML on stdout or in -o FILE, warnings on stderr. Heavy
modules are loaded in run() so that --help stays cheap.
*/
import type {CommandModule} from '../command.js';

export const importCommand: CommandModule = {
	command: 'import <capture...>',
	describe: 'write a topology from a capture of a real machine (directory, .tar.gz, or single files)',
	builder: y =>
		y
			.positional('capture', {type: 'string', array: true, describe: 'a capture directory, a .tar.gz of one, or files (iomem, dmesg, lsmem, zoneinfo, ndctl/daxctl/cxl JSON) recognised by content'})
			.option('output', {alias: 'o', type: 'string', requiresArg: true, describe: 'write the topology to FILE instead of stdout'})
			.option('force', {type: 'boolean', describe: 'replace an existing --output file'})
			.option('name', {type: 'string', requiresArg: true, describe: 'topology name (default: from the capture path)'})
			.option('kernel', {type: 'string', requiresArg: true, describe: 'kernel semantics "MAJOR.MINOR" instead of the release in the capture'})
			.example('pfnaudit import ./capture', 'a capture directory (pfnaudit capture, scripts/pfnaudit-capture.sh)')
			.example('sudo cat /proc/iomem > iomem; pfnaudit import iomem lsmem.txt -o machine.yaml', 'single files, recognised by content'),
	async run(args, io) {
		const path = await import('node:path');
		const {existsSync} = await import('node:fs');
		const {writeOutput} = await import('../../report/output.js');
		const {InputError} = await import('../../errors/input-error.js');
		const {readImportInputs} = await import('../capture-read.js');
		const {formatWarning, importCapture} = await import('../../import/index.js');
		const {NAME_PATTERN} = await import('../../topology/schema.js');
		const {checkKernelFlag} = await import('../headless.js');
		const captures = (args['capture'] as string[] | undefined) ?? [];
		const name = typeof args['name'] === 'string' ? args['name'] : undefined;
		if (name !== undefined && !NAME_PATTERN.test(name)) {
			throw new InputError(`--name "${name}" must match [a-z0-9._-]+ (lower case letters, digits, dot, underscore, dash)`);
		}

		const kernel = typeof args['kernel'] === 'string' ? args['kernel'] : undefined;
		checkKernelFlag(kernel);
		const output = typeof args['output'] === 'string' ? path.resolve(io.cwd, args['output']) : undefined;
		if (output && existsSync(output) && args['force'] !== true) {
			throw new InputError('the output file exists; give --force to replace it, or another -o', {file: String(args['output'])});
		}

		const input = await readImportInputs(captures, io.cwd);
		const result = importCapture(input, {...(name === undefined ? {} : {name}), ...(kernel === undefined ? {} : {kernel})});
		for (const warning of result.warnings) {
			io.stderr.write(`pfnaudit: warning: ${formatWarning(warning)}\n`);
		}

		if (output) {
			// Checked again when written: link(2) refuses a name that appeared meanwhile.
			writeOutput(output, result.text, {force: args['force'] === true});
			io.stderr.write(`pfnaudit: wrote ${String(args['output'])}: ${result.topology.memory.length} entries from ${input.label}\n`);
		} else {
			io.stdout.write(result.text);
		}

		return 0;
	},
};
