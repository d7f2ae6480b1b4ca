/**
Real validators for the report tests: ajv for JSON Schema (draft 2020-12 for our own report
schema, draft-04 for the official SARIF 2.1.0 schema) and saxes, a strict XML parser, for JUnit
and the HTML report. Each returns a list of readable problems; an empty list means valid.
*/
import {readFileSync} from 'node:fs';
import {fileURLToPath} from 'node:url';
import {Ajv2020} from 'ajv/dist/2020.js';
import ajvDraft04 from 'ajv-draft-04';
import ajvFormats from 'ajv-formats';
import {SaxesParser} from 'saxes';

const root = fileURLToPath(new URL('../../../', import.meta.url));

function readJson(path: string): Record<string, unknown> {
	return JSON.parse(readFileSync(`${root}${path}`, 'utf8')) as Record<string, unknown>;
}

export const reportSchema = readJson('schema/pfnaudit-report-1.schema.json');
export const sarifSchema = readJson('schema/vendor/sarif-schema-2.1.0.json');

// Both packages are CommonJS with `exports.default`; under NodeNext the default import is the module object.
const AjvDraft04 = ajvDraft04.default;
const addFormats = ajvFormats.default;

const ajv2020 = new Ajv2020({allErrors: true, strict: true});
addFormats(ajv2020);
const validateReportJson = ajv2020.compile(reportSchema);

// The SARIF schema uses draft-04 keywords (`id`) and formats (uri, uri-reference, date-time).
const ajv04 = new AjvDraft04({allErrors: true, strict: false});
addFormats(ajv04);
const validateSarifJson = ajv04.compile(sarifSchema);

function problems(errors: ReadonlyArray<{instancePath: string; message?: string}> | null | undefined): string[] {
	return (errors ?? []).map(error => `${error.instancePath || '/'} ${error.message ?? 'is invalid'}`);
}

/** Problems of a parsed JSON report against schema/pfnaudit-report-1.schema.json. */
export function reportSchemaProblems(document: unknown): string[] {
	return validateReportJson(document) ? [] : problems(validateReportJson.errors);
}

/** Problems of a parsed SARIF log against the official SARIF 2.1.0 schema. */
export function sarifSchemaProblems(document: unknown): string[] {
	return validateSarifJson(document) ? [] : problems(validateSarifJson.errors);
}

export type XmlElement = {name: string; attributes: Record<string, string>; text: string; children: XmlElement[]};

/**
Parse XML strictly with saxes: throws on the first well-formedness error (bad characters,
unescaped markup, mismatched tags). Returns the element tree for structural assertions.
*/
export function parseXml(xml: string): XmlElement {
	const parser = new SaxesParser({xmlns: false});
	const stack: XmlElement[] = [{name: '#document', attributes: {}, text: '', children: []}];
	let failure: Error | undefined;
	parser.on('error', error => {
		failure ??= error;
	});
	parser.on('opentag', tag => {
		const element: XmlElement = {name: tag.name, attributes: {...(tag.attributes as Record<string, string>)}, text: '', children: []};
		stack.at(-1)?.children.push(element);
		stack.push(element);
	});
	parser.on('closetag', () => {
		stack.pop();
	});
	parser.on('text', text => {
		const top = stack.at(-1);
		if (top) {
			top.text += text;
		}
	});
	parser.write(xml).close();
	if (failure) {
		throw failure;
	}

	const [document] = stack;
	const rootElement = document?.children[0];
	if (!rootElement) {
		throw new Error('no root element');
	}

	return rootElement;
}

/** Every element of the tree, depth first. */
export function allElements(element: XmlElement): XmlElement[] {
	return [element, ...element.children.flatMap(child => allElements(child))];
}
