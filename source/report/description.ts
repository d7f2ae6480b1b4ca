/**
The topology description as its author laid it out. Descriptions are YAML block scalars written
like a commit message: paragraphs hand-wrapped at some width, `-` bullet lists whose items wrap
onto indented continuation lines, now and then an indented block (a memory map, a command) that
must keep its lines. Every report shows that structure instead of flowing everything into one
paragraph: paragraphs and list items are re-wrapped to the report's width, preformatted lines
are kept as they are.

Rules (after removing the indentation common to all lines):
- a blank line ends a block;
- a line starting with `-`, `*`, `+` or `1.`/`1)` and a space starts a list item; following lines
  indented deeper than the marker continue it; an indented marker line nests one level deeper;
- any other line at column 0 starts or continues a paragraph (a line at column 0 right after a
  list ends the list, as YAML authors expect: there is no "lazy continuation");
- any other indented line outside a list item is preformatted, kept with its relative indent.
*/

export type DescriptionItem = {
	/** `-`, `*`, `+`, or the number of an ordered item ("1.", "2)"). */
	readonly marker: string;
	/** Nesting level, 0 for top-level items. */
	readonly depth: number;
	/** The item's text as one line (continuation lines joined with a space). */
	readonly text: string;
};

export type DescriptionBlock = (
	| {readonly kind: 'paragraph'; readonly text: string}
	| {readonly kind: 'list'; readonly ordered: boolean; readonly items: readonly DescriptionItem[]}
	| {readonly kind: 'preformatted'; readonly lines: readonly string[]}
) & {
	/** Whether a blank line separated this block from the previous one in the source. */
	readonly blankBefore: boolean;
};

const MARKER = /^(?<marker>[-*+]|\d{1,3}[.)])[ \t]+(?<text>\S.*)$/;

type Builder =
	| {kind: 'paragraph'; lines: string[]; blankBefore: boolean}
	| {kind: 'list'; ordered: boolean; items: Array<{marker: string; depth: number; indent: number; lines: string[]}>; blankBefore: boolean}
	| {kind: 'preformatted'; lines: string[]; blankBefore: boolean};

function indentOf(line: string): number {
	return line.length - line.trimStart().length;
}

function finish(builder: Builder): DescriptionBlock {
	switch (builder.kind) {
		case 'paragraph': {
			return {kind: 'paragraph', text: builder.lines.join(' '), blankBefore: builder.blankBefore};
		}

		case 'list': {
			return {
				kind: 'list',
				ordered: builder.ordered,
				items: builder.items.map(item => ({marker: item.marker, depth: item.depth, text: item.lines.join(' ')})),
				blankBefore: builder.blankBefore,
			};
		}

		case 'preformatted': {
			// Keep the lines' indentation relative to each other, not to the description.
			const least = Math.min(...builder.lines.map(line => indentOf(line)));
			return {kind: 'preformatted', lines: builder.lines.map(line => line.slice(least)), blankBefore: builder.blankBefore};
		}
	}
}

/** The blocks of a description, in order; an empty or blank description has none. */
export function descriptionBlocks(description: string): DescriptionBlock[] {
	// Tabs count as the next multiple of 8 columns here, as in YAML-adjacent editors.
	const lines = description
		.replaceAll(/\r\n?/g, '\n')
		.split('\n')
		.map(line => line.replace(/^[ \t]+/, lead => lead.replaceAll('\t', '        ')).trimEnd());
	const common = Math.min(...lines.filter(line => line !== '').map(line => indentOf(line)));
	const blocks: DescriptionBlock[] = [];
	let current: Builder | undefined;
	let blank = false;
	const close = () => {
		if (current) {
			blocks.push(finish(current));
			current = undefined;
		}
	};

	for (const raw of lines) {
		if (raw === '') {
			close();
			blank = blocks.length > 0;
			continue;
		}

		const line = raw.slice(common);
		const indent = indentOf(line);
		const body = line.trimStart();
		const marker = MARKER.exec(body)?.groups;
		const item = current?.kind === 'list' ? current.items.at(-1) : undefined;
		if (marker) {
			const ordered = /\d/.test(marker.marker ?? '');
			if (current?.kind !== 'list' || (indent === 0 && current.ordered !== ordered)) {
				if (indent > 0 && current?.kind !== 'list') {
					// An indented bullet outside a list: part of a preformatted block.
					if (current?.kind !== 'preformatted') {
						close();
						current = {kind: 'preformatted', lines: [], blankBefore: blank};
					}

					current.lines.push(line);
					blank = false;
					continue;
				}

				close();
				current = {kind: 'list', ordered, items: [], blankBefore: blank};
			}

			const parents = current.items.filter(other => other.indent < indent);
			const depth = indent === 0 ? 0 : Math.min((parents.at(-1)?.depth ?? -1) + 1, 8);
			current.items.push({marker: marker.marker ?? '-', depth, indent, lines: [marker.text ?? '']});
		} else if (item && indent > item.indent) {
			item.lines.push(body);
		} else if (indent === 0) {
			if (current?.kind !== 'paragraph') {
				close();
				current = {kind: 'paragraph', lines: [], blankBefore: blank};
			}

			current.lines.push(body);
		} else {
			if (current?.kind !== 'preformatted') {
				close();
				current = {kind: 'preformatted', lines: [], blankBefore: blank};
			}

			current.lines.push(line);
		}

		blank = false;
	}

	close();
	return blocks;
}
