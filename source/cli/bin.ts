#!/usr/bin/env node
/**
The pfnaudit executable. Colour and React's build must be settled before anything imports ink,
react or chalk: ink 6.8 ignores NO_COLOR, so map NO_COLOR and --color to
FORCE_COLOR here, pick React's production build, and load the rest with a dynamic import.
*/
const colorArg = process.argv.find(arg => arg.startsWith('--color=') || arg === '--no-color');
const colorIndex = process.argv.indexOf('--color');
const color = colorArg === '--no-color' ? 'never' : (colorArg?.slice('--color='.length) ?? (colorIndex === -1 ? undefined : process.argv[colorIndex + 1]));
if (color === 'never' || (color !== 'always' && process.env.NO_COLOR !== undefined && process.env.NO_COLOR !== '')) {
	process.env.FORCE_COLOR = '0';
} else if (color === 'always') {
	process.env.FORCE_COLOR = '1';
}

// React's development build costs the dashboard twice the main-thread time per frame (measured
// in a pty during a 64 TiB walk), and that thread must stay free for keys while workers run.
process.env.NODE_ENV ??= 'production';

// A reader that closed stdout or stderr (`| head`) must never turn a late write into an uncaught
// exception: main() reports stdout failures itself (source/cli/output-stream.ts); these
// listeners only keep writes after it returned, and any to a closed stderr, quiet.
process.stdout.on('error', () => undefined);
process.stderr.on('error', () => undefined);

const {main} = await import('./main.js');
process.exitCode = await main(process.argv.slice(2));
