import React from 'react';
import {afterEach, describe, expect, it, vi} from 'vitest';
import type {AuditReport} from '../../../source/engine/types.js';
import {InputError} from '../../../source/errors/input-error.js';
import {KERNEL_VERSIONS} from '../../../source/kernel/version.js';
import {CATEGORY_TITLES} from '../../../source/model/categories.js';
import {REPORT_FORMATS} from '../../../source/report/index.js';
import ExportDialog from '../../../source/ui/components/ExportDialog.js';
import HelpView from '../../../source/ui/components/HelpView.js';
import KernelChooser from '../../../source/ui/components/KernelChooser.js';
import PatchChooser from '../../../source/ui/components/PatchChooser.js';
import {patchChoices} from '../../../source/ui/patch-choices.js';
import {KEYS, renderAt, type Rendered, waitFor} from '../helpers/render.js';
import {showcaseMeta} from '../helpers/fixtures.js';

let view: Rendered | undefined;
afterEach(() => view?.unmount());

const report: AuditReport = {...showcaseMeta('6.12'), walkers: [], verdict: 'pass', elapsed_ms: 1, pfns_per_second: 1};

describe('HelpView', () => {
	it('lists every key and every category title, scrolling at 80x24', async () => {
		view = renderAt(<HelpView width={80} height={20} onClose={() => undefined} />, {columns: 80, rows: 24});
		expect(view.lines().length).toBeLessThanOrEqual(20);
		expect(view.frame()).toMatch(/ {2}v +choose the kernel version and rerun/);
		await view.press(KEYS.pageDown);
		expect(view.frame()).toMatch(/ {2}e +export the results/);
		await view.press(KEYS.pageDown, 'G');
		const text = view.frame().replaceAll(/\s+/g, ' ');
		for (const id of ['C5', 'oob'] as const) {
			expect(text).toContain(CATEGORY_TITLES[id].slice(0, 30));
		}
	});

	// A test that reads the whole help at 80 columns. Expect every line wrapped, none cut with an
	// ellipsis, and the grouped haz column explained: what it adds up and what its ! flags.
	it('wraps every line at 80 columns and explains the haz column', async () => {
		view = renderAt(<HelpView width={80} height={200} onClose={() => undefined} />, {columns: 80, rows: 210});
		const lines = view.lines();
		for (const line of lines) {
			expect(line.length, line).toBeLessThanOrEqual(80);
			expect(line, line).not.toMatch(/…$/);
		}

		const text = lines.join(' ').replaceAll(/\s+/g, ' ');
		expect(text).toContain('haz under 130 columns the hazards (meta hole nomap tdown unbck oob) share one column: it shows the failing touches among them, marked !, or else all their touches.');
		expect(text).toContain(CATEGORY_TITLES.oob);
	});
});

describe('KernelChooser', () => {
	it('jumps to a typed version and chooses it with Enter', async () => {
		const onChoose = vi.fn();
		view = renderAt(<KernelChooser kernels={KERNEL_VERSIONS} current="6.12" previous="5.3" width={80} height={16} onChoose={onChoose} onCancel={() => undefined} />, {columns: 80, rows: 24});
		expect(view.frame()).toMatch(/^▶ v6\.12 \(current\)$/m);
		await view.press('5', '.', '4');
		expect(view.frame()).toMatch(/^▶ v5\.4$/m);
		expect(view.frame()).toMatch(/^ {2}v5\.3 \(previous run\)$/m);
		expect(view.frame()).toContain('jump: 5.4');
		await view.press(KEYS.down, KEYS.enter);
		expect(onChoose).toHaveBeenCalledWith('5.5', false);
	});

	it('goes back with Esc', async () => {
		const onCancel = vi.fn();
		view = renderAt(<KernelChooser kernels={KERNEL_VERSIONS} current="6.12" previous={undefined} width={80} height={16} onChoose={() => undefined} onCancel={onCancel} />, {columns: 80, rows: 24});
		await view.press(KEYS.escape);
		await waitFor(() => onCancel.mock.calls.length === 1);
	});
});

