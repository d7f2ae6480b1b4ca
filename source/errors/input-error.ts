/**
Bad input from the user: a topology, an argument, a walker file, an output path. The command
layer prints `message` as one sentence (what, where, how to fix) and exits 2 — never a stack
trace unless --debug.
*/
export type InputLocation = {readonly file: string; readonly line?: number; readonly column?: number};

export class InputError extends Error {
	override readonly name = 'InputError';

	constructor(
		message: string,
		readonly location?: InputLocation,
		options?: {cause?: unknown},
	) {
		super(message, options);
	}

	/** "topologies/x.yaml:12:5: <message>" — the form every input error is printed in. */
	format(): string {
		if (!this.location) {
			return this.message;
		}

		const {file, line, column} = this.location;
		const where = line === undefined ? file : `${file}:${line}:${column ?? 1}`;
		return `${where}: ${this.message}`;
	}
}

export function isInputError(error: unknown): error is InputError {
	return error instanceof Error && error.name === 'InputError';
}
