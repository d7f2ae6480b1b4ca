/**
Headless progress on stderr: one line, rewritten at most every 100 ms, only when stderr is a
terminal (CI logs and redirected stderr get nothing but errors). It never writes to stdout,
where the report goes.
*/
import {tallyTotal} from '../engine/tally.js';
import type {EngineEvent} from '../engine/types.js';

const INTERVAL_MS = 100;

/** "1.2 G" */
function humanCount(n: number): string {
	const units = ['', ' K', ' M', ' G', ' T', ' P'];
	let value = n;
	let unit = 0;
	while (value >= 1000 && unit < units.length - 1) {
		value /= 1000;
		unit++;
	}

	return `${unit === 0 ? value : value.toFixed(1)}${units[unit]!}`;
}

export class ProgressLine {
	private total = 0;
	private done = 0;
	private failing = 0;
	private readonly running = new Map<string, number>();
	private readonly visited = new Map<string, number>();
	private last = 0;
	private shown = false;

	constructor(
		private readonly stream: NodeJS.WritableStream & {columns?: number},
		private readonly topology: string,
		private readonly now: () => number = () => performance.now(),
	) {}

	readonly onEvent = (event: EngineEvent): void => {
		switch (event.type) {
			case 'start': {
				this.total = event.walkers.length;
				break;
			}

			case 'progress': {
				this.running.set(event.walker, event.fraction);
				this.visited.set(event.walker, event.pfns_visited);
				break;
			}

			case 'walker-done': {
				this.running.delete(event.result.name);
				this.visited.set(event.result.name, event.result.pfns_visited);
				this.done++;
				this.failing += tallyTotal(event.result.failing);
				break;
			}

			case 'done': {
				this.clear();
				return;
			}
		}

		const t = this.now();
		if (t - this.last >= INTERVAL_MS) {
			this.last = t;
			this.draw();
		}
	};

	clear(): void {
		if (this.shown) {
			this.stream.write('\r\u001B[2K');
			this.shown = false;
		}
	}

	private draw(): void {
		const visited = [...this.visited.values()].reduce((sum, n) => sum + n, 0);
		const walkers = [...this.running.entries()].map(([name, fraction]) => `${name} ${Math.floor(fraction * 100)}%`).join(', ');
		const line = `${this.topology}: ${this.done}/${this.total} walkers done, ${humanCount(visited)} pfns, ${humanCount(this.failing)} failing${walkers ? ` | ${walkers}` : ''}`;
		const width = Math.max(20, (this.stream.columns ?? 80) - 1);
		this.stream.write(`\r\u001B[2K${line.length > width ? `${line.slice(0, width - 1)}…` : line}`);
		this.shown = true;
	}
}
