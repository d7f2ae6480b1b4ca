/**
Bundles the command-line entry and the audit workers' entry after tsc (`npm run build`):
dist/source/cli/bin.js and dist/source/engine/worker.js become small modules plus chunks in
dist/bundle/, one per lazily imported command implementation and the code they share.
Resolving and compiling some 400 separate modules (yargs, zod, ink, react and pfnaudit's own)
was most of the start-up cost; a bundle loads in a fraction of it (bench/run.ts measures
`--help`, `list`, `explain` and the dashboard against `node -e 0`).

The rest of tsc's output stays as it is (bench/, walkers/, the library modules). What stays
outside the bundle:
- dist/source/walker/isolate-worker.js, which loads a user's walker file beside tsc's model
  builder (source/walker/isolate.ts), so both keep one copy of every module;
- tsx, which loads walkers written in TypeScript at run time;
- react-devtools-core, which ink imports only under DEV=true and which is not installed.
*/
import {readFileSync, rmSync, writeFileSync} from 'node:fs';
import {readFile} from 'node:fs/promises';
import path from 'node:path';
import {fileURLToPath} from 'node:url';
import {build} from 'esbuild';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
rmSync(path.join(root, 'dist', 'bundle'), {recursive: true, force: true});

/**
string-width (yargs' help layout, ink) creates an Intl.Segmenter when it is imported, and the
first Intl.Segmenter of a process costs some 30 ms of ICU set-up: a third of `pfnaudit --help`,
whose text is all printable ASCII and never segmented. Create it on first use instead. The build
fails if a string-width release no longer has that line, so the patch cannot go stale unseen.
*/
const lazySegmenter = {
	name: 'lazy-segmenter',
	setup(pluginBuild) {
		pluginBuild.onLoad({filter: /[\\/]node_modules[\\/](?:.*[\\/])?string-width[\\/]index\.js$/}, async args => {
			const text = await readFile(args.path, 'utf8');
			const eager = 'const segmenter = new Intl.Segmenter();';
			if (!text.includes(eager)) {
				throw new Error(`${args.path}: no '${eager}' to defer; update scripts/bundle.mjs`);
			}

			const lazy = 'let eagerSegmenter; const segmenter = {segment: text => (eagerSegmenter ??= new Intl.Segmenter()).segment(text)};';
			return {contents: text.replace(eager, lazy), loader: 'js'};
		});
	},
};

/** string-width as yargs, cliui and wrap-ansi import it → ./ascii-string-width.mjs (which requires their own copy). */
const asciiStringWidth = {
	name: 'ascii-string-width',
	setup(pluginBuild) {
		const shim = path.join(root, 'scripts', 'ascii-string-width.mjs');
		pluginBuild.onResolve({filter: /^string-width$/}, args => {
			if (args.pluginData?.realStringWidth || !/[\\/]node_modules[\\/](yargs|cliui|wrap-ansi)[\\/]/.test(args.importer)) {
				return undefined;
			}

			return {path: `${shim}?from=${args.resolveDir}`, namespace: 'ascii-string-width', pluginData: {resolveDir: args.resolveDir}};
		});
		// One shim per importer, importing that importer's own string-width.
		pluginBuild.onLoad({filter: /.*/, namespace: 'ascii-string-width'}, async args => ({
			contents: await readFile(shim, 'utf8'),
			loader: 'js',
			resolveDir: args.pluginData.resolveDir,
			pluginData: {realStringWidth: true},
		}));
	},
};

/**
yargs renders the whole help text of the command it runs, as soon as the command's handler has
started (usage.cacheHelpMessage(), from runCommand()), to have it ready should the command fail
afterwards with yargs' own output. pfnaudit's .fail() (source/cli/main.ts) never prints help, so
the text was never read, and laying it out (string widths, wrapping) was a third of the start-up
of `list` and `explain`. Skip the rendering; `--help` itself renders as before. The build fails if
a yargs release no longer has that line.
*/
const yargsNoHelpCache = {
	name: 'yargs-no-help-cache',
	setup(pluginBuild) {
		pluginBuild.onLoad({filter: /[\\/]node_modules[\\/]yargs[\\/]build[\\/]lib[\\/]usage\.js$/}, async args => {
			const text = await readFile(args.path, 'utf8');
			const eager = 'cachedHelpMessage = this.help();';
			if (!text.includes(eager)) {
				throw new Error(`${args.path}: no '${eager}' to drop; update scripts/bundle.mjs`);
			}

			return {contents: text.replace(eager, '/* pfnaudit: help is rendered when it is asked for (scripts/bundle.mjs) */'), loader: 'js'};
		});
	},
};

