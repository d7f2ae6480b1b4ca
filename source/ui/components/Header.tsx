import {Box, Text} from 'ink';
import React from 'react';
import {fit, formatBytes, formatDuration, formatRate, shownNoteLines} from '../format.js';
import {useTheme} from '../hooks/use-theme.js';
import type {AuditMeta} from '../port.js';

/** Where the run's kernel version comes from: the topology's `kernel:`, the kernel chooser (`v`), or a pin. */
export type KernelSource = 'topology' | 'chosen' | 'pinned';

export type HeaderProps = {
	readonly width: number;
	/** 2 or 3 rows, plus `noteRows`. */
	readonly height: number;
	/** Rows at the bottom for the model notes (meta.notes; layout.ts decides how many fit). */
	readonly noteRows?: number;
	readonly topologyFile: string;
	readonly meta?: AuditMeta;
	/** Requested kernel and patches, shown while the topology loads. */
	readonly kernel?: string;
	/** Default 'topology'. */
	readonly kernelSource?: KernelSource;
	/** The topology file's own `kernel:`, named when another version runs. */
	readonly fileKernel?: string;
	readonly patches: readonly string[];
	/** How many topology warnings the run has (AuditMeta.warnings): a badge; `w` lists them. */
	readonly warnings?: number;
	readonly status: 'loading' | 'running' | 'paused' | 'done' | 'failed';
	readonly elapsedMs: number;
	readonly pfnsVisited: number;
	/** "v5.4" when deltas against a previous run are shown. */
	readonly baseline?: string;
	readonly verdict: 'pass' | 'fail' | 'pending';
	/** Running, but no walker has started yet (the worker threads are loading). */
	readonly starting?: boolean;
	/** While loading: what is being done ("building 10,000 entries"), instead of "loading". */
	readonly loadingText?: string;
};

/**
Join one form of each segment: start from the longest forms and shorten the currently longest
segment until the line fits (the last form of a segment may be '' to drop it).
*/
function pack(choices: ReadonlyArray<readonly string[]>, separator: string, width: number): string {
	const levels = choices.map(() => 0);
	const current = (): string[] => choices.map((forms, index) => forms[levels[index]!] ?? '');
	const join = (): string => current().filter(text => text !== '').join(separator);
	while (join().length > width) {
		const texts = current();
		let longest = -1;
		texts.forEach((text, index) => {
			if (levels[index]! < choices[index]!.length - 1 && (longest === -1 || text.length > texts[longest]!.length)) {
				longest = index;
			}
		});
		if (longest === -1) {
			break;
		}

		levels[longest]!++;
	}

	return join();
}

function geometryForms(meta: AuditMeta | undefined, dot: string): string[] {
	if (!meta) {
		return [''];
	}

	const g = meta.geometry;
	const page = formatBytes(2 ** g.PAGE_SHIFT);
	const section = formatBytes(2 ** g.SECTION_SIZE_BITS);
	const subsection = formatBytes(g.PAGES_PER_SUBSECTION * 2 ** g.PAGE_SHIFT);
	return [
		`${meta.arch} ${page} pages ${dot} section ${section} (2^${g.SECTION_SIZE_BITS}) ${dot} subsection ${subsection} ${dot} MAX_PHYSMEM_BITS ${g.MAX_PHYSMEM_BITS} ${dot} block ${formatBytes(g.memory_block_size)}`,
		`${meta.arch} sect ${section} sub ${subsection} bits ${g.MAX_PHYSMEM_BITS}`,
		`${meta.arch} ${section}/${subsection}`,
	];
}

function kernelForms(kernel: string | undefined, source: KernelSource, fileKernel: string | undefined): string[] {
	if (!kernel) {
		return ['kernel: the topology\'s', ''];
	}

	const own = fileKernel && fileKernel !== kernel ? `; topology's v${fileKernel}` : '';
	switch (source) {
		case 'topology': {
			return [`kernel v${kernel} (topology's)`, `kernel v${kernel}`, `v${kernel}`];
		}

		case 'chosen': {
			return [`kernel v${kernel} (chosen${own})`, `kernel v${kernel} (chosen)`, `v${kernel}`];
		}

		case 'pinned': {
			return [`kernel v${kernel} (pinned${own})`, `kernel v${kernel} (pinned)`, `v${kernel} pinned`, `v${kernel}`];
		}
	}
}

