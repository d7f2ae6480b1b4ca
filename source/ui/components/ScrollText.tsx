import {Box, Text} from 'ink';
import React from 'react';
import {useLatestState} from '../hooks/use-latest-state.js';
import {fit} from '../format.js';
import {useKeys} from '../hooks/use-keys.js';
import {useTheme} from '../hooks/use-theme.js';
import {moveCursor} from '../state/list-window.js';

export type ScrollTextProps = {
	readonly lines: readonly string[];
	readonly width: number;
	readonly height: number;
	readonly onClose: () => void;
};

/** Read-only lines, scrolled with the arrows, j/k, PgUp/PgDn; Esc (or q) closes. */
export default function ScrollText({lines, width, height, onClose}: ScrollTextProps) {
	const {glyphs} = useTheme();
	const [top, setTop, topRef] = useLatestState(0);
	const maxTop = Math.max(0, lines.length - height);
	useKeys((input, key) => {
		const moved = moveCursor(input, key, topRef.current, maxTop + 1, height);
		if (moved !== undefined) {
			setTop(moved);
		} else if (key.escape || input === 'q' || key.return) {
			onClose();
		}
	});
	const visible = lines.slice(top, top + height);
	return (
		<Box flexDirection="column" width={width} height={height}>
			{visible.map((line, index) => (
				<Text key={top + index} wrap="truncate">
					{fit(line, width, glyphs.ellipsis)}
				</Text>
			))}
		</Box>
	);
}
