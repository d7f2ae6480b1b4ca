import type {MutableRefObject} from 'react';
import type {Witness} from '../../engine/types.js';
import {moveCursor} from '../state/list-window.js';
import {cellIndexOf, linearWindow, mapCells, mapEnd, type MapView, maxZoom} from '../state/map-cells.js';
import type {WalkerRow} from '../state/run-store.js';
import {SELECTABLE_CATEGORIES} from '../state/tally-columns.js';
import type {AuditMeta, DashboardPort} from '../port.js';
import type {AuditRunner} from './use-audit-runner.js';
import type {LatestSetter} from './use-latest-state.js';
import {useKeys} from './use-keys.js';

export type Pane = 'tally' | 'detail' | 'map';
export type OverlayName = 'none' | 'help' | 'explain' | 'export' | 'kernel' | 'patches' | 'topology' | 'warnings';

/** Everything about the dashboard that is the user's doing, not the engine's. */
export type DashboardView = {
	readonly pane: Pane;
	readonly overlay: OverlayName;
	/** Selected walker, by name, so the selection survives filtering and reruns. */
	readonly selected: string | undefined;
	/** 0 = all categories, else 1 + index into SELECTABLE_CATEGORIES. */
	readonly categoryIndex: number;
	readonly witness: number;
	readonly filter: string;
	readonly filtering: boolean;
	readonly map: MapView;
	/** pfn under the map cursor. */
	readonly mapCursor: number;
	readonly showDeltas: boolean;
	/**
	The user pinned the kernel (`--kernel`, or `p` in the kernel chooser): a topology switch keeps
	it. Unpinned, a topology runs at its own `kernel:`.
	*/
	readonly kernelPinned: boolean;
	/** Tally order: failing walkers first (then errors, then the rest), as the text report lists them; or walk order. */
	readonly order: 'failing' | 'walk';
	/** Shown in the key bar until the next key. */
	readonly message: {readonly text: string; readonly error: boolean} | undefined;
};

const PANES: readonly Pane[] = ['tally', 'detail', 'map'];

export type DashboardKeysContext = {
	/** The latest view, also between renders (see useLatestState). */
	readonly viewRef: MutableRefObject<DashboardView>;
	readonly setView: LatestSetter<DashboardView>;
	readonly runner: AuditRunner;
	readonly port: DashboardPort;
	readonly exit: (result?: unknown) => void;
	readonly shown: readonly WalkerRow[];
	readonly row: WalkerRow | undefined;
	readonly witnesses: readonly Witness[];
	readonly meta: AuditMeta | undefined;
	readonly width: number;
	/** Rows of the tally body, for PgUp/PgDn. */
	readonly pageRows: number;
};

