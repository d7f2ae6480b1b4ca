import {Box, Text} from 'ink';
import React, {type ReactNode} from 'react';
import {fit} from '../format.js';
import {useTheme} from '../hooks/use-theme.js';
import PaneTitle from './PaneTitle.js';

export type OverlayProps = {
	readonly title: string;
	readonly info?: string;
	/** One dim line under the title: what this view is for and its keys. */
	readonly hint?: string;
	readonly width: number;
	readonly height: number;
	readonly children: ReactNode;
};

/** The frame every dialog and chooser uses: it takes the panes' rows, header and key bar stay. */
export default function Overlay({title, info, hint, width, height, children}: OverlayProps) {
	const {glyphs} = useTheme();
	return (
		<Box flexDirection="column" width={width} height={height}>
			<PaneTitle title={title} info={info} width={width} focused />
			{hint ? (
				<Text dimColor wrap="truncate">
					{fit(`  ${hint}`, width, glyphs.ellipsis)}
				</Text>
			) : null}
			{children}
		</Box>
	);
}
