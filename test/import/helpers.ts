import {readFileSync} from 'node:fs';

export const FIXTURES = new URL('../fixtures/', import.meta.url);

/** A fixture's text (test/fixtures/…). */
export function fixture(path: string): string {
	return readFileSync(new URL(path, FIXTURES), 'utf8');
}

/** Every file of a fixture capture directory, relative names. */
export function captureFiles(dir: string, names: readonly string[]): Array<{name: string; text: string}> {
	return names.map(name => ({name, text: fixture(`${dir}/${name}`)}));
}

/** The error a function throws, as printed: "file:line:column: message". */
export function located(fn: () => unknown): string {
	try {
		fn();
	} catch (error) {
		return (error as {format(): string}).format();
	}

	return 'no error';
}
