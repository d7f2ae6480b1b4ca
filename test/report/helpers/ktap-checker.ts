/**
A strict checker for KTAP version 1 as pfnaudit writes it, following the rules of
Documentation/dev-tools/ktap.rst and of the kernel's parser, tools/testing/kunit/kunit_parser.py
(v6.12: parse_test(), parse_test_result(), peek_test_name_match(), extract_tap_lines()). It is
written from those rules, not translated from the parser:

- the output starts with `KTAP version 1`; a nested test starts with its own version line,
  indented two spaces deeper, then `# Subtest: <name>`, diagnostics, and the plan `1..N`;
- a result line is `ok|not ok <n> <description>[ # <directive> <data>]`; numbers start at 1 and
  go up by one per level; the description has no `#`;
- a nested test's result line sits at its parent's indentation and repeats the `# Subtest:` name
  (kunit_parser matches them by name);
- the plan count equals the number of subtests;
- a parent is `not ok` exactly when a child is `not ok` without SKIP; KUnit-style summary lines
  `# <name>: pass:P fail:F skip:S total:T` and the final `# Totals:` agree with the results,
  counting leaves (as KUnit's suite statistics count parameterised cases) at any depth;
- diagnostics are `# ` lines; no line may match kunit_parser's KTAP_END patterns, which would
  stop extraction; every line is printable ASCII.

It is stricter than kunit_parser.py (which tolerates unknown lines) so that a test fails on any
drift from the layout kunit.py is known to accept.
*/

export type KtapTest = {
	name: string;
	number: number;
	ok: boolean;
	directive: string | undefined;
	directiveData: string;
	diagnostics: string[];
	children: KtapTest[];
};

export type KtapCheck = {tests: KtapTest[]; totals: string | undefined; errors: string[]};

