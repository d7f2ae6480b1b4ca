import {Text} from 'ink';
import React from 'react';
import {fit} from '../format.js';
import {useTheme} from '../hooks/use-theme.js';

export type PaneTitleProps = {
	readonly title: string;
	/** Shown after the title, dimmer. */
	readonly info?: string;
	readonly width: number;
	readonly focused: boolean;
};

/**
One-line pane title instead of a border (borders cost two rows per pane at 80x24). The focused
pane is marked with the pointer glyph as well as colour, so focus survives NO_COLOR.
*/
export default function PaneTitle({title, info, width, focused}: PaneTitleProps) {
	const {glyphs} = useTheme();
	const lead = `${focused ? glyphs.pointer : glyphs.rule} ${title} `;
	const rest = info ? `${info} ` : '';
	const fill = Math.max(0, width - lead.length - rest.length);
	return (
		<Text wrap="truncate">
			<Text bold={focused} color={focused ? 'cyan' : undefined}>
				{fit(lead, Math.min(lead.length, width), glyphs.ellipsis)}
			</Text>
			<Text dimColor>{fit(rest, Math.min(rest.length, Math.max(0, width - lead.length)), glyphs.ellipsis)}</Text>
			<Text dimColor>{glyphs.rule.repeat(fill)}</Text>
		</Text>
	);
}
