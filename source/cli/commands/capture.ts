/**
`pfnaudit capture [DIR] [--tar]` (README.md, Commands): a capture of this machine for `pfnaudit import`
(docs/capture-format.md), and on stderr what could not be read and why. Heavy work in run().
*/
import type {CommandModule} from '../command.js';

export const captureCommand: CommandModule = {
	command: 'capture [dir]',
	describe: 'capture this machine\'s memory layout (iomem, memory blocks, boot log, ndctl/daxctl/cxl) for pfnaudit import',
	builder: y =>
		y
			.positional('dir', {type: 'string', describe: 'directory to write (default: pfnaudit-capture-<hostname>); must not exist or be empty'})
			.option('tar', {type: 'boolean', describe: 'write DIR.tar.gz instead of a directory'})
			.option('sysroot', {type: 'string', requiresArg: true, describe: 'read the files under this root instead of / (no tools are run)'})
			.example('sudo pfnaudit capture', 'as root: /proc/iomem shows real addresses only to root')
			.example('sudo pfnaudit capture box --tar && pfnaudit import box.tar.gz', 'capture here, import anywhere'),
	async run(args, io) {
		const path = await import('node:path');
		const os = await import('node:os');
		const fs = await import('node:fs');
		const {InputError} = await import('../../errors/input-error.js');
		const {captureLive} = await import('../capture-live.js');
		const sysroot = typeof args['sysroot'] === 'string' ? path.resolve(io.cwd, args['sysroot']) : '/';
		if (!fs.existsSync(path.join(sysroot, 'proc/iomem')) && !fs.existsSync(path.join(sysroot, 'sys/devices/system/memory'))) {
			throw new InputError(`${sysroot === '/' ? 'this machine' : sysroot} has no /proc/iomem and no /sys/devices/system/memory: pfnaudit capture runs on Linux (or give --sysroot a copy of one)`);
		}

		const given = typeof args['dir'] === 'string' ? args['dir'] : `pfnaudit-capture-${os.hostname().toLowerCase().replace(/[^a-z0-9._-]+/g, '-')}`;
		const dir = path.resolve(io.cwd, given);
		const tar = args['tar'] === true;
		const target = tar ? `${dir.replace(/\/+$/, '')}.tar.gz` : dir;
		const shown = tar ? `${given.replace(/\/+$/, '')}.tar.gz` : given;
		if (tar ? fs.existsSync(target) : fs.existsSync(dir) && fs.readdirSync(dir).length > 0) {
			throw new InputError(tar ? 'the tarball exists; give another name' : 'the directory exists and is not empty; give a new or empty one', {file: shown});
		}

		const isRoot = typeof process.getuid === 'function' && process.getuid() === 0 && sysroot === '/';
		const capture = captureLive({sysroot, isRoot: isRoot || sysroot !== '/', tools: sysroot === '/'});
		if (tar) {
			const {packTar} = await import('modern-tar');
			const {gzipSync} = await import('node:zlib');
			const top = path.basename(dir);
			const data = await packTar(capture.files.map(f => ({header: {name: `${top}/${f.name}`, size: Buffer.byteLength(f.text), mode: 0o644}, body: f.text})));
			const temporary = `${target}.${process.pid}.tmp`;
			fs.writeFileSync(temporary, gzipSync(data));
			fs.renameSync(temporary, target);
		} else {
			for (const file of capture.files) {
				const where = path.join(dir, file.name);
				fs.mkdirSync(path.dirname(where), {recursive: true});
				fs.writeFileSync(where, file.text);
			}
		}

		const blocks = capture.files.filter(f => /\/memory\d+\/state$/.test(f.name)).length;
		io.stderr.write(`pfnaudit: wrote ${shown}: ${capture.files.length} files (${blocks} memory blocks)${isRoot || sysroot !== '/' ? '' : ', not as root'}\n`);
		for (const m of capture.missing) {
			io.stderr.write(`pfnaudit: not captured: ${m.name}: ${m.why}\n`);
		}

		io.stderr.write(`pfnaudit: next: pfnaudit import ${shown} -o topology.yaml\n`);
		return 0;
	},
};
