import React from 'react';
import {useLatestState} from '../hooks/use-latest-state.js';
import {useKeys} from '../hooks/use-keys.js';
import {clampCursor, moveCursor} from '../state/list-window.js';
import ChoiceList from './ChoiceList.js';
import Overlay from './Overlay.js';

export type KernelChooserProps = {
	/** Oldest first. */
	readonly kernels: readonly string[];
	/** The version of the current run. */
	readonly current: string | undefined;
	/** The version the deltas compare against. */
	readonly previous: string | undefined;
	/** The topology file's own `kernel:`. */
	readonly own?: string | undefined;
	/** The current version is pinned (topology switches keep it). */
	readonly pinned?: boolean;
	readonly width: number;
	readonly height: number;
	/** `pin`: keep this version when switching topology (`p`); Enter chooses for this topology only. */
	readonly onChoose: (kernel: string, pin: boolean) => void;
	readonly onCancel: () => void;
};

/**
Pick the kernel semantics version; typing "5.4" jumps there. Enter reruns this topology at it
(and drops a pin: the next topology runs at its own version); `p` pins it, so that a topology
switch keeps it.
*/
export default function KernelChooser(props: KernelChooserProps) {
	const {kernels} = props;
	const [cursor, setCursor, cursorRef] = useLatestState(() => clampCursor(props.current ? kernels.indexOf(props.current) : kernels.length - 1, kernels.length));
	const [query, setQuery, queryRef] = useLatestState('');
	const listHeight = Math.max(1, props.height - 2);
	const jump = (text: string): void => {
		setQuery(text);
		const exact = kernels.indexOf(text);
		const prefix = kernels.findIndex(kernel => kernel.startsWith(text));
		const found = exact >= 0 ? exact : prefix;
		if (found >= 0) {
			setCursor(found);
		}
	};

	useKeys((input, key) => {
		const moved = moveCursor(input, key, cursorRef.current, kernels.length, listHeight);
		if (moved !== undefined) {
			setCursor(moved);
			setQuery('');
		} else if (key.return) {
			const kernel = kernels[cursorRef.current];
			if (kernel) {
				props.onChoose(kernel, false);
			}
		} else if (input === 'p') {
			const kernel = kernels[cursorRef.current];
			if (kernel) {
				props.onChoose(kernel, true);
			}
		} else if (key.escape) {
			props.onCancel();
		} else if (key.backspace || key.delete) {
			jump(queryRef.current.slice(0, -1));
		} else if (/^[\d.]+$/.test(input)) {
			// Typed digits arrive one by one, pasted ones (or a fast pty write) as one string.
			jump(queryRef.current + input);
		}
	});
	const choices = kernels.map(kernel => {
		const tags = [
			...(kernel === props.current ? [props.pinned ? 'current, pinned' : 'current'] : kernel === props.previous ? ['previous run'] : []),
			...(kernel === props.own ? ["topology's"] : []),
		];
		return {key: kernel, label: `v${kernel}`, ...(tags.length > 0 ? {tag: tags.join(', ')} : {})};
	});
	return (
		<Overlay
			title="Kernel version"
			info={query ? `jump: ${query}` : `${kernels.length} releases`}
			hint="Enter: rerun this topology at it  p: pin it (topology switches keep it)  type 5.4 to jump  Esc: back"
			width={props.width}
			height={props.height}
		>
			<ChoiceList choices={choices} cursor={cursor} width={props.width} height={listHeight} />
		</Overlay>
	);
}
