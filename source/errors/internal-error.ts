/**
A broken invariant inside pfnaudit: a bug, not bad input. The command layer exits 3 and asks for
a report with the pfn, walker and topology involved.
*/
export class InternalError extends Error {
	override readonly name = 'InternalError';
}

export function isInternalError(error: unknown): error is InternalError {
	return error instanceof Error && error.name === 'InternalError';
}
