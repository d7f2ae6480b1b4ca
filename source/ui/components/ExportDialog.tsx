import {Text} from 'ink';
import React from 'react';
import type {AuditReport} from '../../engine/types.js';
import {isInputError} from '../../errors/input-error.js';
import type {ReportFormat} from '../../report/index.js';
import {fit} from '../format.js';
import {useKeys} from '../hooks/use-keys.js';
import {useTheme} from '../hooks/use-theme.js';
import {useLatestState} from '../hooks/use-latest-state.js';
import {moveCursor} from '../state/list-window.js';
import type {DashboardPort} from '../port.js';
import ChoiceList from './ChoiceList.js';
import Overlay from './Overlay.js';
import TextField, {editText} from './TextField.js';

/** What each report format is for, in the chooser. */
export const FORMAT_PURPOSE: Readonly<Record<ReportFormat, string>> = {
	text: 'plain text, 80 columns, for LKML',
	json: 'pfnaudit-report/1, the JSON report',
	md: 'Markdown for GitHub/GitLab summaries',
	html: 'one self-contained file with an SVG map',
	ktap: 'KTAP v1, as kselftest and KUnit print',
	junit: 'JUnit XML for GitLab and Jenkins',
	sarif: 'SARIF 2.1.0 for code scanning',
};

const EXTENSION: Readonly<Record<ReportFormat, string>> = {
	text: 'txt',
	json: 'json',
	md: 'md',
	html: 'html',
	ktap: 'ktap',
	junit: 'xml',
	sarif: 'sarif',
};

/** "pfnaudit-showcase-v6.12.json" */
export function defaultExportName(report: AuditReport, format: ReportFormat): string {
	const patches = report.patches.length > 0 ? `-${report.patches.join('+')}` : '';
	return `pfnaudit-${report.topology.name}-v${report.kernel}${patches}.${EXTENSION[format]}`;
}

export type ExportDialogProps = {
	readonly port: Pick<DashboardPort, 'formats' | 'fileExists' | 'exportReport' | 'resolvePath'>;
	readonly report: AuditReport;
	readonly width: number;
	readonly height: number;
	readonly onDone: (message: string) => void;
	readonly onCancel: () => void;
};

type Step = 'format' | 'file' | 'confirm' | 'writing';

/** `text` in `width` columns, cut in the middle so that a path keeps its file name. */
export function fitPath(text: string, width: number, ellipsis: string): string {
	if (text.length <= width) {
		return text;
	}

	const tail = Math.max(0, Math.ceil((width - ellipsis.length) * 0.6));
	const head = Math.max(0, width - ellipsis.length - tail);
	return `${text.slice(0, head)}${ellipsis}${text.slice(text.length - tail)}`;
}

/**
`e`: choose a report format, then a file name. An existing file is never replaced without an
explicit "y"; the write itself is the port's (atomic, and it refuses to overwrite on its own too).
*/
export default function ExportDialog({port, report, width, height, onDone, onCancel}: ExportDialogProps) {
	const {glyphs} = useTheme();
	const [step, setStep, stepRef] = useLatestState<Step>('format');
	const [cursor, setCursor, cursorRef] = useLatestState(0);
	const [file, setFile, fileRef] = useLatestState('');
	const [error, setError] = useLatestState<string | undefined>(undefined);
	const format = port.formats[cursor] ?? 'json';
	const listHeight = Math.max(1, height - 2);

	const write = (name: string, overwrite: boolean): void => {
		setStep('writing');
		port.exportReport(report, format, name, {overwrite}).then(
			written => {
				// The whole path: where the report went is the point (a cut keeps the file name).
				onDone(fitPath(`wrote ${format} report to ${written}`, width, glyphs.ellipsis));
			},
			(error_: unknown) => {
				setError(isInputError(error_) ? error_.format() : error_ instanceof Error ? error_.message : String(error_));
				setStep('file');
			},
		);
	};

	useKeys(
		(input, key) => {
			if (stepRef.current === 'format') {
				const moved = moveCursor(input, key, cursorRef.current, port.formats.length, listHeight);
				if (moved !== undefined) {
					setCursor(moved);
				} else if (key.return) {
					setFile(defaultExportName(report, port.formats[cursorRef.current] ?? 'json'));
					setError(undefined);
					setStep('file');
				} else if (key.escape) {
					onCancel();
				}
			} else if (stepRef.current === 'file') {
				const edit = editText(fileRef.current, input, key);
				if (edit?.kind === 'change') {
					setFile(edit.value);
				} else if (edit?.kind === 'submit') {
					submit(fileRef.current);
				} else if (edit?.kind === 'cancel') {
					setStep('format');
				}
			} else if (stepRef.current === 'confirm') {
				if (input === 'y' || input === 'Y') {
					write(fileRef.current, true);
				} else if (input === 'n' || input === 'N' || key.escape) {
					setStep('file');
				}
			}
		},
		// One handler for every step: no listener swap between steps, so no key falls between them.
		true,
	);

	const submit = (name: string): void => {
		const trimmed = name.trim();
		if (trimmed === '') {
			setError('type a file name');
			return;
		}

		setFile(trimmed);
		setError(undefined);
		if (port.fileExists(trimmed)) {
			setStep('confirm');
		} else {
			write(trimmed, false);
		}
	};

	const hints: Record<Step, string> = {
		format: 'Enter: choose this format  Esc: back',
		file: 'Enter: write  Esc: back to the formats  Ctrl+U: clear',
		confirm: 'y: replace the file  n or Esc: choose another name',
		writing: 'writing',
	};
	return (
		<Overlay title="Export" info={`${report.topology.name} v${report.kernel}`} hint={hints[step]} width={width} height={height}>
			{step === 'format' ? (
				<ChoiceList
					choices={port.formats.map(item => ({key: item, label: item, detail: FORMAT_PURPOSE[item]}))}
					cursor={cursor}
					width={width}
					height={listHeight}
					labelWidth={6}
				/>
			) : (
				<>
					<TextField
						label={`${format} file:`}
						value={file}
						width={width}
						active={false}
						onChange={setFile}
						onSubmit={submit}
						onCancel={() => {
							setStep('format');
						}}
					/>
					{file.trim() === '' ? null : (
						<Text dimColor wrap="truncate">
							{fitPath(`  writes ${port.resolvePath(file.trim())}`, width, glyphs.ellipsis)}
						</Text>
					)}
					{step === 'confirm' ? (
						<Text color="yellow" wrap="truncate">
							{fit(`  ${file} exists. Replace it? (y/N)`, width, glyphs.ellipsis)}
						</Text>
					) : null}
					{error ? (
						<Text color="red" wrap="truncate">
							{fit(`  ${error}`, width, glyphs.ellipsis)}
						</Text>
					) : null}
				</>
			)}
		</Overlay>
	);
}
