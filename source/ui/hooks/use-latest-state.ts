import {type MutableRefObject, useCallback, useRef, useState} from 'react';

export type LatestSetter<T> = (next: T | ((current: T) => T)) => void;

/**
useState whose latest value is also readable synchronously from a ref. Keys arrive in bursts
(a pty write, a paste, auto-repeat) faster than React re-renders; handlers must build on the
value the previous key produced, not on the one the last render saw.
*/
export function useLatestState<T>(initial: T | (() => T)): [T, LatestSetter<T>, MutableRefObject<T>] {
	const [value, setValue] = useState(initial);
	const ref = useRef(value);
	const set = useCallback<LatestSetter<T>>(next => {
		const resolved = typeof next === 'function' ? (next as (current: T) => T)(ref.current) : next;
		ref.current = resolved;
		setValue(resolved);
	}, []);
	return [value, set, ref];
}
