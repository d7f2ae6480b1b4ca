import {Box, Text, useApp, useStdin} from 'ink';
import React, {useMemo} from 'react';
import type {Witness} from '../../engine/types.js';
import {displayPath, fit, noteLines} from '../format.js';
import {computeLayout, MIN_COLUMNS, MIN_ROWS} from '../layout.js';
import {useAuditRunner} from '../hooks/use-audit-runner.js';
import {useLatestState} from '../hooks/use-latest-state.js';
import {type DashboardView, useDashboardKeys} from '../hooks/use-dashboard-keys.js';
import {useTerminalSize} from '../hooks/use-terminal-size.js';
import {useTheme} from '../hooks/use-theme.js';
import type {AuditRequest, DashboardPort, LoadStage} from '../port.js';
import {NO_FILE_PATCHES} from '../../topology/load.js';
import {describeBaseline} from '../state/deltas.js';
import {overallVerdict, type WalkerRow} from '../state/run-store.js';
import {SELECTABLE_CATEGORIES, tallyLayout} from '../state/tally-columns.js';
import DetailPane from './DetailPane.js';
import ExplainView from './ExplainView.js';
import ExportDialog from './ExportDialog.js';
import Header, {type KernelSource} from './Header.js';
import HelpView from './HelpView.js';
import KernelChooser from './KernelChooser.js';
import KeyBar, {type KeyHint} from './KeyBar.js';
import MemoryMap from './MemoryMap.js';
import PatchChooser from './PatchChooser.js';
import TallyTable from './TallyTable.js';
import TextField from './TextField.js';
import TopologyChooser from './TopologyChooser.js';
import WarningsView from './WarningsView.js';

export type AppProps = {
	readonly port: DashboardPort;
	readonly request: AuditRequest;
	/**
	The command line's request failing to load with an InputError ends the dashboard with that
	error (ink's exit(error)): run-dashboard.tsx gives the terminal back and the command reports it
	in one sentence, exit 2. Otherwise (tests, later runs) the body says "Cannot audit".
	*/
	readonly exitOnLoadError?: boolean;
};

/** What the screen says while a request loads (LoadStage): the header's short form and the tally's sentence. */
export function stageText(stage: LoadStage | undefined, file: string): {short: string; long: string} {
	switch (stage?.step) {
		case 'reading': {
			return {short: 'reading', long: `reading and checking ${file}`};
		}

		case 'building': {
			const entries = stage.entries === undefined ? '' : ` of ${stage.entries.toLocaleString('en')} entries`;
			return {short: `building${stage.entries === undefined ? '' : ` ${stage.entries.toLocaleString('en')} entries`}`, long: `building the model${entries}`};
		}

		case 'starting': {
			return {short: 'starting workers', long: 'starting the walkers'};
		}

		default: {
			return {short: 'loading', long: 'waiting for the engine'};
		}
	}
}

const NO_WITNESSES: readonly Witness[] = [];

/** Failing walkers first, then those that could not be audited, then the rest; walk order within each (stable). */
export function failingFirst(rows: readonly WalkerRow[]): readonly WalkerRow[] {
	const rank = (row: WalkerRow): number => (row.verdict === 'fail' ? 0 : row.verdict === 'error' ? 1 : 2);
	return [...rows].sort((a, b) => rank(a) - rank(b));
}

