import {describe, expect, it} from 'vitest';
import {evaluateWalker, type JobProgress} from '../../source/engine/evaluate.js';
import {ALIGN_DOWN} from '../../source/model/geometry.js';
import type {PageField, StepContext, WalkerDefinition} from '../../source/walker/contract.js';
import {C1_POISON, fakeModel, OK} from '../helpers/fake-model.js';
import {testWalker} from './oracle.js';

const FLAGS: readonly PageField[] = ['flags'];

//   | boot RAM (ok) | hotplug, offline (C1) | no memmap ...
//   0x0        0x8000                  0x10000
const model = fakeModel({
	runs: [
		{start: 0, end: 0x8000, state: OK},
		{start: 0x8000, end: 0x1_0000, state: C1_POISON},
	],
});
const all = [{start: 0, end: 0x1_0000}];

const run = (walker: WalkerDefinition, mode: 'runs' | 'per-pfn' = 'runs') => evaluateWalker(walker, model, {mode, failOn: ['C1']});

describe('contract violations are reported as malformed, with one sentence naming the pfn', () => {
	// A test of a step that reads the struct page of pfn + 1 (like a walker peeking at the next
	// page) without declaring it as an anchor. Expect runs mode to reject it at the first step,
	// naming both pfns; per-pfn mode (the reference) accepts any pfn.
	it('rejects an undeclared pfn in runs mode', () => {
		const walker = testWalker('t_peek', [{ranges: all, step: (ctx, pfn) => void ctx.page(pfn + 1, FLAGS, 'peek')}]);
		const result = run(walker);
		expect(result.status).toBe('malformed');
		expect(result.error).toBe(
			't_peek looks at pfn 0x1 while stepping pfn 0x0 in pass "pass 0": a step may only look at its own pfn and the pfns its pass declares as anchors (declare an anchor for 0x1)',
		);
		expect(run(walker, 'per-pfn').status).toBe('ok');
	});

	it('keeps the violation when the walker catches the exception', () => {
		const walker = testWalker('t_catch', [
			{
				ranges: all,
				step(ctx, pfn) {
					try {
						ctx.pfn_valid(pfn + 7);
					} catch {
						// A careless walker swallowing everything.
					}
				},
			},
		]);
		expect(run(walker)).toMatchObject({status: 'malformed', error: expect.stringContaining('looks at pfn 0x7 while stepping pfn 0x0')});
	});

	// A test of a pass with more anchors than the guard scans one by one (the pageblock samples of
	// __reset_isolation_suitable have hundreds): twelve anchors pfn + 2k, declared out of order.
	// Expect every declared pfn accepted (runs and per-pfn modes count the same reads), and an
	// odd pfn between them, not declared, rejected by name.
	//
	//   step pfn p | p+2 | p+4 | … | p+22        p+3: not an anchor
	it('looks up a long anchor list, declared in any order, and rejects a pfn between its anchors', () => {
		const offsets = [22, 0, 4, 2, 20, 6, 18, 8, 16, 10, 14, 12];
		const anchors = offsets.map(offset => (pfn: number) => pfn + offset);
		const evens = testWalker('t_evens', [
			{
				ranges: [{start: 0x7f00, end: 0x8100}],
				anchors,
				step(ctx, pfn) {
					for (let offset = 22; offset >= 0; offset -= 2) {
						ctx.page(pfn + offset, FLAGS, 'sample');
					}
				},
			},
		]);
		const runs = run(evens);
		expect(runs.status).toBe('ok');
		expect(runs.touches).toEqual(run(evens, 'per-pfn').touches);
		expect(runs.touches).toMatchObject({ok: 12 * (0x8000 - 0x7f00) - (2 + 4 + 6 + 8 + 10 + 12 + 14 + 16 + 18 + 20 + 22), C1: 12 * 0x100 + (2 + 4 + 6 + 8 + 10 + 12 + 14 + 16 + 18 + 20 + 22)});
		const odd = testWalker('t_odd', [{ranges: [{start: 0x7f00, end: 0x8100}], anchors, step: (ctx, pfn) => void ctx.page(pfn + 3, FLAGS, 'odd')}]);
		expect(run(odd)).toMatchObject({status: 'malformed', error: expect.stringContaining('t_odd looks at pfn 0x7f03 while stepping pfn 0x7f00')});
	});

	// A test of an anchor series (AnchorSeries): the pfns 8k above the pageblock start, up to
	// one block on, the sample loop of __reset_isolation_pfn(). Expect runs mode to count what
	// per-pfn mode counts across the C1 boundary at 0x8000, and to reject a pfn between two
	// samples and the pfn one step past the series, by name.
	//
	//   block 0x7e00          block 0x7f00 …         0x8000 (C1) …
	//   samples +0, +8, … +0x200 of the block start
	it('walks an anchor series and rejects a pfn between or past its samples', () => {
		const block = 0x200;
		const series = {base: (pfn: number) => ALIGN_DOWN(pfn, block), first: 0, last: block, step: 8};
		const sampling = (extra: number) =>
			testWalker(`t_series${extra}`, [
				{
					ranges: [{start: 0x7c00, end: 0x8400}],
					stride: 0x40,
					anchors: [series],
					step(ctx, pfn) {
						for (let offset = 0; offset <= block; offset += 8) {
							ctx.page(ALIGN_DOWN(pfn, block) + offset, FLAGS, 'sample');
						}

						if (extra > 0) {
							ctx.pfn_valid(ALIGN_DOWN(pfn, block) + extra);
						}
					},
				},
			]);
		const runs = run(sampling(0));
		expect(runs.status).toBe('ok');
		expect(runs.touches).toEqual(run(sampling(0), 'per-pfn').touches);
		// 0x20 points, 0x41 samples each: the 8 points of block 0x7c00 read only ok pages, the 8 of
		// block 0x7e00 reach 0x8000 with their last sample, the 16 from 0x8000 on read C1 pages.
		expect(runs.touches).toMatchObject({ok: 8 * 0x41 + 8 * 0x40, C1: 8 + 16 * 0x41});
		expect(run(sampling(4))).toMatchObject({status: 'malformed', error: expect.stringContaining('t_series4 looks at pfn 0x7c04 while stepping pfn 0x7c00')});
		expect(run(sampling(block + 8))).toMatchObject({status: 'malformed', error: expect.stringContaining('t_series520 looks at pfn 0x7e08 while stepping pfn 0x7c00')});
	});

	it('rejects a series whose pfns leave the modelled pfns, and a series that is not one', () => {
		const below = testWalker('t_below', [{ranges: all, anchors: [{first: -16, last: 0, step: 8}], step: () => undefined}]);
		expect(run(below)).toMatchObject({status: 'malformed', error: expect.stringContaining('anchor 0 of pass "pass 0" maps pfn 0x0 to the pfns -16..0, not all pfns in [0x0, ')});
		const ragged = testWalker('t_ragged', [{ranges: all, anchors: [pfn => pfn, {first: 0, last: 10, step: 8}], step: () => undefined}]);
		expect(run(ragged)).toMatchObject({status: 'malformed', error: expect.stringContaining('pass 0 ("pass 0") anchor 1 is the series first 0, last 10, step 8')});
	});

	// A test of a step that touches only even pfns: its touches depend on pfn arithmetic, not on
	// the model state, so a stretch cannot be evaluated once. Expect the spot check at the
	// stretch's last point to catch it in runs mode.
	it('catches a step that branches on pfn arithmetic', () => {
		const walker = testWalker('t_even', [{ranges: all, step: (ctx, pfn) => void (pfn % 2 === 0 && ctx.page(pfn, FLAGS, 'even'))}]);
		const result = run(walker);
		expect(result.status).toBe('malformed');
		expect(result.error).toContain('t_even behaves differently at pfn 0x0 and pfn 0x7fff');
		expect(run(walker, 'per-pfn')).toMatchObject({status: 'ok', touches: expect.objectContaining({ok: 0x4000, C1: 0x4000})});
	});

	it('rejects an anchor that is not monotone', () => {
		// Points into the C1 run below 0x8000, then falls back to the step pfn.
		const zigzag = (pfn: number) => (pfn < 0x8000 ? 0x9000 : pfn);
		const walker = testWalker('t_zigzag', [{ranges: [{start: 0x7f00, end: 0x8100}], anchors: [zigzag], step: (ctx, pfn) => void ctx.pfn_valid(zigzag(pfn))}]);
		expect(run(walker)).toMatchObject({status: 'malformed', error: 't_zigzag: anchor 0 of pass "pass 0" is not monotone: it maps pfn 0x7f00 to 0x9000 but pfn 0x8000 to 0x8000'});
	});

	it('rejects an anchor that leaves the modelled pfns', () => {
		const walker = testWalker('t_neg', [{ranges: all, anchors: [pfn => pfn - 1], step: (ctx, pfn) => void ctx.pfn_valid(pfn - 1)}]);
		expect(run(walker)).toMatchObject({status: 'malformed', error: expect.stringContaining('anchor 0 of pass "pass 0" maps pfn 0x0 to -1')});
	});

	it('rejects a lookup outside the model in per-pfn mode too', () => {
		const walker = testWalker('t_neg2', [{ranges: all, step: (ctx, pfn) => void ctx.pfn_valid(pfn - 1)}]);
		expect(run(walker, 'per-pfn')).toMatchObject({
			status: 'malformed',
			error: 't_neg2 while stepping pfn 0x0 in pass "pass 0": looks up pfn -1, outside the modelled pfns [0x0, 0x10000000008000)',
		});
	});

	it('rejects a malformed form before walking', () => {
		const stride0 = testWalker('t_stride0', [{ranges: all, stride: 0, step: () => undefined}]);
		expect(run(stride0)).toMatchObject({status: 'malformed', error: 't_stride0: pass 0 ("pass 0") has stride 0x0; a stride is a positive integer number of pfns'});
		const past = testWalker('t_past', [{ranges: [{start: 0, end: model.end_pfn + 1}], step: () => undefined}]);
		expect(run(past)).toMatchObject({status: 'malformed', error: expect.stringContaining('range 0 is [0x0, 0x10000000008001)')});
	});
});

