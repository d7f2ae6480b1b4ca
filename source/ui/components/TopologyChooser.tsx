import {Text} from 'ink';
import React, {useEffect, useState} from 'react';
import {useKeys} from '../hooks/use-keys.js';
import {useLatestState} from '../hooks/use-latest-state.js';
import {moveCursor} from '../state/list-window.js';
import type {TopologyInfo} from '../port.js';
import ChoiceList from './ChoiceList.js';
import Overlay from './Overlay.js';

export type TopologyChooserProps = {
	readonly load: () => Promise<readonly TopologyInfo[]>;
	/** File of the current run, as requested. */
	readonly current: string;
	/** Name of the current topology, once loaded (the list has absolute paths). */
	readonly currentName?: string;
	/** The kernel the user pinned: the chosen topology runs at it instead of its own. */
	readonly pinnedKernel?: string | undefined;
	readonly width: number;
	readonly height: number;
	readonly onChoose: (topology: TopologyInfo) => void;
	readonly onCancel: () => void;
};

/** `t`: pick another topology; Enter starts an audit of it. */
export default function TopologyChooser(props: TopologyChooserProps) {
	const isCurrent = (item: TopologyInfo): boolean => item.file === props.current || item.name === props.currentName || item.name === props.current;
	const [topologies, setTopologies] = useState<readonly TopologyInfo[] | undefined>(undefined);
	const [error, setError] = useState<string | undefined>(undefined);
	const [cursor, setCursor, cursorRef] = useLatestState(0);
	useEffect(() => {
		let live = true;
		props.load().then(
			list => {
				if (live) {
					setTopologies(list);
					setCursor(Math.max(0, list.findIndex(isCurrent)));
				}
			},
			(error_: unknown) => {
				if (live) {
					setError(error_ instanceof Error ? error_.message : String(error_));
				}
			},
		);
		return () => {
			live = false;
		};
	}, []);
	const list = topologies ?? [];
	const listHeight = Math.max(1, props.height - 2);
	useKeys((input, key) => {
		const moved = moveCursor(input, key, cursorRef.current, list.length, listHeight);
		if (moved !== undefined) {
			setCursor(moved);
		} else if (key.return) {
			const chosen = list[cursorRef.current];
			if (chosen) {
				props.onChoose(chosen);
			}
		} else if (key.escape) {
			props.onCancel();
		}
	});
	const archWidth = Math.max(0, ...list.map(item => item.arch?.length ?? 0));
	const kernelWidth = Math.max(0, ...list.map(item => (item.kernel ? item.kernel.length + 1 : 0)));
	return (
		<Overlay
			title="Topology"
			info={topologies ? `${list.length} available` : 'loading'}
			hint={`Enter: audit it at ${props.pinnedKernel ? `the pinned kernel v${props.pinnedKernel}` : 'its own kernel'}  Esc: back`}
			width={props.width}
			height={props.height}
		>
			{error ? <Text color="red">  {error}</Text> : null}
			<ChoiceList
				choices={list.map(item => ({
					key: item.file,
					label: item.name,
					// Arch and kernel in aligned columns; descriptions are paragraphs, shown as one line.
					detail: `${(item.arch ?? '').padEnd(archWidth)}  ${(item.kernel ? `v${item.kernel}` : '').padEnd(kernelWidth)}  ${item.description.replaceAll(/\s+/g, ' ').trim()}`,
					...(isCurrent(item) ? {tag: 'current'} : {}),
				}))}
				cursor={cursor}
				width={props.width}
				height={listHeight}
			/>
		</Overlay>
	);
}
