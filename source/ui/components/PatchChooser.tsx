import {Text} from 'ink';
import React from 'react';
import {wrapText} from '../format.js';
import {useLatestState} from '../hooks/use-latest-state.js';
import {useKeys} from '../hooks/use-keys.js';
import {moveCursor} from '../state/list-window.js';
import type {PatchChoice} from '../port.js';
import ChoiceList from './ChoiceList.js';
import Overlay from './Overlay.js';

export type PatchChooserProps = {
	readonly patches: readonly PatchChoice[];
	/** The patches on in the current run (the file's not turned off, and the added ones). */
	readonly active: readonly string[];
	/** Named by the topology file's `patches:`: on unless turned off here. */
	readonly fixed?: readonly string[];
	/** Arch of the current topology; patches for other arches are shown but cannot be toggled. */
	readonly arch: string | undefined;
	/**
	Kernel of the current run ("5.15"); with `arch`, patches that do not apply there (a backport
	past its release, another series' stable preset) are shown with the reason and cannot be
	toggled on. One already on can still be toggled off, the file's own included.
	*/
	readonly kernel?: string;
	readonly width: number;
	readonly height: number;
	/** Every patch to have on: the caller tells the file's own (kept or dropped) from the added. */
	readonly onApply: (patches: readonly string[]) => void;
	readonly onCancel: () => void;
};

/**
`p`: toggle what-if patches with Space, Enter reruns with the new set. The topology file's own
patches can be turned off too (`--patch none` on the command line). Space on a row that cannot
be turned on says why.
*/
export default function PatchChooser(props: PatchChooserProps) {
	const [cursor, setCursor, cursorRef] = useLatestState(0);
	const [chosen, setChosen, chosenRef] = useLatestState<readonly string[]>(props.active);
	const [refusal, setRefusal] = useLatestState<string | undefined>(undefined);
	const fixed = props.fixed ?? [];
	const problem = (patch: PatchChoice): string | undefined => {
		if (props.arch === undefined) {
			return undefined;
		}

		if (props.kernel !== undefined && patch.problem) {
			return patch.problem(props.arch, props.kernel);
		}

		return patch.arches.includes(props.arch) ? undefined : `${patch.arches.join(', ')} only`;
	};

	// Rows of the list: the rest of the overlay holds the summary of the patch under the cursor.
	const listHeight = Math.max(1, props.height - 5);
	const toggles = (patch: PatchChoice): boolean => problem(patch) === undefined || chosenRef.current.includes(patch.name);
	useKeys((input, key) => {
		const moved = moveCursor(input, key, cursorRef.current, props.patches.length, listHeight);
		setRefusal(undefined);
		if (moved !== undefined) {
			setCursor(moved);
		} else if (input === ' ') {
			const patch = props.patches[cursorRef.current];
			if (patch && toggles(patch)) {
				setChosen(current => (current.includes(patch.name) ? current.filter(name => name !== patch.name) : [...current, patch.name]));
			} else if (patch) {
				setRefusal(`cannot turn on ${patch.name}: ${problem(patch) ?? 'it does not apply here'}`);
			}
		} else if (key.return) {
			props.onApply(chosenRef.current);
		} else if (key.escape) {
			props.onCancel();
		}
	});
	const summary = props.patches[cursor]?.summary ?? '';
	return (
		<Overlay
			title="What-if patches"
			info={`${chosen.length} on`}
			hint="Space: toggle  Enter: rerun with these patches (the tally shows the change)  Esc: back"
			width={props.width}
			height={props.height}
		>
			{props.patches.length === 0 ? null : (
				<ChoiceList
					choices={props.patches.map(patch => ({
						key: patch.name,
						label: patch.name,
						checked: chosen.includes(patch.name),
						disabled: !toggles(patch),
						detail: fixed.includes(patch.name) ? (chosen.includes(patch.name) ? 'from the topology file' : 'from the topology file, turned off') : (problem(patch) ?? ''),
					}))}
					cursor={cursor}
					width={props.width}
					height={listHeight}
				/>
			)}
			{refusal ? (
				<Text color="red" wrap="truncate">
					{`    ${refusal}`}
				</Text>
			) : null}
			{wrapText(summary, props.width - 4, refusal ? 2 : 3).map(line => (
				<Text key={line} dimColor wrap="truncate">
					{'    '}
					{line}
				</Text>
			))}
		</Overlay>
	);
}
