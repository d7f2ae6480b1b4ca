/**
The topology description in the HTML report: paragraphs, nested lists and preformatted blocks
as description.ts finds them, every string escaped with htmlText.
*/
import {descriptionBlocks, type DescriptionItem} from './description.js';
import {htmlText} from './escape.js';

/** Nested `<ul>`/`<ol>` from list items with depths (description.ts). */
function listHtml(items: readonly DescriptionItem[]): string {
	const tag = (item: DescriptionItem) => (/^\d/.test(item.marker) ? 'ol' : 'ul');
	const open: string[] = [];
	let out = '';
	for (const item of items) {
		const depth = Math.min(item.depth, open.length);
		if (depth < open.length) {
			while (open.length > depth + 1) {
				out += `</li></${open.pop() ?? 'ul'}>`;
			}

			out += '</li>';
		}

		if (depth === open.length) {
			open.push(tag(item));
			out += `<${tag(item)}>`;
		}

		out += `<li>${htmlText(item.text)}`;
	}

	while (open.length > 0) {
		out += `</li></${open.pop() ?? 'ul'}>`;
	}

	return out;
}

/** The topology description with its paragraphs, lists and preformatted blocks. */
export function descriptionHtml(description: string): string {
	const blocks = descriptionBlocks(description).map(block => {
		switch (block.kind) {
			case 'paragraph': {
				return `<p>${htmlText(block.text)}</p>`;
			}

			case 'list': {
				return listHtml(block.items);
			}

			case 'preformatted': {
				return `<pre>${htmlText(block.lines.join('\n'))}</pre>`;
			}
		}
	});
	return blocks.length === 0 ? '' : `<div class="description">\n${blocks.join('\n')}\n</div>`;
}

