import {type Key, Text} from 'ink';
import React, {useRef} from 'react';
import {useKeys} from '../hooks/use-keys.js';
import {useTheme} from '../hooks/use-theme.js';

export type TextEdit = {readonly kind: 'change'; readonly value: string} | {readonly kind: 'submit'} | {readonly kind: 'cancel'};

/**
What a key does to a one-line text: printable characters append (a paste arrives as one string),
Backspace deletes, Ctrl+U clears, Enter submits, Esc cancels; undefined for other keys.
*/
export function editText(value: string, input: string, key: Key): TextEdit | undefined {
	if (key.return) {
		return {kind: 'submit'};
	}

	if (key.escape) {
		return {kind: 'cancel'};
	}

	if (key.backspace || key.delete) {
		return {kind: 'change', value: value.slice(0, -1)};
	}

	if (key.ctrl && input === 'u') {
		return {kind: 'change', value: ''};
	}

	if (!key.ctrl && !key.meta && !key.tab && !key.upArrow && !key.downArrow && !key.leftArrow && !key.rightArrow && input.length > 0) {
		return {kind: 'change', value: value + input.replace(/[\u0000-\u001F\u007F]/g, '')};
	}

	return undefined;
}

export type TextFieldProps = {
	readonly label: string;
	readonly value: string;
	readonly width: number;
	readonly onChange: (value: string) => void;
	readonly onSubmit: (value: string) => void;
	readonly onCancel: () => void;
	/** false: display only (the owner routes keys through editText). */
	readonly active?: boolean;
};

/** A one-line text input (no @inkjs/ui dependency). The tail stays visible when the text is long. */
export default function TextField({label, value, width, onChange, onSubmit, onCancel, active = true}: TextFieldProps) {
	const {glyphs} = useTheme();
	// Keys can arrive faster than React re-renders (a paste, a pty write): edit the latest text,
	// not the one this render saw.
	const latest = useRef(value);
	latest.current = value;
	useKeys((input, key) => {
		const edit = editText(latest.current, input, key);
		if (edit?.kind === 'change') {
			latest.current = edit.value;
			onChange(edit.value);
		} else if (edit?.kind === 'submit') {
			onSubmit(latest.current);
		} else if (edit?.kind === 'cancel') {
			onCancel();
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
