import {Box, Text} from 'ink';
import React from 'react';
import {fit} from '../format.js';
import {useTheme} from '../hooks/use-theme.js';
import {windowStart} from '../state/list-window.js';

export type Choice = {
	readonly key: string;
	readonly label: string;
	readonly detail?: string;
	/** Shown as [x] / [ ] when defined. */
	readonly checked?: boolean;
	readonly disabled?: boolean;
	/** A short tag after the label: "current", "previous run". */
	readonly tag?: string;
};

export type ChoiceListProps = {
	readonly choices: readonly Choice[];
	readonly cursor: number;
	readonly width: number;
	readonly height: number;
	readonly labelWidth?: number;
};

/** A windowed list with a cursor; the owner handles the keys. */
export default function ChoiceList({choices, cursor, width, height, labelWidth}: ChoiceListProps) {
	const {glyphs} = useTheme();
	const first = windowStart(choices.length, cursor, height);
	const visible = choices.slice(first, first + height);
	const label = labelWidth ?? Math.min(36, Math.max(...choices.map(choice => choice.label.length + (choice.tag ? choice.tag.length + 3 : 0)), 4));
	return (
		<Box flexDirection="column" width={width} height={Math.min(height, Math.max(1, visible.length))}>
			{visible.map((choice, offset) => {
				const isCursor = first + offset === cursor;
				const box = choice.checked === undefined ? '' : `${choice.checked ? glyphs.check : glyphs.uncheck} `;
				const name = choice.tag ? `${choice.label} (${choice.tag})` : choice.label;
				return (
					<Text key={choice.key} wrap="truncate" dimColor={choice.disabled} inverse={isCursor}>
						<Text color="cyan">{isCursor ? `${glyphs.pointer} ` : '  '}</Text>
						{box}
						<Text bold={isCursor}>{fit(name, label, glyphs.ellipsis)}</Text>
						{choice.detail ? fit(`  ${choice.detail}`, Math.max(0, width - 2 - box.length - label), glyphs.ellipsis) : ''}
					</Text>
				);
			})}
		</Box>
	);
}
