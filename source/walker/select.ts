/**
Which walkers an audit runs (`--walker`, repeatable): built-in names and user walker paths, in
the order given, duplicates dropped; every built-in when none is given. User walkers are loaded
and checked here, each in a worker thread of its own (isolate.ts), so that a bad file is an input
error (exit 2) before any work starts and nothing in the file runs in the CLI's thread.
*/
import path from 'node:path';
import type {AuditWalker} from '../engine/jobs.js';
import {InputError} from '../errors/input-error.js';
import {DEFAULT_WALKER_TIME_LIMIT_MS, type IsolationLimits, loadWalkerIsolated} from './isolate.js';
import {looksLikeWalkerPath} from './load.js';
import {builtinWalkerFile, builtinWalkerNames, builtinWalkers, findBuiltinWalker} from './registry.js';

function builtin(name: string): AuditWalker {
	const definition = findBuiltinWalker(name)!;
	return {definition, source: {kind: 'builtin', name}, file: builtinWalkerFile(name), builtin: true};
}

/** `limits`: for loading user walker files (default: the default --timeout, the default heap). */
export async function selectWalkers(
	values: readonly string[] | undefined,
	cwd: string,
	limits: IsolationLimits = {timeLimitMs: DEFAULT_WALKER_TIME_LIMIT_MS},
): Promise<AuditWalker[]> {
	if (values === undefined || values.length === 0) {
		return builtinWalkers().map(walker => builtin(walker.name));
	}

	const selected: AuditWalker[] = [];
	const byName = new Map<string, string>();
	for (const value of values) {
		if (looksLikeWalkerPath(value)) {
			const absolute = path.resolve(cwd, value);
			if (selected.some(walker => walker.source.kind === 'file' && walker.source.path === absolute)) {
				continue;
			}

			const definition = await loadWalkerIsolated(value, cwd, limits);
			const clash = byName.get(definition.name) ?? (findBuiltinWalker(definition.name) ? builtinWalkerFile(definition.name) : undefined);
			if (clash !== undefined) {
				throw new InputError(
					`the walker is named '${definition.name}', like ${clash}; give it a name of its own (names identify walkers in every report)`,
					{file: value},
				);
			}

			byName.set(definition.name, value);
			selected.push({definition, source: {kind: 'file', path: absolute}, file: value, builtin: false});
			continue;
		}

		if (!findBuiltinWalker(value)) {
			const names = builtinWalkerNames();
			throw new InputError(
				names.length === 0
					? `--walker ${value}: there are no built-in walkers in this build; give the path of a walker file (e.g. ./my_walker.ts)`
					: `--walker ${value}: no built-in walker has that name; choose one of ${names.join(', ')}, or give the path of a walker file`,
			);
		}

		if (selected.some(walker => walker.builtin && walker.definition.name === value)) {
			continue;
		}

		const clash = byName.get(value);
		if (clash !== undefined) {
			throw new InputError(`the walker is named '${value}', like ${builtinWalkerFile(value)}; give it a name of its own (names identify walkers in every report)`, {file: clash});
		}

		byName.set(value, builtinWalkerFile(value));
		selected.push(builtin(value));
	}

	return selected;
}
