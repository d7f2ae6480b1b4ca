/**
The load-time check every walker passes, built-in or user-supplied (docs/writing-a-walker.md: "it gets the same
checks as the built-in ones"). It returns the first problem as one sentence — what is wrong and
how to fix it — and the callers decide the error class: an InternalError for a built-in (a bug
in pfnaudit), an InputError naming the file for a user walker.
*/
import {KERNEL_VERSIONS} from '../kernel/version.js';
import type {Confidence, GuardChange, PageField, Reachability, WalkerDefinition} from './contract.js';

/** Every PageField, at run time. */
export const PAGE_FIELDS = [
	'flags',
	'compound_head',
	'page_type',
	'private',
	'_refcount',
	'_mapcount',
	'mapping',
	'index',
	'memcg_data',
	'pgmap',
	'lru',
	'page_ext',
	'struct page',
	'mem_section',
] as const satisfies readonly PageField[];

export const REACHABILITIES = ['unprivileged', 'root', 'root-any-pfn', 'indirect', 'kernel-only'] as const satisfies readonly Reachability[];
export const CONFIDENCES = ['V', 'P', 'U', 'A'] as const satisfies readonly Confidence[];

// Compile-time exhaustiveness: a PageField/Reachability added to contract.ts must be added here.
type Missing<All, Listed> = Exclude<All, Listed> extends never ? true : Exclude<All, Listed>;
const fieldsComplete: Missing<PageField, (typeof PAGE_FIELDS)[number]> = true;
const reachComplete: Missing<Reachability, (typeof REACHABILITIES)[number]> = true;
void fieldsComplete;
void reachComplete;

const KEYS = ['name', 'models', 'trigger', 'reachability', 'shape', 'fields', 'history', 'plan'] as const satisfies ReadonlyArray<
	keyof WalkerDefinition
>;
const HISTORY_KEYS = ['since', 'guard', 'commits', 'confidence', 'note'] as const satisfies ReadonlyArray<keyof GuardChange>;
const keysComplete: Missing<keyof WalkerDefinition, (typeof KEYS)[number]> = true;
const historyKeysComplete: Missing<keyof GuardChange, (typeof HISTORY_KEYS)[number]> = true;
void keysComplete;
void historyKeysComplete;

const C_IDENTIFIER = /^[A-Za-z_]\w*$/;
const MODELS = /^[\w.+-]+(?:\/[\w.+-]+)*\.[ch]:[A-Za-z_]\w*\(\)$/;
const COMMIT_ID = /^[\da-f]{12,40}$/;

function quote(value: unknown): string {
	return typeof value === 'string' ? `'${value}'` : (value === undefined ? 'missing' : JSON.stringify(value) ?? typeof value);
}

function nonEmpty(value: unknown): value is string {
	return typeof value === 'string' && value.trim() !== '';
}

