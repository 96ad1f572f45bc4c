/**
 * Rehearsals of the scheduler against the lab's Temporal server with a real Worker: ordering,
 * maxParallel, fan-out with maxFailures, `when`, output passing, fail-fast cancellation.
 */
import { WorkflowFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { uniqueName } from '../support/lab';
import { maxConcurrency } from '../support/rehearsal';
import { startRehearsal } from '../support/rehearsal-env';
import type { Rehearsal } from '../support/rehearsal-env';
import { expr, plan, step, tpl } from '../support/rehearsal-plan';

let env: Rehearsal;
beforeAll(async () => {
  env = await startRehearsal('sched');
});
afterAll(async () => {
  await env?.close();
});

function starts(key: string): string[] {
  return env.journal
    .of(key)
    .filter((e) => e.event === 'start')
    .map((e) => e.stepId);
}

test('a step starts only after all of its needs succeeded', async () => {
  const key = uniqueName('order');
  const w = { key, ms: 200 };
  const h = await env.start(
    plan([
      step('a', 'test.sleep', { with: w }),
      step('b', 'test.sleep', { with: w, needs: ['a'] }),
      step('c', 'test.ok', { with: { key }, needs: ['a'] }),
      step('d', 'test.ok', { with: { key }, needs: ['b', 'c'] }),
    ]),
  );
  const result = await h.result();
  expect(result.phase).toBe('succeeded');
  const j = env.journal.of(key);
  const at = (id: string, ev: string) => j.find((e) => e.stepId === id && e.event === ev)!.at;
  expect(at('b', 'start')).toBeGreaterThanOrEqual(at('a', 'end'));
  expect(at('c', 'start')).toBeGreaterThanOrEqual(at('a', 'end'));
  expect(at('d', 'start')).toBeGreaterThanOrEqual(Math.max(at('b', 'end'), at('c', 'end')));
  expect(starts(key)).toHaveLength(4);
});

test('independent steps run in parallel, never more than maxParallel at once', async () => {
  const key = uniqueName('par');
  const steps = Array.from({ length: 6 }, (_, i) => step(`s${i}`, 'test.sleep', { with: { key, ms: 400 } }));
  const h = await env.start(plan(steps, { maxParallel: 2 }));
  expect((await h.result()).phase).toBe('succeeded');
  expect(maxConcurrency(env.journal.of(key))).toBe(2);
});

test('forEach honours its own maxParallel and tolerates up to maxFailures failed items', async () => {
  const key = uniqueName('fan');
  const items = [1, 2, 3, 4, 5, 6];
  const ok = step('fan', 'test.fail-items', {
    with: { key, failItems: [2, 5], ms: 150 },
    forEach: { items, maxParallel: 3, maxFailures: 2 },
  });
  const h = await env.start(plan([ok, step('after', 'test.ok', { with: { key }, needs: ['fan'] })]));
  const r = await h.result();
  const fan = r.steps.find((s) => s.id === 'fan')!;
  expect(fan.state).toBe('succeeded');
  expect(fan.items).toEqual({ total: 6, succeeded: 4, failed: 2, running: 0 });
  expect(r.steps.find((s) => s.id === 'after')!.state).toBe('succeeded');
  expect(maxConcurrency(env.journal.of(key).filter((e) => e.stepId === 'fan'))).toBeLessThanOrEqual(3);

  const key2 = uniqueName('fan-over');
  const over = step('fan', 'test.fail-items', {
    with: { key: key2, failItems: [1, 2], ms: 50 },
    forEach: { items, maxParallel: 1, maxFailures: 1 },
    onFailure: 'continue',
  });
  const r2 = await (await env.start(plan([over]))).result();
  const fan2 = r2.steps[0];
  expect(fan2.state).toBe('failed');
  expect(fan2.error?.type).toBe('FOREACH_FAILED');
  // Sequential lanes: the second failure (item 2) stops the fan-out before items 3..6 start.
  expect(starts(key2)).toHaveLength(2);
  expect(r2.phase).toBe('completed-with-failures');
});

test('when: false skips a step; dependents still run unless they refuse skipped needs', async () => {
  const key = uniqueName('when');
  const h = await env.start(
    plan([
      step('probe', 'test.ok', { with: { key, outputs: { healthy: true } } }),
      step('repair', 'test.ok', {
        with: { key },
        needs: ['probe'],
        when: expr('steps.probe.outputs.healthy == false'),
      }),
      step('verify', 'test.ok', { with: { key }, needs: ['repair'] }),
      step('strict', 'test.ok', { with: { key }, needs: ['repair'], proceedIfNeedsSkipped: false }),
      step('drill-only', 'test.ok', { with: { key }, when: expr("run.mode == 'drill'") }),
    ]),
  );
  const r = await h.result();
  const state = Object.fromEntries(r.steps.map((s) => [s.id, s.state]));
  expect(state).toEqual({
    probe: 'succeeded',
    repair: 'skipped',
    verify: 'succeeded',
    strict: 'skipped',
    'drill-only': 'skipped',
  });
  expect(r.steps.find((s) => s.id === 'strict')!.skipReason).toBe('blocked');
  expect(starts(key).sort()).toEqual(['probe', 'verify']);
});

test('outputs of a step are stored by id and reach later inputs and templates', async () => {
  const key = uniqueName('out');
  const h = await env.start(
    plan(
      [
        step('assess', 'test.ok', { with: { key, outputs: { broker: 2, topics: ['a', 'b'] } } }),
        step('use', 'test.ok', {
          needs: ['assess'],
          with: {
            key,
            outputs: {
              broker: expr('steps.assess.outputs.broker'),
              line: tpl('broker ', ['steps.assess.outputs.broker'], ' of ', ['params.cluster']),
            },
          },
        }),
      ],
      { parameters: { cluster: { type: 'string', required: true } } },
    ),
    {},
    { cluster: 'east' },
  );
  const r = await h.result();
  expect(r.steps[1].outputs).toEqual({ broker: 2, line: 'broker 2 of east' });
});

test('failFast: a failure that aborts the run cancels its running siblings', async () => {
  const key = uniqueName('ff');
  const h = await env.start(
    plan(
      [
        step('slow', 'test.sleep', {
          with: { key, ms: 20_000 },
          timeouts: { startToCloseMs: 60_000, heartbeatMs: 2000 },
        }),
        step('boom', 'test.fail', { with: { key, nonRetryable: true }, onFailure: 'abort' }),
        step('later', 'test.ok', { with: { key }, needs: ['slow'] }),
      ],
      { failFast: true },
    ),
  );
  const started = Date.now();
  const err = await h.result().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(WorkflowFailedError);
  expect(((err as WorkflowFailedError).cause as ApplicationFailure).type).toBe('RUN_ABORTED');
  expect(Date.now() - started).toBeLessThan(15_000);
  const s = await h.query('status');
  const state = Object.fromEntries(
    (s as { steps: Array<{ id: string; state: string }> }).steps.map((x) => [x.id, x.state]),
  );
  expect(state).toEqual({ slow: 'failed', boom: 'failed', later: 'pending' });
  expect(env.journal.of(key).some((e) => e.stepId === 'slow' && e.event === 'cancel')).toBe(true);
});