describe('walkers that fail', () => {
	it('reports a step that throws, with the pfn, and what it counted before', () => {
		const walker = testWalker('t_throw', [
			{
				ranges: all,
				step(ctx, pfn) {
					if (!ctx.pfn_to_online_page(pfn)) {
						throw new TypeError('Cannot read properties of undefined');
					}

					ctx.page(pfn, FLAGS, 't');
				},
			},
		]);
		for (const mode of ['runs', 'per-pfn'] as const) {
			const result = run(walker, mode);
			expect(result.status).toBe('threw');
			expect(result.error).toBe('t_throw threw while stepping pfn 0x8000 in pass "pass 0": Cannot read properties of undefined');
			expect(result.pfns_visited).toBe(0x8000);
			expect(result.touches.ok).toBe(0x8000);
		}
	});

	it('reports plan() throwing, returning null, or returning junk', () => {
		const base = testWalker('t_plan', []);
		expect(run({...base, plan: () => { throw new Error('no zones'); }})).toMatchObject({status: 'threw', error: 't_plan: plan() threw: no zones'});
		expect(run({...base, plan: () => null})).toMatchObject({status: 'absent', pfns_visited: 0});
		expect(run({...base, plan: () => ({label: 'x'}) as never})).toMatchObject({status: 'malformed', error: 't_plan: plan() returned a form without label and guard strings'});
	});

	// A clock that advances 1 ms per reading: the time limit is checked between chunks of pfns,
	// so a long sweep must end as `timeout` with what it had visited.
	it('stops a walker at its time limit (cooperative, in-process)', () => {
		let t = 0;
		const walker = testWalker('t_long', [{ranges: [{start: 0, end: 2 ** 40}], step: (ctx, pfn) => void ctx.pfn_valid(pfn)}]);
		const result = evaluateWalker(walker, model, {mode: 'per-pfn', failOn: [], timeLimitMs: 5, now: () => t++});
		expect(result.status).toBe('timeout');
		expect(result.error).toMatch(/^t_long did not finish within 5 ms \(stopped at pfn 0x[\da-f]+, \d+ pfns visited\)$/);
		expect(result.pfns_visited).toBeGreaterThan(0);
		expect(result.pfns_visited).toBeLessThan(2 ** 40);
	});

	// A walker of many short passes, as one pass a memory block is (40 000–80 000 passes of a few
	// stretches each at 100 000 topology entries): 4 096 passes over [0x0, 0x8000), all OK, one
	// stretch each in runs mode. The clock is checked every 256 stretches of the walker, not of a
	// pass: expect the time limit to stop it (a pass never reaches 256 stretches on its own, and
	// counted per pass it walked all 4 096 to the end) and progress to be reported meanwhile.
	it('checks the clock across passes in runs mode: a walker of many one-stretch passes meets its time limit and reports progress', () => {
		const passes = Array.from({length: 4096}, () => ({ranges: [{start: 0, end: 0x8000}], step: (ctx: StepContext, pfn: number) => void ctx.pfn_valid(pfn)}));
		const walker = testWalker('t_many_passes', passes);
		let t = 0;
		const limited = evaluateWalker(walker, model, {mode: 'runs', failOn: [], timeLimitMs: 3, now: () => t++});
		expect(limited.status).toBe('timeout');
		expect(limited.pfns_visited).toBeLessThan(4096 * 0x8000);
		t = 0;
		const snapshots: JobProgress[] = [];
		const whole = evaluateWalker(walker, model, {mode: 'runs', failOn: [], progressIntervalMs: 1, now: () => t++, onProgress: p => snapshots.push(p)});
		expect(whole.status).toBe('ok');
		expect(snapshots.length).toBeGreaterThanOrEqual(4096 / 256 - 1);
	});

	it('stops at an aborted signal', () => {
		const controller = new AbortController();
		controller.abort();
		const walker = testWalker('t_abort', [{ranges: [{start: 0, end: 2 ** 20}], step: (ctx, pfn) => void ctx.pfn_valid(pfn)}]);
		expect(evaluateWalker(walker, model, {mode: 'per-pfn', failOn: [], signal: controller.signal})).toMatchObject({status: 'cancelled'});
	});
});

