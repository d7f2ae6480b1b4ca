import {Text} from 'ink';
import React, {useEffect, useState} from 'react';
import {hex} from '../../model/geometry.js';
import {useKeys} from '../hooks/use-keys.js';
import Overlay from './Overlay.js';
import ScrollText from './ScrollText.js';

export type ExplainViewProps = {
	readonly pfn: number;
	readonly kernel: string;
	/** `pfnaudit explain` for the pfn, through the port. */
	readonly load: () => Promise<readonly string[]>;
	readonly width: number;
	readonly height: number;
	readonly onClose: () => void;
};

/** Enter on a witness: the explain view of its pfn (section, subsection, memmap, predicates). */
export default function ExplainView(props: ExplainViewProps) {
	const [lines, setLines] = useState<readonly string[] | undefined>(undefined);
	const [error, setError] = useState<string | undefined>(undefined);
	useEffect(() => {
		let live = true;
		props.load().then(
			result => {
				if (live) {
					setLines(result);
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
	}, [props.pfn, props.kernel]);
	useKeys(
		(_input, key) => {
			if (key.escape) {
				props.onClose();
			}
		},
		lines === undefined,
	);
	return (
		<Overlay title={`explain pfn ${hex(props.pfn)}`} info={`v${props.kernel}`} hint="arrows/j/k scroll  Esc: back to the witnesses" width={props.width} height={props.height}>
			{lines ? (
				<ScrollText lines={lines} width={props.width} height={Math.max(1, props.height - 2)} onClose={props.onClose} />
			) : (
				<Text color={error ? 'red' : undefined}>{error ? `  ${error}` : '  explaining...'}</Text>
			)}
		</Overlay>
	);
}