describe('PatchChooser', () => {
	const patches = [{name: 'arm64-pfn-valid-v2', summary: 'arm64 pfn_valid() as in V2', arches: ['arm64-4k', 'arm64-16k', 'arm64-64k']}];

	it('toggles a patch that applies and reruns with it', async () => {
		const onApply = vi.fn();
		view = renderAt(<PatchChooser patches={patches} active={[]} arch="arm64-4k" width={80} height={10} onApply={onApply} onCancel={() => undefined} />, {columns: 80, rows: 24});
		expect(view.frame()).toContain('[ ] arm64-pfn-valid-v2');
		await view.press(' ');
		expect(view.frame()).toContain('[x] arm64-pfn-valid-v2');
		await view.press(KEYS.enter);
		expect(onApply).toHaveBeenCalledWith(['arm64-pfn-valid-v2']);
	});

	it('will not turn on a patch for another arch', async () => {
		const onApply = vi.fn();
		view = renderAt(<PatchChooser patches={patches} active={[]} arch="x86_64" width={80} height={10} onApply={onApply} onCancel={() => undefined} />, {columns: 80, rows: 24});
		expect(view.frame()).toContain('arm64-4k, arm64-16k, arm64-64k only');
		await view.press(' ');
		expect(view.frame()).toContain('cannot turn on arm64-pfn-valid-v2: arm64-4k, arm64-16k, arm64-64k only');
		await view.press(KEYS.enter);
		expect(onApply).toHaveBeenCalledWith([]);
	});

	// A test of a patch the topology file names (the showcase's `patches: [arm64-pfn-valid-v2]`).
	// Expect it on and marked as the file's, Space to turn it off (said so in its row), and Enter
	// to rerun without it.
	it('turns off a patch the topology file applies', async () => {
		const onApply = vi.fn();
		view = renderAt(<PatchChooser patches={patches} active={['arm64-pfn-valid-v2']} fixed={['arm64-pfn-valid-v2']} arch="arm64-4k" width={80} height={10} onApply={onApply} onCancel={() => undefined} />, {columns: 80, rows: 24});
		expect(view.frame()).toMatch(/\[x\] arm64-pfn-valid-v2 +from the topology file$/m);
		await view.press(' ');
		expect(view.frame()).toMatch(/\[ \] arm64-pfn-valid-v2 +from the topology file, turned off$/m);
		await view.press(KEYS.enter);
		expect(onApply).toHaveBeenCalledWith([]);
	});

	// A test of PgDn in a list taller than the overlay: 12 patches, height 10 leaves 5 rows for
	// the list (the summary takes the rest). Expect PgDn to move the cursor by those 5 rows.
	it('pages by the rows the list shows', async () => {
		const onApply = vi.fn();
		const many = Array.from({length: 12}, (_, index) => ({name: `p${index}`, summary: `patch ${index}`, arches: ['x86_64']}));
		view = renderAt(<PatchChooser patches={many} active={[]} arch="x86_64" width={80} height={10} onApply={onApply} onCancel={() => undefined} />, {columns: 80, rows: 24});
		await view.press(KEYS.pageDown, ' ', KEYS.enter);
		expect(onApply).toHaveBeenCalledWith(['p5']);
	});

	// A test of the real patch list (patchChoices()) on an x86_64 run at v6.12: stable-6.12.117
	// applies, stable-5.10.262 (another series) does not. Expect the 5.10 preset greyed with the
	// model's reason and Space on it to do nothing; Space on the 6.12 preset turns it on.
	it('greys out the patches the model would reject at this kernel, with the reason', async () => {
		const all = patchChoices();
		const onApply = vi.fn();
		const names = ['stable-5.10.262', 'stable-6.12.117'];
		const shown = all.filter(patch => names.includes(patch.name));
		expect(shown.map(patch => patch.name)).toEqual(names);
		view = renderAt(<PatchChooser patches={shown} active={[]} arch="x86_64" kernel="6.12" width={100} height={10} onApply={onApply} onCancel={() => undefined} />, {columns: 100, rows: 24});
		expect(view.frame()).toMatch(/stable-5\.10\.262.*applies to v5\.10 only, not to v6\.12/);
		await view.press(' ');
		expect(view.frame()).toContain('[ ] stable-5.10.262');
		await view.press(KEYS.down, ' ', KEYS.enter);
		expect(onApply).toHaveBeenCalledWith(['stable-6.12.117']);
	});
});

describe('ExportDialog', () => {
	function stubPort(existing: Set<string>) {
		const writes: Array<{format: string; file: string; overwrite: boolean}> = [];
		return {
			writes,
			port: {
				formats: REPORT_FORMATS,
				fileExists: (file: string) => existing.has(file),
				resolvePath: (file: string) => `/tmp/${file}`,
				async exportReport(_report: AuditReport, format: string, file: string, {overwrite}: {overwrite: boolean}) {
					if (existing.has(file) && !overwrite) {
						throw new InputError(`${file} exists`);
					}

					writes.push({format, file, overwrite});
					existing.add(file);
					return `/tmp/${file}`;
				},
			},
		};
	}

	it('offers every SPEC format, proposes a file name and writes it', async () => {
		const {port, writes} = stubPort(new Set());
		const onDone = vi.fn();
		view = renderAt(<ExportDialog port={port} report={report} width={80} height={14} onDone={onDone} onCancel={() => undefined} />, {columns: 80, rows: 24});
		for (const format of REPORT_FORMATS) {
			expect(view.frame()).toMatch(new RegExp(`^(  |▶ )${format} +[a-zA-Z]`, 'm'));
		}

		await view.press(KEYS.down, KEYS.enter);
		expect(view.frame()).toContain('json file: pfnaudit-showcase-v6.12.json');
		// Where a relative name goes, before it is written.
		expect(view.frame()).toMatch(/^ {2}writes \/tmp\/pfnaudit-showcase-v6\.12\.json$/m);
		await view.press(KEYS.enter);
		await waitFor(() => onDone.mock.calls.length === 1);
		expect(writes).toEqual([{format: 'json', file: 'pfnaudit-showcase-v6.12.json', overwrite: false}]);
		expect(onDone).toHaveBeenCalledWith('wrote json report to /tmp/pfnaudit-showcase-v6.12.json');
	});

	it('never replaces an existing file without an explicit y', async () => {
		const {port, writes} = stubPort(new Set(['out.ktap']));
		const onDone = vi.fn();
		view = renderAt(<ExportDialog port={port} report={report} width={80} height={14} onDone={onDone} onCancel={() => undefined} />, {columns: 80, rows: 24});
		await view.press(...Array.from({length: REPORT_FORMATS.indexOf('ktap')}, () => KEYS.down), KEYS.enter);
		await view.press('\u0015', 'out.ktap', KEYS.enter);
		expect(view.frame()).toContain('out.ktap exists. Replace it? (y/N)');
		await view.press('n');
		expect(view.frame()).not.toContain('Replace it?');
		expect(writes).toEqual([]);
		await view.press(KEYS.enter, 'y');
		await waitFor(() => onDone.mock.calls.length === 1);
		expect(writes).toEqual([{format: 'ktap', file: 'out.ktap', overwrite: true}]);
	});
});
