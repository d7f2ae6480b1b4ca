/**
What the terminal can do, decided from the environment before anything draws. No React, no ink:
the dashboard command imports this on the headless path too.
*/

/**
is-in-ci semantics (the rule ink 6.8 itself applies at import time): `CI` or
`CONTINUOUS_INTEGRATION` present and not "0" or "false". An empty `CI=` counts as CI.
*/
export function isCiEnvironment(env: NodeJS.ProcessEnv): boolean {
	return ['CI', 'CONTINUOUS_INTEGRATION'].some(name => {
		const value = env[name];
		return value !== undefined && value !== '0' && value !== 'false';
	});
}

/** Terminals that cannot be trusted with box drawing or block characters. */
const ASCII_TERMS = new Set(['dumb', 'vt100', 'vt102', 'vt220', 'ansi', 'linux', 'cons25']);

/**
ASCII-only when the terminal or the locale says so: TERM is one of the ASCII_TERMS, the first
set locale variable (LC_ALL, LC_CTYPE, LANG) names no UTF-8 charset, or PFNAUDIT_ASCII=1.
An unset locale is taken as UTF-8, the default of every current terminal emulator.
*/
export function isAsciiOnly(env: NodeJS.ProcessEnv): boolean {
	if (env.PFNAUDIT_ASCII === '1') {
		return true;
	}

	if (env.PFNAUDIT_ASCII === '0') {
		return false;
	}

	if (ASCII_TERMS.has(env.TERM ?? '')) {
		return true;
	}

	const locale = [env.LC_ALL, env.LC_CTYPE, env.LANG].find(value => value !== undefined && value !== '');
	return locale !== undefined && !/utf-?8/i.test(locale);
}
