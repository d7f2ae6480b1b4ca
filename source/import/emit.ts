/**
A draft (build.ts) as topology YAML (docs/topology-format.md), each entry preceded by a comment
naming the capture lines it came from (`# proc/iomem:14, dmesg.txt:52`). Addresses in `0x` hex
with `_` separators every four digits, as the shipped topologies write them.
*/
import type {Draft, DraftEntry} from './build.js';
import type {Source} from './text.js';

function hex(value: number): string {
	const digits = value.toString(16);
	const groups: string[] = [];
	for (let end = digits.length; end > 0; end -= 4) {
		groups.unshift(digits.slice(Math.max(0, end - 4), end));
	}

	return `0x${groups.join('_')}`;
}

/** "proc/iomem:3,7-9, dmesg.txt:52" — lines grouped by file, consecutive lines as ranges, at most 8 per file. */
export function describeSources(sources: readonly Source[]): string {
	const byFile = new Map<string, number[]>();
	for (const s of sources) {
		const lines = byFile.get(s.file) ?? [];
		if (!lines.includes(s.line)) {
			lines.push(s.line);
		}

		byFile.set(s.file, lines);
	}

	return [...byFile].map(([file, lines]) => {
		lines.sort((a, b) => a - b);
		const parts: string[] = [];
		for (let i = 0; i < lines.length;) {
			let j = i;
			while (j + 1 < lines.length && lines[j + 1] === lines[j]! + 1) {
				j++;
			}

			parts.push(i === j ? `${lines[i]}` : `${lines[i]}-${lines[j]}`);
			i = j + 1;
		}

		const shown = parts.length > 8 ? [...parts.slice(0, 8), '…'] : parts;
		return `${file}:${shown.join(',')}`;
	}).join(', ');
}

function yamlString(text: string): string {
	return JSON.stringify(text);
}

function entryLines(entry: DraftEntry): string[] {
	const out = [`  # ${describeSources(entry.from)}${entry.note ? ` — ${entry.note}` : ''}`, `  - kind: ${entry.kind}`];
	if (entry.kind === 'device') {
		out.push(`    type: ${entry.type}`);
	}

	out.push(`    start: ${hex(entry.start)}`, `    end: ${hex(entry.end)}`);
	if (entry.node !== 0) {
		out.push(`    node: ${entry.node}`);
	}

	if (entry.kind === 'boot' && entry.nomap.length > 0) {
		out.push('    nomap:');
		for (const n of entry.nomap) {
			out.push(`      # ${describeSources(n.from)}`, `      - {start: ${hex(n.start)}, end: ${hex(n.end)}}`);
		}
	}

	if (entry.kind === 'boot' && entry.cma && entry.cma.length > 0) {
		out.push('    cma:');
		for (const c of entry.cma) {
			out.push(`      # ${describeSources(c.from)} — ${c.note}`, `      - {start: ${hex(c.start)}, end: ${hex(c.end)}}`);
		}
	}

	if (entry.kind === 'hotplug') {
		out.push(`    state: ${entry.state}`);
		if (entry.blocks && entry.blocks.length > 0) {
			out.push('    blocks:');
			for (const b of entry.blocks) {
				out.push(...(b.from.length > 0 ? [`      # ${describeSources(b.from)}`] : []), `      - {start: ${hex(b.start)}, end: ${hex(b.end)}, state: ${b.state}}`);
			}
		}
	}

	if (entry.kind === 'device' && entry.altmap !== undefined) {
		out.push(entry.altmap === 'auto' ? '    altmap: {}' : `    altmap: {reserve: ${hex(entry.altmap.reserve)}, free: ${hex(entry.altmap.free)}}`);
	}

	return out;
}

export function emitTopology(draft: Draft): string {
	const lines = [
		'# Written by pfnaudit import; every entry names the capture lines it came from.',
		`name: ${draft.name}`,
		`description: ${yamlString(draft.description)}`,
		`arch: ${draft.arch}`,
		`# ${draft.kernelNote}`,
		`kernel: "${draft.kernel}"`,
	];
	if (draft.blockSize || draft.hypervisor) {
		lines.push('config:');
		if (draft.blockSize) {
			lines.push(`  # ${describeSources([draft.blockSize.from])}`, `  memory_block_size: ${hex(draft.blockSize.bytes)}`);
		}

		if (draft.hypervisor) {
			lines.push(`  # ${describeSources([draft.hypervisor])} — X86_FEATURE_HYPERVISOR`, '  hypervisor: true');
		}
	}

	if (draft.patches.length > 0) {
		lines.push(`patches: [${draft.patches.join(', ')}]`);
	}

	lines.push('memory:');
	for (const entry of draft.entries) {
		lines.push(...entryLines(entry));
	}

	return `${lines.join('\n')}\n`;
}
