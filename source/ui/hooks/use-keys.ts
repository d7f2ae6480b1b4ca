import {type Key, useInput, useStdin} from 'ink';

export type KeyHandler = (input: string, key: Key) => void;

/**
useInput that never enables raw mode on a stdin that cannot do it: `isRawModeSupported` is
undefined for pipes, and ink only skips raw mode for `isActive === false` (ecosystem.md §2.2),
so the comparison must be `=== true`.
*/
export function useKeys(handler: KeyHandler, active = true): void {
	const {isRawModeSupported} = useStdin();
	useInput(handler, {isActive: active && isRawModeSupported === true});
}
