/**
Errors the engine raises while it evaluates a walker. They end one walker's evaluation, never
the audit: the runner turns each into a WalkerStatus with one sentence.
*/

/** The walker broke the contract (source/walker/contract.ts): reported `malformed`. */
export class ContractViolation extends Error {
	override readonly name = 'ContractViolation';

	/** @param located the message already says where (pass, pfn), so no "while stepping pfn …" is added */
	constructor(
		message: string,
		readonly located = false,
	) {
		super(message);
	}
}

/** The walker ran past its time limit: reported `timeout`. */
export class WalkerTimeout extends Error {
	override readonly name = 'WalkerTimeout';
}

/** The audit was cancelled: reported `cancelled`. */
export class WalkerCancelled extends Error {
	override readonly name = 'WalkerCancelled';
}