/**
The main view's keys (as the help view lists them). Overlays and the filter field own their
keys while open, so this handler is inactive then. j/k move down/up as in every vim-keyed TUI;
`v` (kernel version) is the kernel chooser.
*/
export function useDashboardKeys(context: DashboardKeysContext): void {
	const {viewRef, setView, runner, exit, shown, witnesses, meta, width} = context;
	const update = (change: Partial<DashboardView>): void => {
		setView(current => ({...current, ...change}));
	};

	const categoryCount = SELECTABLE_CATEGORIES.length + 1;
	const moveMapCursor = (step: number): void => {
		const view = viewRef.current;
		if (!meta) {
			return;
		}

		const end = mapEnd(meta.map);
		const cells = mapCells(meta.map, width, view.map, meta.fail_on);
		const index = cellIndexOf(cells, view.mapCursor);
		const here = cells[index];
		// The regions view moves run by run; a linear axis cell by cell.
		const next =
			view.map.zoom === 0 && here
				? step > 0
					? cells.find(cell => cell.run_start >= here.run_end)
					: cells.find(cell => cell.run_end === here.run_start)
				: cells[index + step];
		if (next) {
			update({mapCursor: next.start_pfn});
		} else if (view.map.zoom > 0) {
			// At the edge of a zoomed view: pan by half a window.
			const window = linearWindow(end, view.map);
			const span = window.end - window.start;
			const center = Math.min(Math.max(span / 2, view.map.center + (step * span) / 2), end - span / 2);
			const cursor = Math.min(Math.max(0, view.mapCursor + (step * span) / width), end - 1);
			update({map: {zoom: view.map.zoom, center}, mapCursor: Math.floor(cursor)});
		}
	};

	const zoom = (step: number): void => {
		if (!meta) {
			return;
		}

		const view = viewRef.current;
		const deepest = maxZoom(mapEnd(meta.map), width);
		const level = Math.min(Math.max(0, view.map.zoom + step), deepest);
		update({map: {zoom: level, center: view.mapCursor}});
	};

	useKeys((input, key) => {
		const view = viewRef.current;
		if (view.message) {
			update({message: undefined});
		}

		if (input === 'q') {
			exit('quit');
			return;
		}

		const actions: Record<string, () => void> = {
			'?': () => update({overlay: 'help'}),
			' ': () => runner.togglePause(),
			r: () => runner.rerun(),
			v: () => update({overlay: 'kernel'}),
			p: () => update({overlay: 'patches'}),
			t: () => update({overlay: 'topology'}),
			'/': () => update({filtering: true}),
			s: () => update({order: view.order === 'failing' ? 'walk' : 'failing'}),
			w() {
				if (meta) {
					update({overlay: 'warnings'});
				}
			},
			e() {
				if (runner.state.snapshot.report) {
					update({overlay: 'export'});
				} else {
					update({message: {text: runner.state.status === 'failed' ? 'nothing to export: the audit did not finish' : 'the walk is still running: export when it finishes', error: true}});
				}
			},
			d() {
				if (runner.state.baseline) {
					update({showDeltas: !view.showDeltas});
				} else {
					update({showDeltas: false, message: {text: 'no previous run of this topology to compare with yet: press v, p or r first', error: true}});
				}
			},
			'+': () => zoom(1),
			'=': () => zoom(1),
			'-': () => zoom(-1),
			_: () => zoom(-1),
		};
		const action = actions[input];
		if (action) {
			action();
			return;
		}

		if (key.tab) {
			const step = key.shift ? PANES.length - 1 : 1;
			update({pane: PANES[(PANES.indexOf(view.pane) + step) % PANES.length]!});
			return;
		}

		if (key.escape) {
			update(view.pane === 'tally' ? {filter: ''} : {pane: 'tally'});
			return;
		}

		const sideways = key.leftArrow || input === 'h' ? -1 : key.rightArrow || input === 'l' ? 1 : 0;
		if (view.pane === 'map' && sideways !== 0) {
			moveMapCursor(sideways);
			return;
		}

		if (sideways !== 0) {
			update({categoryIndex: (view.categoryIndex + sideways + categoryCount) % categoryCount, witness: 0});
			return;
		}

		// j/k move down/up; g/G go to the first/last row.
		const downKey = input === 'j' ? {...key, downArrow: true} : input === 'k' ? {...key, upArrow: true} : input === 'g' ? {...key, home: true} : input === 'G' ? {...key, end: true} : key;
		if (view.pane === 'detail') {
			const moved = moveCursor('', downKey, view.witness, witnesses.length, context.pageRows, false);
			if (moved !== undefined) {
				update({witness: moved});
			} else if (key.return && witnesses[view.witness]) {
				update({overlay: 'explain'});
			}

			return;
		}

		const index = Math.max(0, shown.findIndex(item => item.name === view.selected));
		const moved = moveCursor('', downKey, index, shown.length, context.pageRows, false);
		if (moved !== undefined) {
			update({selected: shown[moved]?.name, witness: 0});
		} else if (key.return && view.pane === 'tally' && shown.length > 0) {
			update({pane: 'detail', witness: 0});
		}
	}, viewRef.current.overlay === 'none' && !viewRef.current.filtering);
}
