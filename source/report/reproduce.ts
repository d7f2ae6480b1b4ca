/**
The command that runs an audit again, as every report format prints it (`reproduce:` in the text
report, after the 0-day/LKP bot mails): the topology file, then exactly the flags that make the
audit the same — kernel, patches, phases, a --fail-on set other than the default, and the walkers
when they were not every built-in one. The same flags work with the report itself in place of the
topology file (the report carries the topology: source/topology/embedded.ts).
*/
import {DEFAULT_FAIL_SET} from '../engine/fail-on.js';
import type {AuditReport} from '../engine/types.js';
import {builtinWalkerNames} from '../walker/registry.js';

/** A word as a POSIX shell reads it: as it is when it is safe, else in single quotes. */
export function shellWord(word: string): string {
	return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", "'\\''")}'`;
}

/** The flags after the topology file: `--kernel X [--patch p]… [--phases] [--fail-on …] [--walker w]…`. */
export function reproduceFlags(report: AuditReport): string[] {
	const parts = ['--kernel', report.kernel];
	for (const patch of report.patches) {
		parts.push('--patch', patch);
	}

	if (report.phases.length > 1) {
		parts.push('--phases');
	}

	// The CLI's default set (DEFAULT_FAIL_ON plus hole and nomap where uninitialized) needs no flag.
	const defaultFailOn = report.fail_on.length === DEFAULT_FAIL_SET.length && DEFAULT_FAIL_SET.every(id => report.fail_on.includes(id));
	if (!defaultFailOn) {
		parts.push('--fail-on', report.fail_on.length === 0 ? 'none' : report.fail_on.join(','));
	}

	// Every built-in walker is the default; a subset is named, as are user walker files.
	const builtin = report.walkers.filter(walker => walker.builtin).map(walker => walker.name);
	const everyBuiltin = builtinWalkerNames().every(name => builtin.includes(name));
	for (const walker of report.walkers) {
		if (!walker.builtin || !everyBuiltin) {
			parts.push('--walker', walker.builtin ? walker.name : walker.file);
		}
	}

	return parts;
}

/** `pfnaudit audit <topology file> <flags>`, quoted for a POSIX shell. */
export function reproduceCommand(report: AuditReport, file: string = report.topology.file): string {
	return reproduceUnits(report, file).join(' ');
}

/** The command in pieces that stay on one line: `pfnaudit audit`, the file, then each flag with its value. */
export function reproduceUnits(report: AuditReport, file: string = report.topology.file): string[] {
	const units = ['pfnaudit audit', shellWord(file)];
	const flags = reproduceFlags(report);
	for (let i = 0; i < flags.length; i++) {
		const flag = flags[i]!;
		const value = flags[i + 1];
		if (value !== undefined && !value.startsWith('--')) {
			units.push(`${flag} ${shellWord(value)}`);
			i++;
		} else {
			units.push(flag);
		}
	}

	return units;
}

/**
The command broken into shell lines of at most `width` columns that paste back into a shell as
they are: every line but the last ends with ` \\`, a flag stays with its value. The first line
starts with `first`, the others with `rest`. A piece longer than a line (a very long path) is cut
with a bare `\\` and continued at column 0, which a shell joins back into one word.
*/
export function shellLines(units: readonly string[], width: number, first: string, rest: string): string[] {
	const lines: string[] = [];
	let line = first;
	let empty = true;
	for (const unit of units) {
		const separator = empty ? '' : ' ';
		if (line.length + separator.length + unit.length + 2 <= width) {
			line += separator + unit;
			empty = false;
			continue;
		}

		if (!empty) {
			lines.push(`${line} \\`);
			line = rest;
		}

		let remaining = unit;
		while (line.length + remaining.length + 2 > width && remaining.length > 1) {
			const cut = Math.max(1, width - 1 - line.length);
			lines.push(`${line}${remaining.slice(0, cut)}\\`);
			line = '';
			remaining = remaining.slice(cut);
		}

		line += remaining;
		empty = false;
	}

	lines.push(line);
	return lines;
}