const RESULT = /^(ok|not ok) (\d+) (- )?([^#]*?)( # (\S+)?(.*))?$/;
const KTAP_END = /(List of all partitions:|Kernel panic - not syncing: VFS:|reboot: System halted)/;
const SUMMARY = /^# (.+): pass:(\d+) fail:(\d+) skip:(\d+) total:(\d+)$/;

class Lines {
	index = 0;
	constructor(readonly lines: readonly string[]) {}
	peek(): string | undefined {
		return this.lines[this.index];
	}

	next(): string {
		return this.lines[this.index++] ?? '';
	}

	get line(): number {
		return this.index + 1;
	}
}

function at(indent: string, line: string | undefined): string | undefined {
	if (line === undefined || !line.startsWith(indent)) {
		return undefined;
	}

	const rest = line.slice(indent.length);
	return rest.startsWith(' ') ? undefined : rest;
}

function diagnostics(input: Lines, indent: string): string[] {
	const out: string[] = [];
	for (let rest = at(indent, input.peek()); rest?.startsWith('#') && !rest.startsWith('# Subtest:'); rest = at(indent, input.peek())) {
		out.push(input.next().slice(indent.length));
	}

	return out;
}

function result(input: Lines, indent: string, expected: number, errors: string[]): KtapTest | undefined {
	const line = input.line;
	const rest = at(indent, input.peek());
	const match = rest === undefined ? null : RESULT.exec(rest);
	if (!match) {
		errors.push(`line ${line}: expected result line ${expected} at indent ${indent.length}, found ${JSON.stringify(input.peek())}`);
		return undefined;
	}

	input.next();
	const number = Number(match[2]);
	if (number !== expected) {
		errors.push(`line ${line}: expected test number ${expected} but found ${number}`);
	}

	if (match[3]) {
		errors.push(`line ${line}: pfnaudit writes no "- " before descriptions`);
	}

	const name = match[4] ?? '';
	if (name.trim() !== name || name === '') {
		errors.push(`line ${line}: description ${JSON.stringify(name)} is empty or has stray spaces`);
	}

	return {name, number, ok: match[1] === 'ok', directive: match[6], directiveData: (match[7] ?? '').trim(), diagnostics: [], children: []};
}

/** A nested block at `indent`: version, `# Subtest:`, diagnostics, plan, then its subtests. */
function block(input: Lines, indent: string, errors: string[]): {name: string | undefined; diagnostics: string[]; children: KtapTest[]} {
	if (at(indent, input.peek()) !== 'KTAP version 1') {
		errors.push(`line ${input.line}: expected "${indent}KTAP version 1"`);
		return {name: undefined, diagnostics: [], children: []};
	}

	input.next();
	let name: string | undefined;
	const subtest = at(indent, input.peek());
	if (subtest?.startsWith('# Subtest: ')) {
		name = subtest.slice('# Subtest: '.length);
		input.next();
	} else if (indent !== '') {
		errors.push(`line ${input.line}: nested test without "# Subtest:" (kunit.py matches the result line by that name)`);
	}

	const notes = diagnostics(input, indent);
	const plan = /^1\.\.(\d+)$/.exec(at(indent, input.peek()) ?? '');
	if (!plan) {
		errors.push(`line ${input.line}: expected plan "1..N"`);
		return {name, diagnostics: notes, children: []};
	}

	input.next();
	const count = Number(plan[1]);
	const children: KtapTest[] = [];
	for (let number = 1; number <= count; number++) {
		const before = diagnostics(input, indent);
		if (at(`${indent}  `, input.peek()) === 'KTAP version 1') {
			const nested = block(input, `${indent}  `, errors);
			const after = diagnostics(input, indent);
			const test = result(input, indent, number, errors);
			if (!test) {
				return {name, diagnostics: notes, children};
			}

			if (nested.name !== test.name) {
				errors.push(`line ${input.line - 1}: result "${test.name}" does not repeat "# Subtest: ${nested.name}" (kunit.py: missing subtest result line)`);
			}

			test.diagnostics = [...before, ...nested.diagnostics, ...after];
			test.children = nested.children;
			children.push(test);
		} else {
			const test = result(input, indent, number, errors);
			if (!test) {
				return {name, diagnostics: notes, children};
			}

			test.diagnostics = before;
			children.push(test);
		}
	}

	return {name, diagnostics: notes, children};
}

type Counts = {pass: number; fail: number; skip: number};

function leafCounts(test: KtapTest): Counts {
	if (test.children.length === 0) {
		const skip = test.directive === 'SKIP';
		return {pass: test.ok && !skip ? 1 : 0, fail: !test.ok && !skip ? 1 : 0, skip: skip ? 1 : 0};
	}

	return test.children.map(child => leafCounts(child)).reduce((a, b) => ({pass: a.pass + b.pass, fail: a.fail + b.fail, skip: a.skip + b.skip}), {pass: 0, fail: 0, skip: 0});
}

function semantics(test: KtapTest, errors: string[]): void {
	if (test.name.includes('#')) {
		errors.push(`test ${test.name}: "#" in a description`);
	}

	if (test.children.length > 0) {
		const childFails = test.children.some(child => !child.ok && child.directive !== 'SKIP');
		if (childFails === test.ok) {
			errors.push(`test ${test.name}: is ${test.ok ? 'ok' : 'not ok'} but its subtests ${childFails ? 'fail' : 'pass'}`);
		}

		const summary = test.diagnostics.map(line => SUMMARY.exec(line)).find(match => match?.[1] === test.name);
		const counts = leafCounts(test);
		if (!summary) {
			errors.push(`test ${test.name}: no "# ${test.name}: pass:.. fail:.. skip:.. total:.." line`);
		} else if (Number(summary[2]) !== counts.pass || Number(summary[3]) !== counts.fail || Number(summary[4]) !== counts.skip || Number(summary[5]) !== counts.pass + counts.fail + counts.skip) {
			errors.push(`test ${test.name}: summary "${summary[0]}" disagrees with its subtests`);
		}

		for (const child of test.children) {
			semantics(child, errors);
		}
	}

	if (test.directive !== undefined && !['SKIP', 'TODO', 'XFAIL', 'TIMEOUT', 'ERROR'].includes(test.directive)) {
		errors.push(`test ${test.name}: unknown directive ${test.directive}`);
	}

	if ((test.directive === 'TIMEOUT' || test.directive === 'ERROR') && test.ok) {
		errors.push(`test ${test.name}: ${test.directive} on an "ok" line`);
	}
}

/** Check a whole KTAP document; `errors` is empty when it is accepted. */
export function checkKtap(text: string): KtapCheck {
	const errors: string[] = [];
	if (!text.endsWith('\n')) {
		errors.push('output does not end with a newline');
	}

	const lines = text.replace(/\n$/, '').split('\n');
	for (const [index, line] of lines.entries()) {
		if (!/^[\u0020-\u007E]*$/.test(line)) {
			errors.push(`line ${index + 1}: not printable ASCII`);
		}

		if (KTAP_END.test(line)) {
			errors.push(`line ${index + 1}: matches kunit_parser's KTAP_END and would end extraction`);
		}

		if (line !== line.trimEnd()) {
			errors.push(`line ${index + 1}: trailing white space`);
		}
	}

	const input = new Lines(lines);
	const top = block(input, '', errors);
	const trailing = diagnostics(input, '');
	if (input.peek() !== undefined) {
		errors.push(`line ${input.line}: unexpected ${JSON.stringify(input.peek())}`);
	}

	for (const test of top.children) {
		semantics(test, errors);
	}

	const totalsLine = trailing.find(line => line.startsWith('# Totals:'));
	const totals = top.children.map(test => leafCounts(test)).reduce((a, b) => ({pass: a.pass + b.pass, fail: a.fail + b.fail, skip: a.skip + b.skip}), {pass: 0, fail: 0, skip: 0});
	const expected = `# Totals: pass:${totals.pass} fail:${totals.fail} skip:${totals.skip} total:${totals.pass + totals.fail + totals.skip}`;
	if (totalsLine !== expected) {
		errors.push(`totals: expected "${expected}", found ${JSON.stringify(totalsLine)}`);
	}

	return {tests: top.children, totals: totalsLine, errors};
}