/**
ink 6.8 lays out each frame in a new Output (build/output.js) with new caches of the lines' styled
characters and widths, so every frame tokenizes the ANSI codes of every line again, though a
cursor move changes two rows of the tally: that was a fifth of the dashboard's main-thread time
per frame during a walk of a 10 000-entry topology (issue 10, key-to-screen). Keep the caches
across frames; they are dropped as a whole once they hold CACHED_LINES strings (the elapsed time
and the counts make new lines every frame while a walk runs). The cached values are never
modified (Output.get() copies the characters into its rows, styledCharsToString() reads them).
Then a screen row made of the same character objects as in the previous frame is the same text:
it is reused instead of being built again from its characters (the next fifth of a frame). The
build fails if an ink release no longer has those lines.
*/
const inkFrameCaches = {
	name: 'ink-frame-caches',
	setup(pluginBuild) {
		pluginBuild.onLoad({filter: /[\\/]node_modules[\\/]ink[\\/]build[\\/]output\.js$/}, async args => {
			const text = await readFile(args.path, 'utf8');
			const eager = '    caches = new OutputCaches();';
			if (!text.includes(eager)) {
				throw new Error(`${args.path}: no '${eager}' to share between frames; update scripts/bundle.mjs`);
			}

			const blank = "                row.push({\n                    type: 'char',\n                    value: ' ',\n                    fullWidth: false,\n                    styles: [],\n                });";
			const lines = '            .map(line => {\n            // See https://github.com/vadimdemedes/ink/pull/564#issuecomment-1637022742\n            const lineWithoutEmptyItems = line.filter(item => item !== undefined);\n            return styledCharsToString(lineWithoutEmptyItems).trimEnd();';
			for (const [what, line] of [['blank cells', blank], ['lines', lines]]) {
				if (!text.includes(line)) {
					throw new Error(`${args.path}: the ${what} of Output.get() are not as scripts/bundle.mjs expects; update it`);
				}
			}

			const shared = [
				'/* pfnaudit: the caches outlive a frame (scripts/bundle.mjs) */',
				'const CACHED_LINES = 4096;',
				'let sharedCaches;',
				'function framesCaches() {',
				'    if (sharedCaches === undefined || sharedCaches.styledChars.size + sharedCaches.widths.size + sharedCaches.blockWidths.size > CACHED_LINES) {',
				'        sharedCaches = new OutputCaches();',
				'    }',
				'    return sharedCaches;',
				'}',
				// A row of the frame whose cells are the very objects of the previous frame's row (the
				// cached styled characters, one shared blank) is the same text: not built again.
				"const BLANK_CHAR = Object.freeze({type: 'char', value: ' ', fullWidth: false, styles: Object.freeze([])});",
				'const previousLines = [];',
				'function framesLine(y, items) {',
				'    const previous = previousLines[y];',
				'    if (previous !== undefined && previous.items.length === items.length && previous.items.every((item, index) => item === items[index])) {',
				'        return previous.text;',
				'    }',
				'    const text = styledCharsToString(items).trimEnd();',
				'    previousLines[y] = {items, text};',
				'    return text;',
				'}',
			].join('\n');
			const contents = text
				.replace(eager, '    caches = framesCaches();')
				.replace(blank, '                row.push(BLANK_CHAR);')
				.replace(lines, '            .map((line, y) => {\n            const lineWithoutEmptyItems = line.filter(item => item !== undefined);\n            return framesLine(y, lineWithoutEmptyItems);');
			return {contents: `${contents}\n${shared}\n`, loader: 'js'};
		});
		// Drawing a text node measures its width again with widest-line, uncached (a third of a frame
		// then, string-width being slow on every character); ink's measureText() has the same width
		// cached, from laying out that very text.
		pluginBuild.onLoad({filter: /[\\/]node_modules[\\/]ink[\\/]build[\\/]render-node-to-output\.js$/}, async args => {
			const text = await readFile(args.path, 'utf8');
			const uncached = 'const currentWidth = widestLine(text);';
			if (!text.includes(uncached)) {
				throw new Error(`${args.path}: no '${uncached}' to cache; update scripts/bundle.mjs`);
			}

			const contents = `import pfnauditMeasureText from './measure-text.js';\n${text.replace(uncached, 'const currentWidth = pfnauditMeasureText(text).width; /* pfnaudit: cached (scripts/bundle.mjs) */')}`;
			return {contents, loader: 'js', resolveDir: path.dirname(args.path)};
		});
	},
};

