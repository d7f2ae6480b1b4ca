/** pfnaudit's exit codes (README.md, Commands). */
export const EXIT_OK = 0;
/** Failing touches found. */
export const EXIT_FAILING = 1;
/** Usage or input error. */
export const EXIT_INPUT = 2;
/** Internal error. */
export const EXIT_INTERNAL = 3;
