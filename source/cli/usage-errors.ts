/**
yargs' usage errors as one sentence each — what is wrong and how to fix it — instead of its two
or three lines ("Invalid values:" / "  Argument: …" / "Run 'pfnaudit --help'"). main.ts passes
every message of .fail() through usageSentence(); yargs runs with .locale('en'), so the messages
matched here are the ones it prints (yargs/locales/en.json). A message not recognised here is
still made one line.
*/
import {InputError} from '../errors/input-error.js';

/**
The value of a flag that takes one value. yargs makes a repeated flag an array (`--walker` and
`--patch` are repeatable on purpose); for the others a second value would otherwise be dropped
or crash the command: refused.
*/
export function singleValue(args: Record<string, unknown>, name: string): string | undefined {
	const value = args[name];
	if (Array.isArray(value)) {
		throw new InputError(`--${name} is given ${value.length} times (${value.map(String).join(', ')}); give it once`);
	}

	return value === undefined ? undefined : String(value);
}

export type UsageContext = {
	/** The command line as given. */
	readonly argv: readonly string[];
	/** Command names (first word of each command), e.g. audit, explain, list, completion. */
	readonly commands: readonly string[];
	/** Long option names the parser knows, for "did you mean". */
	readonly options: readonly string[];
	/** The command the line runs ('' for the default command). */
	readonly command: string;
	/** The usage line of that command, e.g. "pfnaudit explain <topology> <pfn>". */
	readonly usage: string;
};

/** Damerau–Levenshtein distance (optimal string alignment): transpositions count one. */
export function editDistance(a: string, b: string): number {
	const rows = a.length + 1;
	const cols = b.length + 1;
	const d: number[][] = Array.from({length: rows}, (_, i) => Array.from({length: cols}, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
	for (let i = 1; i < rows; i++) {
		for (let j = 1; j < cols; j++) {
			const cost = a[i - 1] === b[j - 1] ? 0 : 1;
			d[i]![j] = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
			if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
				d[i]![j] = Math.min(d[i]![j]!, d[i - 2]![j - 2]! + 1);
			}
		}
	}

	return d[a.length]![b.length]!;
}

/** The nearest candidate within a distance that still reads as a typo (two fifths of the word, at least 1). */
export function nearest(word: string, candidates: readonly string[]): string | undefined {
	const limit = Math.max(1, Math.round(word.length * 0.4));
	let best: {name: string; distance: number} | undefined;
	for (const name of candidates) {
		const distance = editDistance(word.toLowerCase(), name.toLowerCase());
		if (distance <= limit && (best === undefined || distance < best.distance)) {
			best = {name, distance};
		}
	}

	return best?.name;
}

function flag(name: string): string {
	return name.length === 1 ? `-${name}` : `--${name}`;
}

function orList(items: readonly string[]): string {
	return items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} or ${items.at(-1)!}`;
}

/** The help command for the context: `pfnaudit audit --help`. */
function help(context: UsageContext): string {
	return `pfnaudit ${context.command ? `${context.command} ` : ''}--help`;
}

/** A word that looks like a negative number (`-1`, `-0x1`): yargs reads it as options. */
const NEGATIVE = /^-(?:0x[\da-f_]+|\d[\d_]*)$/i;

function notEnoughPositionals(context: UsageContext): string {
	const negative = context.argv.find(word => NEGATIVE.test(word));
	if (negative !== undefined) {
		return `${negative} is not a pfn: pfns and addresses are not negative (write ${negative.slice(1)}), and a word starting with "-" is read as an option`;
	}

	return `${context.command || 'pfnaudit'} needs more arguments: ${context.usage} (see ${help(context)})`;
}

function invalidValues(message: string, context: UsageContext): string | undefined {
	// "Invalid values:\n  Argument: mode, Given: "foo", Choices: "runs", "per-pfn""
	const match = /Argument: ([^,]+), Given: (.*?), Choices: (.*)$/m.exec(message);
	if (!match) {
		return undefined;
	}

	const [, name, given, choices] = match;
	const values = [...choices!.matchAll(/"([^"]*)"/g)].map(m => m[1]!);
	const givenText = given!.replace(/^"(.*)"$/, '$1');
	const isOption = !new RegExp(`[<[]${name!}(?:\\.\\.\\.)?[>\\]]`).test(context.usage);
	const suggestion = nearest(givenText, values);
	const what = isOption ? `${flag(name!)} ${givenText}` : givenText;
	return `${what} is not one of ${orList(values)}${suggestion ? ` (did you mean ${suggestion}?)` : ''}`;
}

function unknownArguments(names: readonly string[], context: UsageContext): string {
	const first = names[0]!;
	const asOption = context.argv.some(word => word === flag(first) || word.startsWith(`${flag(first)}=`) || word === `--no-${first}`);
	if (asOption) {
		const suggestion = nearest(first, context.options);
		return `${flag(first)} is not an option of ${context.command ? `pfnaudit ${context.command}` : 'pfnaudit'}${suggestion ? `; did you mean --${suggestion}?` : `; see ${help(context)}`}`;
	}

	return `unexpected argument ${first}: ${context.usage} takes no more (see ${help(context)})`;
}

/**
The first word of the line when it is neither a command nor a file: most likely a mistyped
command (`pfnaudit lst walkers`), which the default command would take for a topology.
*/
export function mistypedCommand(argv: readonly string[], commands: readonly string[], exists: (file: string) => boolean): string | undefined {
	const first = argv.find(word => !word.startsWith('-'));
	if (first === undefined || commands.includes(first) || exists(first) || /[./\\]/.test(first)) {
		return undefined;
	}

	const suggestion = nearest(first, commands);
	if (suggestion === undefined) {
		return undefined;
	}

	return `${first} is not a command; did you mean pfnaudit ${suggestion}? (commands: ${commands.join(', ')}; a topology file opens the dashboard)`;
}

/** One sentence for a yargs failure message. */
export function usageSentence(message: string, context: UsageContext): string {
	let match = /^Not enough arguments following: (.+)$/.exec(message);
	if (match) {
		return `${flag(match[1]!)} needs a value (see ${help(context)})`;
	}

	if (/^Not enough non-option arguments/.test(message)) {
		return notEnoughPositionals(context);
	}

	match = /^Too many non-option arguments: got (\d+), maximum of (\d+)/.exec(message);
	if (match) {
		return `too many arguments: ${context.usage} (see ${help(context)})`;
	}

	if (message.startsWith('Invalid values:')) {
		const sentence = invalidValues(message, context);
		if (sentence) {
			return sentence;
		}
	}

	match = /^Unknown arguments?: (.+)$/.exec(message);
	if (match) {
		return unknownArguments(match[1]!.split(', '), context);
	}

	match = /^Missing required arguments?: (.+)$/.exec(message);
	if (match) {
		return `${orList(match[1]!.split(', ').map(flag))} is required (see ${help(context)})`;
	}

	match = /^Arguments (\S+) and (\S+) are mutually exclusive$/.exec(message);
	if (match) {
		return `${flag(match[1]!)} and ${flag(match[2]!)} cannot be given together; choose one`;
	}

	// Anything else: its lines joined into one, and where to read more.
	return `${message.trim().replaceAll(/\s*\n\s*/g, '; ')} (see ${help(context)})`;
}
