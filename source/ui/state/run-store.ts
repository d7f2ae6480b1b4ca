/**
Folds the engine's event stream into table rows. The UI reads snapshots of this store at 10 Hz
(hooks/use-audit-runner.ts), so a burst of events costs one frame, not one frame per event.
Row order is the order of the engine's `start` event and never changes while counts change.
*/
import {emptyTally, tallyTotal} from '../../engine/tally.js';
import type {AuditReport, EngineEvent, Tally, WalkerResult, WalkerStatus, Witness} from '../../engine/types.js';
import type {CategoryId} from '../../model/categories.js';

export type RowStatus = 'pending' | 'running' | WalkerStatus;

/** `pending`: running or queued with no failing touch yet. A row with failing touches is `fail` at once. */
export type RowVerdict = 'pass' | 'fail' | 'error' | 'pending';

export type WalkerRow = {
	readonly name: string;
	readonly models: string;
	readonly form: string;
	readonly status: RowStatus;
	readonly fraction: number;
	readonly pfns_visited: number;
	readonly touches: Tally;
	readonly failing: Tally;
	/** Write touches per category (WalkerResult.writes): the categories reached through a write. */
	readonly writes: Tally;
	readonly verdict: RowVerdict;
	readonly error?: string;
	/** Append-only while running; read with `witnessCount` (the array may grow after the snapshot). */
	readonly witnesses: readonly Witness[];
	readonly witnessCount: number;
	readonly byCategory: ReadonlyMap<CategoryId, readonly Witness[]>;
};

export type RunSnapshot = {
	readonly version: number;
	readonly rows: readonly WalkerRow[];
	readonly report?: AuditReport;
};

type MutableRow = {
	name: string;
	models: string;
	form: string;
	status: RowStatus;
	fraction: number;
	pfns_visited: number;
	touches: Tally;
	failing: Tally;
	writes: Tally;
	verdict: RowVerdict;
	error?: string;
	witnesses: Witness[];
	byCategory: Map<CategoryId, Witness[]>;
	/** Bumped by every event about this row: snapshot() hands out the same row object until it moves. */
	changes: number;
};

function addWitnesses(row: MutableRow, witnesses: readonly Witness[]): void {
	for (const witness of witnesses) {
		row.witnesses.push(witness);
		let list = row.byCategory.get(witness.category);
		if (!list) {
			list = [];
			row.byCategory.set(witness.category, list);
		}

		list.push(witness);
	}
}

export class RunStore {
	private readonly rows: MutableRow[] = [];
	private readonly index = new Map<string, MutableRow>();
	private report: AuditReport | undefined;
	private changes = 0;
	/** The row objects of the last snapshot and the row's `changes` they show. */
	private readonly shown = new Map<string, {changes: number; row: WalkerRow}>();

	/** Bumped by every event; the UI re-renders only when it moved. */
	get version(): number {
		return this.changes;
	}

	apply(event: EngineEvent): void {
		this.changes++;
		switch (event.type) {
			case 'start': {
				for (const walker of event.walkers) {
					const row = this.row(walker.name);
					row.models = walker.models;
					row.form = walker.form;
					row.changes++;
				}

				break;
			}

			case 'progress': {
				const row = this.row(event.walker);
				row.changes++;
				row.status = 'running';
				row.fraction = event.fraction;
				row.pfns_visited = event.pfns_visited;
				row.touches = event.touches;
				row.failing = event.failing;
				row.writes = event.writes ?? emptyTally();
				row.verdict = tallyTotal(event.failing) > 0 ? 'fail' : 'pending';
				addWitnesses(row, event.witnesses);
				break;
			}

			case 'walker-done': {
				this.finish(event.result);
				break;
			}

			case 'done': {
				for (const result of event.report.walkers) {
					this.finish(result);
				}

				this.report = event.report;
				break;
			}
		}
	}

	/**
	The rows as they are now. A row no event touched since the last snapshot is the same object as
	in it: the tally draws again only the rows of walkers that moved (TallyTable's memoized rows),
	while the walk runs as well as when the cursor moves.
	*/
	snapshot(): RunSnapshot {
		return {
			version: this.changes,
			rows: this.rows.map(row => this.frozen(row)),
			...(this.report ? {report: this.report} : {}),
		};
	}

	private frozen(row: MutableRow): WalkerRow {
		const last = this.shown.get(row.name);
		if (last && last.changes === row.changes && last.row.witnessCount === row.witnesses.length) {
			return last.row;
		}

		const frozen: WalkerRow = {
			name: row.name,
			models: row.models,
			form: row.form,
			status: row.status,
			fraction: row.fraction,
			pfns_visited: row.pfns_visited,
			touches: row.touches,
			failing: row.failing,
			writes: row.writes,
			verdict: row.verdict,
			...(row.error === undefined ? {} : {error: row.error}),
			witnesses: row.witnesses,
			witnessCount: row.witnesses.length,
			byCategory: row.byCategory,
		};
		this.shown.set(row.name, {changes: row.changes, row: frozen});
		return frozen;
	}

	private finish(result: WalkerResult): void {
		const row = this.row(result.name);
		row.changes++;
		row.models = result.models;
		row.form = result.form;
		row.status = result.status;
		row.fraction = result.status === 'ok' || result.status === 'absent' ? 1 : row.fraction;
		row.pfns_visited = result.pfns_visited;
		row.touches = result.touches;
		row.failing = result.failing;
		row.writes = result.writes ?? emptyTally();
		row.verdict = result.verdict;
		if (result.error !== undefined) {
			row.error = result.error;
		}

		// The result's witness list is authoritative (the engine may cap or re-order it).
		row.witnesses = [];
		row.byCategory = new Map();
		addWitnesses(row, result.witnesses);
	}

	private row(name: string): MutableRow {
		let row = this.index.get(name);
		if (!row) {
			row = {
				name,
				models: '',
				form: '',
				status: 'pending',
				fraction: 0,
				pfns_visited: 0,
				touches: emptyTally(),
				failing: emptyTally(),
				writes: emptyTally(),
				verdict: 'pending',
				witnesses: [],
				byCategory: new Map(),
				changes: 0,
			};
			this.index.set(name, row);
			this.rows.push(row);
		}

		return row;
	}
}

/** The overall verdict shown in the header: the report's once done, else what is already certain. */
export function overallVerdict(snapshot: RunSnapshot): 'pass' | 'fail' | 'pending' {
	if (snapshot.report) {
		return snapshot.report.verdict;
	}

	return snapshot.rows.some(row => row.verdict === 'fail') ? 'fail' : 'pending';
}
