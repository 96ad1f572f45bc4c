/**
 * Rehearsals of the rest of the interpreter: --dry-run, `wait` steps, continue-as-new carrying state,
 * output capping, and the search attributes and memo a run publishes.
 */
import { uniqueName } from '../support/lab';
import { startRehearsal } from '../support/rehearsal-env';
import type { Rehearsal } from '../support/rehearsal-env';
import { expr, plan, step } from '../support/rehearsal-plan';
import { PHASE_KEY, RUNBOOK_KEY, CLUSTER_KEY, MODE_KEY } from '../../workflows/search-attributes';

let env: Rehearsal;
beforeAll(async () => {
  env = await startRehearsal('misc');
});
afterAll(async () => {
  await env?.close();
});

test('--dry-run runs read-only actions and only plans mutating ones', async () => {
  const key = uniqueName('dry');
  const r = await (
    await env.start(
      plan([
        step('look', 'test.ok', { with: { key, outputs: { n: 1 } }, readOnly: true }),
        step('change', 'test.record', { with: { key }, needs: ['look'] }),
        step('fan', 'test.record', {
          with: { key },
          forEach: { items: [1, 2], maxParallel: 2, maxFailures: 0 },
          needs: ['change'],
        }),
      ]),
      { dryRun: true },
    )
  ).result();
  expect(r.steps.map((s) => [s.id, s.state, !!s.planned])).toEqual([
    ['look', 'succeeded', false],
    ['change', 'succeeded', true],
    ['fan', 'succeeded', true],
  ]);
  expect(r.steps[1].summary).toBe('dry-run: would run test.record');
  expect(
    env.journal
      .of(key)
      .filter((e) => e.event === 'start')
      .map((e) => e.stepId),
  ).toEqual(['look']);
});

test('wait steps: a durable timer, and waiting until an expression holds', async () => {
  const key = uniqueName('wait');
  const t0 = Date.now();
  const r = await (
    await env.start(
      plan([
        step('pause-a-bit', 'wait', { kind: 'wait', with: { duration: '1s' } }),
        step('slow', 'test.sleep', { with: { key, ms: 1500 } }),
        step('until-slow', 'wait', { kind: 'wait', with: { until: expr("steps.slow.state == 'succeeded'") } }),
        step('never', 'wait', {
          kind: 'wait',
          with: { until: expr('params.never == true') },
          timeouts: { startToCloseMs: 500 },
          onFailure: 'continue',
        }),
      ]),
    )
  ).result();
  expect(r.steps.map((s) => [s.id, s.state])).toEqual([
    ['pause-a-bit', 'succeeded'],
    ['slow', 'succeeded'],
    ['until-slow', 'succeeded'],
    ['never', 'failed'],
  ]);
  expect(r.steps[3].error?.type).toBe('WAIT_TIMEOUT');
  expect(Date.parse(r.steps[2].endedAt!)).toBeGreaterThanOrEqual(Date.parse(r.steps[1].endedAt!));
  expect(Date.now() - t0).toBeGreaterThan(1000);
});

test('continue-as-new carries completed steps and outputs; nothing runs twice', async () => {
  const key = uniqueName('can');
  const steps = Array.from({ length: 12 }, (_, i) =>
    step(`s${i}`, 'test.ok', {
      with: { key, outputs: i === 0 ? { token: 'from-first-run' } : { token: expr('steps.s0.outputs.token') } },
      needs: i ? [`s${i - 1}`] : [],
    }),
  );
  const h = await env.start(plan(steps), { continueAsNewAtHistoryLength: 30 });
  const r = await h.result();
  expect(r.phase).toBe('succeeded');
  expect(r.continuedAsNew).toBeGreaterThanOrEqual(1);
  expect(r.steps[11].outputs).toEqual({ token: 'from-first-run' });
  const starts = env.journal
    .of(key)
    .filter((e) => e.event === 'start')
    .map((e) => e.stepId);
  expect(starts).toEqual(steps.map((s) => s.id));
});

test('large outputs are capped in state; search attributes and memo describe the run', async () => {
  const key = uniqueName('cap');
  const big = 'x'.repeat(50_000);
  const p = plan([step('big', 'test.ok', { with: { key, outputs: { big, small: 1 } } })]);
  const h = await env.start(p, { mode: 'drill' });
  const r = await h.result();
  // Only the oversized field is replaced (workflows/caps.ts capFields); its small sibling stays.
  expect(r.steps[0].outputs).toMatchObject({ big: { $dropped: { bytes: 50_002 } }, small: 1 });
  const d = await h.describe();
  expect(d.typedSearchAttributes.get(PHASE_KEY)).toBe('succeeded');
  expect(d.typedSearchAttributes.get(RUNBOOK_KEY)).toBe('rehearsal');
  expect(d.typedSearchAttributes.get(CLUSTER_KEY)).toBe(p.inventory.cluster);
  expect(d.typedSearchAttributes.get(MODE_KEY)).toBe('drill');
  expect(await d.memo).toEqual({
    runbookSha256: p.runbook.sha256,
    runbookTitle: 'Rehearsal',
    runbookSource: 'rehearsal.yaml',
  });
});
