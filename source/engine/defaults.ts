/**
The engine's option values and defaults, in a module with no imports: the command definitions
(source/cli/commands/) show them in `--help` without loading the engine.
*/

export const EVALUATION_MODES = ['runs', 'per-pfn'] as const;
export type EvaluationMode = (typeof EVALUATION_MODES)[number];

/** Default time limit per walker and phase: generous, a 64 TiB sweep in runs mode takes far less. */
export const DEFAULT_TIME_LIMIT_MS = 60_000;