function historyProblem(history: unknown): string | undefined {
	if (!Array.isArray(history) || history.length === 0) {
		return `history is ${Array.isArray(history) ? 'empty' : quote(history)}; give the guard history oldest first, at least one entry {since: '${KERNEL_VERSIONS[0]}', guard: 'pfn_valid()', confidence: 'V'}`;
	}

	let previous = -1;
	for (const [i, entry] of (history as unknown[]).entries()) {
		if (typeof entry !== 'object' || entry === null) {
			return `history[${i}] is ${quote(entry)}, not an object {since, guard, confidence, commits?, note?}`;
		}

		const e = entry as Record<string, unknown>;
		const unknown = Object.keys(e).find(key => !(HISTORY_KEYS as readonly string[]).includes(key));
		if (unknown !== undefined) {
			return `history[${i}] has the unknown key '${unknown}'; an entry has ${HISTORY_KEYS.join(', ')}`;
		}

		const position = typeof e.since === 'string' ? KERNEL_VERSIONS.indexOf(e.since) : -1;
		if (position < 0) {
			return `history[${i}].since is ${quote(e.since)}, not a modelled mainline release; use "MAJOR.MINOR" between ${KERNEL_VERSIONS[0]} and ${KERNEL_VERSIONS.at(-1)!}`;
		}

		if (position <= previous) {
			return `history[${i}].since '${e.since as string}' does not come after history[${i - 1}].since '${KERNEL_VERSIONS[previous]!}'; list the history oldest first, one entry per release`;
		}

		previous = position;
		if (!nonEmpty(e.guard)) {
			return `history[${i}].guard is ${quote(e.guard)}; name the guard in kernel terms, e.g. 'pfn_to_online_page()'`;
		}

		if (!(CONFIDENCES as readonly unknown[]).includes(e.confidence)) {
			return `history[${i}].confidence is ${quote(e.confidence)}; use one of ${CONFIDENCES.join(', ')} ([V] read in source, [P] patch mail, [U] unverified, [A] own analysis)`;
		}

		if (e.note !== undefined && typeof e.note !== 'string') {
			return `history[${i}].note is ${quote(e.note)}, not a string`;
		}

		if (e.commits !== undefined) {
			if (!Array.isArray(e.commits)) {
				return `history[${i}].commits is ${quote(e.commits)}, not a list of {id?, subject}`;
			}

			for (const [j, commit] of (e.commits as unknown[]).entries()) {
				const c = (typeof commit === 'object' && commit !== null ? commit : {}) as Record<string, unknown>;
				if (!nonEmpty(c.subject)) {
					return `history[${i}].commits[${j}] has no subject; give the commit subject line`;
				}

				if (c.id !== undefined && !(typeof c.id === 'string' && COMMIT_ID.test(c.id))) {
					return `history[${i}].commits[${j}].id is ${quote(c.id)}; give 12 to 40 lower-case hex digits of the mainline commit, or leave it out`;
				}
			}
		}
	}

	return undefined;
}

/** The first problem with a walker definition, or undefined when it is well-formed. */
export function walkerProblem(definition: unknown): string | undefined {
	if (typeof definition !== 'object' || definition === null) {
		return `the walker is ${quote(definition)}, not an object made with defineWalker({...})`;
	}

	const d = definition as Record<string, unknown>;
	const unknown = Object.keys(d).find(key => !(KEYS as readonly string[]).includes(key));
	if (unknown !== undefined) {
		return `the walker has the unknown key '${unknown}'; a walker has ${KEYS.join(', ')}`;
	}

	if (typeof d.name !== 'string' || !C_IDENTIFIER.test(d.name)) {
		return `name ${quote(d.name)} is not a C identifier; name the walker after the kernel function it models, verbatim (e.g. 'kpageflags_read')`;
	}

	if (typeof d.models !== 'string' || !MODELS.test(d.models)) {
		return `models ${quote(d.models)} is not 'path/file.c:function()'; give the kernel file and function, e.g. 'fs/proc/page.c:kpageflags_read()'`;
	}

	if (!nonEmpty(d.trigger)) {
		return `trigger is ${quote(d.trigger)}; say how the walker is triggered, e.g. 'read /proc/kpageflags'`;
	}

	if (!(REACHABILITIES as readonly unknown[]).includes(d.reachability)) {
		return `reachability is ${quote(d.reachability)}; use one of ${REACHABILITIES.join(', ')}`;
	}

	if (!nonEmpty(d.shape)) {
		return `shape is ${quote(d.shape)}; describe the iteration in words, e.g. 'consecutive pfns from the file offset, stride 1'`;
	}

	if (!Array.isArray(d.fields)) {
		return `fields is ${quote(d.fields)}; list the struct page fields the walker reads or writes (may be empty)`;
	}

	const badField = (d.fields as unknown[]).find(field => !(PAGE_FIELDS as readonly unknown[]).includes(field));
	if (badField !== undefined) {
		return `fields has ${quote(badField)}, not a struct page field pfnaudit models; use ${PAGE_FIELDS.map(field => `'${field}'`).join(', ')}`;
	}

	const history = historyProblem(d.history);
	if (history !== undefined) {
		return history;
	}

	if (typeof d.plan !== 'function') {
		return `plan is ${quote(d.plan)}; give plan(model) returning the walker's form at model.kernel, or null when it does not exist there`;
	}

	return undefined;
}
