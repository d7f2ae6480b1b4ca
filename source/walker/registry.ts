/**
The walker registry: the built-in catalog (walkers/index.ts), checked once at first use, and the
lookup by name the CLI and the workers use. A built-in that fails the check is a bug in
pfnaudit (InternalError, exit 3), never something the user can fix.
*/
import {InternalError} from '../errors/internal-error.js';
import {BUILTIN_WALKERS} from '../../walkers/index.js';
import {walkerProblem} from './check.js';
import type {WalkerDefinition} from './contract.js';

let checked: readonly WalkerDefinition[] | undefined;

/** Check a list of built-in walkers: each well-formed, names unique. Throws InternalError. */
export function checkBuiltinWalkers(walkers: readonly WalkerDefinition[]): readonly WalkerDefinition[] {
	const names = new Set<string>();
	for (const [i, walker] of walkers.entries()) {
		const problem = walkerProblem(walker);
		const label = typeof walker?.name === 'string' ? `${walker.name} (${builtinWalkerFile(walker.name)})` : `BUILTIN_WALKERS[${i}]`;
		if (problem !== undefined) {
			throw new InternalError(`built-in walker ${label}: ${problem}`);
		}

		if (names.has(walker.name)) {
			throw new InternalError(`built-in walker ${label}: the name '${walker.name}' is registered twice in walkers/index.ts`);
		}

		names.add(walker.name);
	}

	return walkers;
}

/** The built-in walkers, in catalog order, checked. */
export function builtinWalkers(): readonly WalkerDefinition[] {
	checked ??= checkBuiltinWalkers(BUILTIN_WALKERS);
	return checked;
}

export function builtinWalkerNames(): string[] {
	return builtinWalkers().map(walker => walker.name);
}

export function findBuiltinWalker(name: string): WalkerDefinition | undefined {
	return builtinWalkers().find(walker => walker.name === name);
}

/** The source file of a built-in walker, relative to the package root (docs/writing-a-walker.md: one file per walker, named after it). */
export function builtinWalkerFile(name: string): string {
	return `walkers/${name}.ts`;
}
