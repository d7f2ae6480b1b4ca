import type {Key} from 'ink';
import React from 'react';
import {afterEach, describe, expect, it, vi} from 'vitest';
import PatchChooser from '../../../source/ui/components/PatchChooser.js';
import {splitKeys} from '../../../source/ui/hooks/use-keys.js';
import {KEYS, type Rendered, renderAt} from '../helpers/render.js';

let view: Rendered | undefined;
afterEach(() => {
	view?.unmount();
	view = undefined;
});

const plain = {upArrow: false, downArrow: false, return: false, tab: false, ctrl: false, meta: false, escape: false} as Key;
const pressed = (keys: Array<[string, Key]>) =>
	keys.map(([input, key]) => [input, Object.entries(key).filter(([, on]) => on === true).map(([name]) => name).join('+')]);

describe('splitKeys', () => {
	// ink 6.8 hands a run of plain characters to useInput as one string (its paste rule). Expect
	// one press per character, each as ink describes that character alone (Return keeps '\r' as
	// input; '\n' is ink's 'enter', not return; 0x1c-0x1f are no Ctrl chord); a single key, an
	// escape sequence and a Ctrl or Meta chord pass through as they came.
	it('splits a burst of plain keys into the presses a slow typist would make', () => {
		expect(pressed(splitKeys(' \r', plain))).toEqual([[' ', ''], ['\r', 'return']]);
		expect(pressed(splitKeys('x\n\u001C', plain))).toEqual([['x', ''], ['\n', ''], ['\u001C', '']]);
		expect(pressed(splitKeys('jjq', plain))).toEqual([['j', ''], ['j', ''], ['q', '']]);
		expect(pressed(splitKeys('a\tB\u007F\b\u0015', plain))).toEqual([['a', ''], ['', 'tab'], ['B', 'shift'], ['', 'delete'], ['', 'backspace'], ['u', 'ctrl']]);
		expect(splitKeys('q', plain)).toEqual([['q', plain]]);
		expect(splitKeys('\u001B[B', {...plain, downArrow: true})).toEqual([['\u001B[B', {...plain, downArrow: true}]]);
		expect(splitKeys('ab', {...plain, meta: true})).toEqual([['ab', {...plain, meta: true}]]);
	});
});

describe('keys that arrive in one read', () => {
	// A test of Space then Enter written to stdin at once (tmux send-keys Space Enter, a pty
	// write), in the patch chooser. Expect the patch toggled on and the rerun asked for with it,
	// as when the two keys come one by one.
	it('toggles and applies a patch when Space and Enter come in one chunk', async () => {
		const onApply = vi.fn();
		const patches = [{name: 'arm64-pfn-valid-v2', summary: 'arm64 pfn_valid() as in V2', arches: ['arm64-4k']}];
		view = renderAt(<PatchChooser patches={patches} active={[]} arch="arm64-4k" width={80} height={10} onApply={onApply} onCancel={() => undefined} />, {columns: 80, rows: 24});
		await view.press(' \r');
		expect(onApply).toHaveBeenCalledWith(['arm64-pfn-valid-v2']);
	});

	it('moves down twice for "jj" in one chunk', async () => {
		const onApply = vi.fn();
		const patches = ['a', 'b', 'c'].map(name => ({name, summary: name, arches: ['x86_64']}));
		view = renderAt(<PatchChooser patches={patches} active={[]} arch="x86_64" width={80} height={10} onApply={onApply} onCancel={() => undefined} />, {columns: 80, rows: 24});
		await view.press('jj', ' ', KEYS.enter);
		expect(onApply).toHaveBeenCalledWith(['c']);
	});
});
