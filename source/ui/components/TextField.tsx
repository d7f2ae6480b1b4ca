import {Text} from 'ink';
import React from 'react';
import {useKeys} from '../hooks/use-keys.js';
import {useTheme} from '../hooks/use-theme.js';

export type TextFieldProps = {
	readonly label: string;
	readonly value: string;
	readonly width: number;
	readonly onChange: (value: string) => void;
	readonly onSubmit: (value: string) => void;
	readonly onCancel: () => void;
	readonly active?: boolean;
};

/**
A one-line text input (no @inkjs/ui dependency): printable characters append, Backspace
deletes, Ctrl+U clears, Enter submits, Esc cancels. The tail stays visible when the text is long.
*/
export default function TextField({label, value, width, onChange, onSubmit, onCancel, active = true}: TextFieldProps) {
	const {glyphs} = useTheme();
	useKeys((input, key) => {
		if (key.return) {
			onSubmit(value);
		} else if (key.escape) {
			onCancel();
		} else if (key.backspace || key.delete) {
			onChange(value.slice(0, -1));
		} else if (key.ctrl && input === 'u') {
			onChange('');
		} else if (!key.ctrl && !key.meta && !key.tab && !key.upArrow && !key.downArrow && !key.leftArrow && !key.rightArrow && input.length > 0) {
			// Pasted text arrives as one string; keep printable characters only.
			onChange(value + input.replace(/[\u0000-\u001F\u007F]/g, ''));
		}
	}, active);
	const room = Math.max(1, width - label.length - 2);
	const shown = value.length >= room ? value.slice(value.length - room + 1) : value;
	return (
		<Text wrap="truncate">
			<Text bold color="cyan">
				{label}
			</Text>
			{' '}
			{shown}
			<Text color="cyan">{glyphs.cursor}</Text>
		</Text>
	);
}