describe('progress', () => {
	// A clock that advances 30 ms per reading, progress every 25 ms: expect several snapshots,
	// fractions that only grow, cumulative tallies, and each witness reported exactly once.
	it('reports progress by time, never per pfn', () => {
		let t = 0;
		const snapshots: JobProgress[] = [];
		const step = (ctx: StepContext, pfn: number) => void (ctx.pfn_valid(pfn) && ctx.page(pfn, FLAGS, 'stable_page_flags'));
		const walker = testWalker('t_progress', [{ranges: [{start: 0, end: 0x1_0000}], step}, {ranges: [{start: 0, end: 0x1_0000}], direction: 'down', step}]);
		const result = evaluateWalker(walker, model, {
			mode: 'per-pfn',
			failOn: ['C1'],
			progressIntervalMs: 25,
			now: () => (t += 30),
			onProgress: p => snapshots.push(p),
		});
		expect(result.status).toBe('ok');
		expect(snapshots.length).toBeGreaterThan(1);
		expect(snapshots.length).toBeLessThan(0x2_0000 / 1000);
		const fractions = snapshots.map(s => s.fraction);
		expect([...fractions].sort((a, b) => a - b)).toEqual(fractions);
		expect(snapshots.at(-1)!.touches.ok).toBeLessThanOrEqual(result.touches.ok);
		expect(snapshots.flatMap(s => s.witnesses).length).toBeLessThanOrEqual(result.witnesses.length);
		expect(new Set(snapshots.flatMap(s => s.witnesses)).size).toBe(snapshots.flatMap(s => s.witnesses).length);
	});

	it('counts the points a stop() skipped as done', () => {
		const snapshots: JobProgress[] = [];
		let t = 0;
		const walker = testWalker('t_stopfast', [
			{ranges: [{start: 0, end: 2 ** 30}], step: ctx => ctx.stop()},
			{ranges: [{start: 0, end: 2 ** 20}], step: (ctx, pfn) => void ctx.pfn_valid(ALIGN_DOWN(pfn, 1))},
		]);
		const result = evaluateWalker(walker, model, {mode: 'per-pfn', failOn: [], progressIntervalMs: 1, now: () => t++, onProgress: p => snapshots.push(p)});
		expect(result.pfns_visited).toBe(1 + 2 ** 20);
		expect(snapshots[0]!.fraction).toBeGreaterThan(0.99);
	});
});
