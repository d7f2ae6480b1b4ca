import type {WalkerDefinition} from '../source/walker/contract.js';

/**
The built-in walker catalog (SPEC §6), in one explicit list. Checked at load by
source/walker/registry.ts (unique names, models, history).
*/
export const BUILTIN_WALKERS: readonly WalkerDefinition[] = [];
