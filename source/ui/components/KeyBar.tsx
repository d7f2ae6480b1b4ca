import {Text} from 'ink';
import React from 'react';
import {fit} from '../format.js';
import {useTheme} from '../hooks/use-theme.js';

export type KeyHint = readonly [key: string, label: string];

export type KeyBarProps = {
	readonly hints: readonly KeyHint[];
	readonly width: number;
	/** Replaces the hints until the next key press (export result, errors). */
	readonly message?: {readonly text: string; readonly error: boolean};
};

/** The bottom bar: as many hints as fit, in priority order (lazygit: keys for the current mode). */
export default function KeyBar({hints, width, message}: KeyBarProps) {
	const {glyphs} = useTheme();
	if (message) {
		return (
			<Text wrap="truncate" color={message.error ? 'red' : 'green'}>
				{fit(`${message.error ? '! ' : ''}${message.text}`, width, glyphs.ellipsis)}
			</Text>
		);
	}

	const shown: KeyHint[] = [];
	let used = 0;
	for (const hint of hints) {
		const cost = hint[0].length + 1 + hint[1].length + (shown.length > 0 ? 2 : 0);
		if (used + cost > width) {
			break;
		}

		shown.push(hint);
		used += cost;
	}

	return (
		<Text wrap="truncate">
			{shown.map(([key, label], index) => (
				<Text key={key + label}>
					{index > 0 ? '  ' : ''}
					<Text bold color="cyan">
						{key}
					</Text>
					<Text> {label}</Text>
				</Text>
			))}
		</Text>
	);
}