/**
Topology, arch and geometry, kernel and patches, run state with elapsed time and pfns/s, and
the overall verdict. Geometry values come from the engine (AuditMeta.geometry).
*/
export default function Header(props: HeaderProps) {
	const {glyphs, ascii} = useTheme();
	const {meta, width} = props;
	const separator = ascii ? ' | ' : ' │ ';
	const kernel = meta?.kernel ?? props.kernel;
	const patches = meta?.patches ?? props.patches;
	const rate = props.elapsedMs > 0 ? (props.pfnsVisited * 1000) / props.elapsedMs : 0;
	const run: Record<HeaderProps['status'], string> = {
		loading: `${props.loadingText ?? 'loading'}${glyphs.ellipsis}`,
		running: props.starting ? `${ascii ? '>' : '▶'} starting workers${glyphs.ellipsis}` : `${ascii ? '>' : '▶'} ${formatDuration(props.elapsedMs)} ${formatRate(rate)}`,
		paused: `${ascii ? '||' : '❚❚'} paused ${formatDuration(props.elapsedMs)}`,
		done: `done ${formatDuration(props.elapsedMs)} ${formatRate(rate)}`,
		failed: 'stopped',
	};
	const verdictText = props.status === 'failed' ? 'ERROR' : props.verdict === 'fail' ? 'FAIL' : props.verdict === 'pass' ? 'PASS' : `${glyphs.ellipsis}`;
	const verdictColor = props.status === 'failed' ? 'magenta' : props.verdict === 'fail' ? 'red' : props.verdict === 'pass' ? 'green' : 'yellow';
	const warnings = props.warnings ?? 0;
	const badge = warnings > 0 ? `${warnings} warning${warnings === 1 ? '' : 's'} (w)  ` : '';
	const right = `${run[props.status]}  `;
	const rightWidth = badge.length + right.length + verdictText.length;
	const name = meta?.topology.name ?? props.topologyFile;
	// Descriptions are paragraphs (YAML block scalars): one line here.
	const description = (meta?.topology.description ?? '').replaceAll(/\s+/g, ' ').trim();
	const kernelLine = pack(
		[
			geometryForms(meta, glyphs.dot),
			kernelForms(kernel, props.kernelSource ?? 'topology', props.fileKernel),
			// Before the first run reports, the file's own patches are not known yet: say nothing.
			patches.length > 0 ? [`patches: ${patches.join(', ')}`, patches.length === 1 ? '1 patch' : `${patches.length} patches`] : [meta ? 'no patches' : ''],
			props.baseline ? [`${glyphs.delta} vs ${props.baseline}`] : [''],
		],
		separator,
		width,
	);
	const noteRows = props.noteRows ?? 0;
	const baseHeight = props.height - noteRows;
	// What the model does not know about this kernel selection (an LTS series without its stable
	// preset, …): as much as fits, the help view (?) has them all.
	const notes = shownNoteLines(meta?.notes ?? [], width, noteRows, '(? shows all)', glyphs.ellipsis);
	const title = baseHeight >= 3 ? `pfnaudit ${glyphs.rule} ${name}` : `${name}${description ? ` ${glyphs.rule} ${description}` : ''}`;
	return (
		<Box flexDirection="column" width={width} height={props.height}>
			<Text wrap="truncate">
				<Text bold>{fit(title, Math.max(0, width - rightWidth - 1), glyphs.ellipsis)} </Text>
				{badge ? <Text color="yellow">{badge}</Text> : null}
				<Text color={props.status === 'paused' ? 'yellow' : undefined}>{right}</Text>
				<Text bold color={verdictColor}>
					{verdictText}
				</Text>
			</Text>
			{baseHeight >= 3 ? (
				<Text wrap="truncate" dimColor>
					{fit(description || props.topologyFile, width, glyphs.ellipsis)}
				</Text>
			) : null}
			<Text wrap="truncate">{fit(kernelLine, width, glyphs.ellipsis)}</Text>
			{notes.map((line, index) => (
				<Text key={index} wrap="truncate" color="yellow">
					{fit(line, width, glyphs.ellipsis)}
				</Text>
			))}
		</Box>
	);
}
