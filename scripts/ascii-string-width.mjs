// string-width for yargs' help layout (yargs, cliui, wrap-ansi) in the bundle
// (scripts/bundle.mjs): a printable-ASCII string is as wide as it is long — every line of
// pfnaudit's help — so it needs no grapheme segmentation or emoji regex (string-width 8 has this
// fast path; the 7.x copies cliui and wrap-ansi pin do not). The real string-width, with its
// Unicode tables, is initialised on the first other string only: esbuild bundles a require() of
// an ES module as a lazy initialiser.
const PRINTABLE_ASCII = /^[\u0020-\u007E]*$/;
let realStringWidth;

export default function stringWidth(text, options) {
	if (typeof text === 'string' && PRINTABLE_ASCII.test(text)) {
		return text.length;
	}

	realStringWidth ??= require('string-width').default;
	return realStringWidth(text, options);
}
