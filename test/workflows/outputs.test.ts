/**
 * Outputs never vanish: the engine's cap replaces only oversized fields, small siblings reach later
 * steps, and an expression that reads a dropped, stored or missing output fails the reading step with
 * its own type instead of reading null.
 */
import { uniqueName } from '../support/lab';
import { startRehearsal } from '../support/rehearsal-env';
import type { Rehearsal } from '../support/rehearsal-env';
import { expr, plan, step, tpl } from '../support/rehearsal-plan';
import { OUTPUT_CAP_BYTES, RUN_OUTPUT_BUDGET_BYTES, STATUS_OUTPUT_CAP_BYTES } from '../../workflows/caps';

let env: Rehearsal;
beforeAll(async () => {
  env = await startRehearsal('outputs');
});
afterAll(async () => {
  await env?.close();
});

/** True when the activity of `stepId` was called (the journal records each start). */
function called(key: string, stepId: string): boolean {
  return env.journal.of(key).some((x) => x.event === 'start' && x.stepId === stepId);
}

/** Outputs of one step of a finished run (`test.ok` echoes its `outputs` input, so these are its inputs). */
function outputsOf(r: { steps: Array<{ id: string; outputs: Record<string, unknown> | null }> }, id: string) {
  return r.steps.find((s) => s.id === id)?.outputs;
}

const ref = { $evidence: { path: '/store/evidence/x/offsets.json', bytes: 58_000, sha256: 'ab'.repeat(32) } };

test('a step whose outputs exceed every cap still hands its small fields on', async () => {
  const key = uniqueName('cap-fields');
  const table = Array.from({ length: 3000 }, (_, i) => ({
    group: `g${i}`,
    topic: 'orders',
    partition: i % 6,
    offset: i,
  }));
  expect(JSON.stringify(table).length).toBeGreaterThan(OUTPUT_CAP_BYTES * 4);
  const big = { path: '/store/offsets.csv', rows: 3000, table, text: 'y'.repeat(40_000) };
  const r = await (
    await env.start(
      plan([
        step('export', 'test.ok', { with: { key, outputs: big } }),
        step('use', 'test.ok', {
          needs: ['export'],
          with: {
            key,
            outputs: {
              file: expr('steps.export.outputs.path'),
              rows: expr('steps.export.outputs.rows'),
              line: tpl('offsets in ', ['steps.export.outputs.path']),
            },
          },
        }),
      ]),
    )
  ).result();
  expect(r.phase).toBe('succeeded');
  expect(outputsOf(r, 'use')).toEqual({
    file: '/store/offsets.csv',
    rows: 3000,
    line: 'offsets in /store/offsets.csv',
  });
  const shown = r.steps[0].outputs!;
  expect(shown.path).toBe('/store/offsets.csv');
  expect(shown.rows).toBe(3000);
  expect(shown.table).toMatchObject({ $dropped: { cap: expect.any(Number) } });
  expect((shown.table as { $dropped: { bytes: number } }).$dropped.bytes).toBe(JSON.stringify(table).length);
  expect(JSON.stringify(shown).length).toBeLessThanOrEqual(STATUS_OUTPUT_CAP_BYTES);
});

test.each([
  ['a dropped field', 'steps.src.outputs.table', 'OUTPUT_DROPPED', /dropped by the engine's output cap/],
  ['inside a dropped field', 'steps.src.outputs.table.length', 'OUTPUT_DROPPED', /steps\.src\.outputs\.table/],
  ['a stored field', 'steps.src.outputs.offsets', 'OUTPUT_STORED', /stored in \/store\/evidence\/x\/offsets\.json/],
  ['an output never returned', 'steps.src.outputs.nope', 'OUTPUT_MISSING', /succeeded without returning 'nope'/],
])('reading %s fails the reading step loudly (%s)', async (_what, path, type, message) => {
  const key = uniqueName('cap-read');
  const r = await (
    await env.start(
      plan([
        step('src', 'test.ok', { with: { key, outputs: { path: '/p', table: 'z'.repeat(30_000), offsets: ref } } }),
        step('reader', 'test.ok', { needs: ['src'], onFailure: 'continue', with: { key, v: expr(path) } }),
        step('when-reader', 'test.ok', { needs: ['src'], onFailure: 'continue', when: expr(`${path} == null`) }),
        step('text-reader', 'test.ok', { needs: ['src'], onFailure: 'continue', with: { key, t: tpl('x ', [path]) } }),
      ]),
    )
  ).result();
  for (const id of ['reader', 'when-reader', 'text-reader']) {
    const s = r.steps.find((x) => x.id === id)!;
    expect([id, s.state, s.error?.type]).toEqual([id, 'failed', type]);
    expect(s.error?.message).toMatch(message);
  }
  expect(called(key, 'reader')).toBe(false);
  expect(called(key, 'text-reader')).toBe(false);
});

test('a skipped step still reads as null (runbooks chain `a || b` over alternatives)', async () => {
  const key = uniqueName('cap-skip');
  const r = await (
    await env.start(
      plan([
        step('never', 'test.ok', { when: expr('params.x == 1'), with: { key, outputs: { t: 1 } } }),
        step('either', 'test.ok', {
          needs: ['never'],
          with: { key, outputs: { t: expr("steps.never.outputs.t || 'none'") } },
        }),
      ]),
    )
  ).result();
  expect(r.phase).toBe('succeeded');
  expect(outputsOf(r, 'either')).toEqual({ t: 'none' });
});

test('past the run budget small fields still pass on', async () => {
  const key = uniqueName('cap-budget');
  const n = Math.ceil(RUN_OUTPUT_BUDGET_BYTES / (OUTPUT_CAP_BYTES - 1024)) + 1;
  const fill = Array.from({ length: n }, (_, i) =>
    step(`fill${i}`, 'test.ok', { with: { key, outputs: { blob: 'f'.repeat(OUTPUT_CAP_BYTES - 1024) } } }),
  );
  const r = await (
    await env.start(
      plan(
        [
          ...fill,
          step('late', 'test.ok', {
            needs: fill.map((s) => s.id),
            with: { key, outputs: { id: 'set-42', blob: 'g'.repeat(4000) } },
          }),
          step('after', 'test.ok', { needs: ['late'], with: { key, outputs: { id: expr('steps.late.outputs.id') } } }),
        ],
        { maxParallel: 20 },
      ),
    )
  ).result();
  expect(r.phase).toBe('succeeded');
  expect(r.steps.find((s) => s.id === 'late')!.outputs).toMatchObject({ id: 'set-42', blob: { $dropped: {} } });
  expect(outputsOf(r, 'after')).toEqual({ id: 'set-42' });
}, 120_000);
