import {useContext} from 'react';
import {type Theme, ThemeContext} from '../theme.js';

/** Glyph set (Unicode or ASCII) of the running dashboard. */
export function useTheme(): Theme {
	return useContext(ThemeContext);
}
