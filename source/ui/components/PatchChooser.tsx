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
	readonly active: readonly string[];
	/** Applied by the topology file itself: shown on, cannot be toggled (edit the file to drop one). */
	readonly fixed?: readonly string[];
	/** Arch of the current topology; patches for other arches are shown but cannot be toggled. */
	readonly arch: string | undefined;
	readonly width: number;
	readonly height: number;
	readonly onApply: (patches: readonly string[]) => void;
	readonly onCancel: () => void;
};

/** `p`: toggle what-if patches with Space, Enter reruns with the new set. */
export default function PatchChooser(props: PatchChooserProps) {
	const [cursor, setCursor, cursorRef] = useLatestState(0);
	const [chosen, setChosen, chosenRef] = useLatestState<readonly string[]>(props.active);
	const fixed = props.fixed ?? [];
	const applies = (patch: PatchChoice): boolean => props.arch === undefined || patch.arches.includes(props.arch);
	const toggles = (patch: PatchChoice): boolean => applies(patch) && !fixed.includes(patch.name);
	useKeys((input, key) => {
		const moved = moveCursor(input, key, cursorRef.current, props.patches.length, props.height);
		if (moved !== undefined) {
			setCursor(moved);
		} else if (input === ' ') {
			const patch = props.patches[cursorRef.current];
			if (patch && toggles(patch)) {
				setChosen(current => (current.includes(patch.name) ? current.filter(name => name !== patch.name) : [...current, patch.name]));
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
			info={`${new Set([...chosen, ...fixed]).size} on`}
			hint="Space: toggle  Enter: rerun with these patches (the tally shows the change)  Esc: back"
			width={props.width}
			height={props.height}
		>
			{props.patches.length === 0 ? null : (
				<ChoiceList
					choices={props.patches.map(patch => ({
						key: patch.name,
						label: patch.name,
						checked: chosen.includes(patch.name) || fixed.includes(patch.name),
						disabled: !toggles(patch),
						detail: fixed.includes(patch.name) ? 'set by the topology file' : applies(patch) ? '' : `${patch.arches.join(', ')} only`,
					}))}
					cursor={cursor}
					width={props.width}
					height={Math.max(1, props.height - 5)}
				/>
			)}
			{wrapText(summary, props.width - 4, 3).map(line => (
				<Text key={line} dimColor wrap="truncate">
					{'    '}
					{line}
				</Text>
			))}
		</Overlay>
	);
}