/** The dashboard: header, memory map, tally, witnesses, key bar, and the overlays. */
export default function App({port, request, exitOnLoadError}: AppProps) {
	const {exit} = useApp();
	const {isRawModeSupported} = useStdin();
	const {glyphs} = useTheme();
	const size = useTerminalSize();
	const runner = useAuditRunner(port, request, exitOnLoadError ? {onInitialInputError: exit} : {});
	const {state} = runner;
	const [view, setView, viewRef] = useLatestState<DashboardView>({
		pane: 'tally',
		overlay: 'none',
		selected: undefined,
		categoryIndex: 0,
		witness: 0,
		filter: '',
		filtering: false,
		map: {zoom: 0, center: 0},
		mapCursor: 0,
		showDeltas: false,
		// `pfnaudit --kernel X` asks for X whatever the topology.
		kernelPinned: request.kernel !== undefined,
		order: 'failing',
		message: undefined,
	});

	const rows = state.snapshot.rows;
	const needle = view.filter.toLowerCase();
	const shown = useMemo(() => {
		const matching = needle ? rows.filter(row => row.name.toLowerCase().includes(needle) || row.models.toLowerCase().includes(needle)) : rows;
		return view.order === 'failing' ? failingFirst(matching) : matching;
	}, [rows, needle, view.order]);
	const row = shown.find(item => item.name === view.selected) ?? shown[0];
	const category = view.categoryIndex === 0 ? undefined : SELECTABLE_CATEGORIES[view.categoryIndex - 1];
	// "All categories" lists the failing witnesses first (each group in walk order): what a
	// reviewer looks for first. One category is listed in walk order.
	const witnesses = useMemo(
		() => (row ? (category ? (row.byCategory.get(category) ?? NO_WITNESSES) : [...row.witnesses.filter(item => item.failing), ...row.witnesses.filter(item => !item.failing)]) : NO_WITNESSES),
		[row, category, row?.witnessCount],
	);
	const touches = useMemo(() => witnesses.map(witness => witness.pfn), [witnesses, row?.witnessCount]);
	const meta = state.meta;
	const layout = computeLayout(size.columns, size.rows, rows.length, noteLines(meta?.notes ?? [], Math.max(1, size.columns)).length, row ? witnesses.length : undefined);
	// The same object until the width changes: the tally's rows are memoized on it.
	const tally = useMemo(() => tallyLayout(layout.width), [layout.width]);
	const loadingText = stageText(state.stage, displayPath(state.request.topologyFile));

	useDashboardKeys({viewRef, setView, runner, port, exit, shown, row, witnesses, meta, width: layout.width, pageRows: Math.max(1, layout.tally - 2)});

	if (layout.tooSmall) {
		return (
			<Box width={layout.width} height={layout.height}>
				<Text wrap="truncate">{fit(`pfnaudit needs at least ${MIN_COLUMNS}x${MIN_ROWS}; this terminal is ${size.columns}x${size.rows}. q quits.`, layout.width, glyphs.ellipsis)}</Text>
			</Box>
		);
	}

	const close = (): void => {
		setView(current => ({...current, overlay: 'none'}));
	};

	const rerunWith = (change: Partial<AuditRequest>, viewChange: Partial<DashboardView> = {}): void => {
		setView(current => ({...current, overlay: 'none', message: undefined, ...viewChange}));
		const {kernel: _kernel, ...rest} = {...state.request, ...change};
		const kernel = 'kernel' in change ? change.kernel : state.request.kernel;
		runner.start({...rest, ...(kernel === undefined ? {} : {kernel})});
	};

	// The patches on in this run: the file's own (unless turned off: `--patch none`, the `p`
	// chooser) and the added ones.
	const dropAll = state.request.patches.includes(NO_FILE_PATCHES);
	const patchesOn = [
		...new Set([
			...(state.filePatches ?? []).filter(name => !dropAll && !(state.request.dropPatches ?? []).includes(name)),
			...state.request.patches.filter(name => name !== NO_FILE_PATCHES),
		]),
	];

	// The kernel of this run and where it comes from: the topology file, the kernel chooser (v) for this
	// topology, or a pin that topology switches keep.
	const kernelSource: KernelSource = view.kernelPinned ? 'pinned' : state.request.kernel === undefined || state.request.kernel === state.fileKernel ? 'topology' : 'chosen';

	const body = (() => {
		const common = {width: layout.width, height: layout.body};
		switch (view.overlay) {
			case 'help': {
				return <HelpView {...common} notes={meta?.notes ?? []} onClose={close} />;
			}

			case 'warnings': {
				return <WarningsView {...common} warnings={meta?.warnings ?? []} onClose={close} />;
			}

			case 'kernel': {
				return (
					<KernelChooser
						{...common}
						kernels={port.kernels}
						current={meta?.kernel ?? state.request.kernel}
						previous={state.baseline?.kernel}
						own={state.fileKernel}
						pinned={view.kernelPinned}
						onChoose={(kernel, pin) => {
							// The topology's own version, unpinned, is no choice at all: later topology
							// switches then run at their own versions too.
							rerunWith({kernel: !pin && kernel === state.fileKernel ? undefined : kernel}, {kernelPinned: pin});
						}}
						onCancel={close}
					/>
				);
			}

			case 'patches': {
				return (
					<PatchChooser
						{...common}
						patches={port.patches}
						active={patchesOn}
						{...(state.filePatches ? {fixed: state.filePatches} : {})}
						arch={meta?.arch}
						{...(meta?.kernel ? {kernel: meta.kernel} : {})}
						onApply={on => {
							// The file's own patches stay the file's: kept, or turned off by name.
							const own = state.filePatches ?? [];
							rerunWith({patches: on.filter(name => !own.includes(name)), dropPatches: own.filter(name => !on.includes(name))});
						}}
						onCancel={close}
					/>
				);
			}

			case 'topology': {
				return (
					<TopologyChooser
						{...common}
						load={async () => port.listTopologies()}
						current={state.request.topologyFile}
						{...(meta ? {currentName: meta.topology.name} : {})}
						pinnedKernel={view.kernelPinned ? state.request.kernel : undefined}
						onChoose={topology => {
							const keep = state.request.patches.filter(name => port.patches.find(patch => patch.name === name)?.arches.includes(topology.arch ?? '') ?? false);
							// A topology runs at its own kernel unless the user pinned one; the key bar says which.
							const pinned = view.kernelPinned ? state.request.kernel : undefined;
							const text = pinned
								? `${topology.name}: at the pinned kernel v${pinned}${topology.kernel && topology.kernel !== pinned ? ` (its own is v${topology.kernel})` : ''}; v then Enter unpins`
								: `${topology.name}: at its own kernel${topology.kernel ? ` v${topology.kernel}` : ''}`;
							rerunWith({topologyFile: topology.file, patches: keep.filter(name => name !== NO_FILE_PATCHES), dropPatches: [], kernel: pinned}, {message: {text, error: false}});
						}}
						onCancel={close}
					/>
				);
			}

			case 'export': {
				const report = state.snapshot.report;
				return report ? (
					<ExportDialog
						{...common}
						port={port}
						report={report}
						onDone={text => {
							setView(current => ({...current, overlay: 'none', message: {text, error: false}}));
						}}
						onCancel={close}
					/>
				) : null;
			}

			case 'explain': {
				const witness = witnesses[view.witness];
				return witness ? (
					<ExplainView
						{...common}
						pfn={witness.pfn}
						kernel={meta?.kernel ?? ''}
						load={async () =>
							port.explain({
								topologyFile: state.request.topologyFile,
								kernel: meta?.kernel ?? '',
								patches: meta?.patches ?? [],
								...(state.request.dropPatches ? {dropPatches: state.request.dropPatches} : {}),
								...(state.request.patches.includes(NO_FILE_PATCHES) ? {dropPatches: state.filePatches ?? []} : {}),
								pfn: witness.pfn,
								...(witness.phase === 'final' ? {} : {phase: witness.phase}),
							})
						}
						onClose={() => {
							setView(current => ({...current, overlay: 'none', pane: 'detail'}));
						}}
					/>
				) : null;
			}

			case 'none': {
				if (state.status === 'failed' && rows.length === 0) {
					return (
						<Box flexDirection="column" width={layout.width} height={layout.body}>
							<Text color="red" wrap="wrap">{`Cannot audit: ${state.error ?? 'unknown error'}`}</Text>
							<Text dimColor>t: choose another topology  v: another kernel version  p: patches  q: quit</Text>
						</Box>
					);
				}

				return (
					<Box flexDirection="column" width={layout.width} height={layout.body}>
						{layout.map > 0 && meta ? (
							<MemoryMap
								map={meta.map}
								failOn={meta.fail_on}
								width={layout.width}
								height={layout.map}
								view={view.map}
								cursorPfn={view.mapCursor}
								focused={view.pane === 'map'}
								touches={touches}
								touchLabel={row ? `${row.name}${category ? ` ${category}` : ''}` : ''}
							/>
						) : null}
						{layout.map > 0 && !meta ? <Box height={layout.map} /> : null}
						<TallyTable
							rows={shown}
							totalRows={rows.length}
							selected={row?.name}
							category={category}
							layout={tally}
							width={layout.width}
							height={layout.tally}
							focused={view.pane === 'tally'}
							baseline={state.baseline}
							// Deltas of a topology with no previous run would be blank cells.
							showDeltas={view.showDeltas && state.baseline !== undefined}
							filter={view.filter}
							{...(state.status === 'loading' ? {waiting: loadingText.long} : {})}
							order={view.order}
						/>
						{layout.detail > 0 ? (
							<DetailPane
								row={row}
								category={category}
								witnesses={witnesses}
								cursor={Math.min(view.witness, Math.max(0, witnesses.length - 1))}
								width={layout.width}
								height={layout.detail}
								focused={view.pane === 'detail'}
							/>
						) : null}
					</Box>
				);
			}
		}
	})();

	const overlayHints: Record<Exclude<typeof view.overlay, 'none'>, KeyHint[]> = {
		help: [['Esc', 'back'], [glyphs.arrows, 'scroll']],
		warnings: [['Esc', 'back'], [glyphs.arrows, 'scroll']],
		explain: [['Esc', 'back'], [glyphs.arrows, 'scroll']],
		kernel: [[glyphs.enter, 'rerun at this version'], ['Esc', 'back'], [glyphs.arrows, 'move'], ['5.4', 'jump']],
		patches: [[glyphs.space, 'toggle'], [glyphs.enter, 'rerun'], ['Esc', 'back']],
		topology: [[glyphs.enter, 'audit it'], ['Esc', 'back'], [glyphs.arrows, 'move']],
		export: [[glyphs.enter, 'next'], ['Esc', 'back']],
	};
	const mainHints: KeyHint[] = [
		['q', 'quit'],
		['?', 'help'],
		...(view.pane === 'detail' ? ([[glyphs.enter, 'explain pfn'], ['Esc', 'back']] as KeyHint[]) : []),
		...(view.pane === 'map' ? ([[glyphs.leftRight, 'move'], ['+-', 'zoom'], ['Esc', 'back']] as KeyHint[]) : []),
		...(view.pane === 'tally' ? ([[glyphs.enter, 'witnesses']] as KeyHint[]) : []),
		[glyphs.space, state.status === 'paused' ? 'resume' : 'pause'],
		['v', 'kernel'],
		['p', 'patches'],
		['t', 'topology'],
		['r', 'rerun'],
		['e', 'export'],
		...((meta?.warnings?.length ?? 0) > 0 ? ([['w', 'warnings']] as KeyHint[]) : []),
		['/', 'filter'],
		['s', view.order === 'failing' ? 'walk order' : 'failing first'],
		['Tab', 'pane'],
		...(view.pane === 'map' ? [] : ([[glyphs.leftRight, 'category']] as KeyHint[])),
		...(state.baseline ? ([['d', 'deltas']] as KeyHint[]) : []),
		['+-', 'zoom map'],
	];
	const hints = view.overlay === 'none' ? mainHints : overlayHints[view.overlay];
	const noKeys = isRawModeSupported !== true ? {text: 'stdin is not a terminal: keys are off; Ctrl+C quits', error: true} : undefined;
	return (
		<Box flexDirection="column" width={layout.width} height={layout.height}>
			<Header
				width={layout.width}
				height={layout.header}
				noteRows={layout.notes}
				topologyFile={state.topologyName ?? displayPath(state.request.topologyFile)}
				{...(meta ? {meta} : {})}
				{...(state.request.kernel ? {kernel: state.request.kernel} : {})}
				kernelSource={kernelSource}
				{...(state.fileKernel ? {fileKernel: state.fileKernel} : {})}
				patches={patchesOn}
				status={state.status}
				warnings={meta?.warnings?.length ?? 0}
				elapsedMs={state.elapsedMs}
				pfnsVisited={rows.reduce((sum, item) => sum + item.pfns_visited, 0)}
				{...(state.baseline && rows.length > 0 ? {baseline: describeBaseline(state.baseline)} : {})}
				verdict={overallVerdict(state.snapshot)}
				starting={state.status === 'running' && rows.every(item => item.status === 'pending')}
				loadingText={loadingText.short}
			/>
			{body}
			{view.filtering ? (
				<TextField
					label="filter walkers:"
					value={view.filter}
					width={layout.width}
					onChange={filter => {
						setView(current => ({...current, filter}));
					}}
					onSubmit={() => {
						setView(current => ({...current, filtering: false}));
					}}
					onCancel={() => {
						setView(current => ({...current, filtering: false, filter: ''}));
					}}
				/>
			) : (
				<KeyBar hints={hints} width={layout.width} message={noKeys ?? view.message ?? (state.status === 'failed' && state.error && rows.length > 0 ? {text: state.error, error: true} : undefined)} />
			)}
		</Box>
	);
}