/**
zod re-exports its 60-odd message locales (`z.locales`, `z.core.locales`); pfnaudit's topology
messages are its own (source/topology/issues.ts) and zod's default English is imported by zod
itself. Bundle `locales` as English only: a third of zod's code, compiled on every `explain`.
*/
const zodEnglishOnly = {
	name: 'zod-english-only',
	setup(pluginBuild) {
		pluginBuild.onResolve({filter: /^\.\.\/locales\/index\.js$/}, args =>
			/[\\/]node_modules[\\/]zod[\\/]v4[\\/](classic|core)$/.test(args.resolveDir)
				? {path: path.join(args.resolveDir, '..', 'locales', 'english-only.js'), namespace: 'zod-english-only'}
				: undefined,
		);
		pluginBuild.onLoad({filter: /.*/, namespace: 'zod-english-only'}, args => ({
			contents: "export {default as en} from './en.js';\n",
			loader: 'js',
			resolveDir: path.dirname(args.path),
		}));
	},
};

await build({
	absWorkingDir: root,
	entryPoints: {
		'source/cli/bin': 'source/cli/bin.ts',
		// The audit's worker threads start here (source/paths.ts distModuleUrl()).
		'source/engine/worker': 'source/engine/worker.ts',
	},
	outdir: 'dist',
	chunkNames: 'bundle/[name]-[hash]',
	bundle: true,
	splitting: true,
	format: 'esm',
	platform: 'node',
	target: 'node20',
	external: ['tsx', 'tsx/*', 'react-devtools-core'],
	// CommonJS packages in an ES module bundle (react, yaml, …) call require() for Node's builtins.
	banner: {js: "import {createRequire as __pfnauditCreateRequire} from 'node:module';\nconst require = __pfnauditCreateRequire(import.meta.url);"},
	legalComments: 'none',
	logLevel: 'warning',
	plugins: [asciiStringWidth, lazySegmenter, zodEnglishOnly, yargsNoHelpCache, inkFrameCaches],
});

/**
dist/topologies.json: the header of every built-in topology (name, arch, kernel, description) and
the SHA-1 of its file, for `pfnaudit list topologies` (source/topology/manifest.ts), which uses it
while the files are unchanged instead of parsing them all on every call. Written with tsc's output
of the topology loader, so a built-in file that does not load fails the build.
*/
{
	const {topologyFiles} = await import(path.join(root, 'dist', 'source', 'topology', 'files.js'));
	const {loadTopologyFile} = await import(path.join(root, 'dist', 'source', 'topology', 'load.js'));
	const {sha1Of, TOPOLOGY_MANIFEST} = await import(path.join(root, 'dist', 'source', 'topology', 'manifest.js'));
	const headers = topologyFiles().map(file => {
		const topology = loadTopologyFile(file);
		return {name: topology.name, arch: topology.arch, kernel: topology.kernel, base: path.basename(file), description: topology.description, sha1: sha1Of(readFileSync(file, 'utf8'))};
	});
	writeFileSync(TOPOLOGY_MANIFEST, `${JSON.stringify(headers, null, '\t')}\n`);
}
