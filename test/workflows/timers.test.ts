/**
 * Gate timeouts and timers at their real lengths, in virtual time (Temporal's time-skipping test server):
 * a 2-hour approval window, a 6-hour wait and a day-long `until` run in seconds of wall time. Everything
 * that needs a real server (crash, restart, CLI, end to end) stays on the lab.
 */
import { WorkflowFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { uniqueName } from '../support/lab';
import { expr, gate, plan, step } from '../support/rehearsal-plan';
import { startTimeSkipping, type TimeSkipping } from '../support/time-skipping';

const HOUR = 3_600_000;
let ts: TimeSkipping;
beforeAll(async () => {
  ts = await startTimeSkipping();
}, 120_000);
afterAll(async () => {
  await ts?.close();
});

/** A wait step as the compiler lowers it: the timer (or the until limit) is the step's timeout. */
function wait(id: string, withs: Record<string, unknown>, limitMs: number, needs: string[] = []) {
  return step(id, 'wait', { kind: 'wait', with: withs as never, needs, timeouts: { startToCloseMs: limitMs } });
}

test('a 2-hour approval window that nobody answers aborts the run and rolls back', async () => {
  const key = uniqueName('gate-2h');
  const p = plan([
    step('assess', 'test.ok', { with: { key } }),
    gate('approve', { timeoutMs: 2 * HOUR, onTimeout: 'abort' }, { needs: ['assess'] }),
    step('restore', 'test.record', { with: { key }, needs: ['approve'] }),
  ]);
  p.rollback = [step('undo', 'test.record', { with: { key }, needs: ['assess'] })];
  const t0 = Date.now();
  const err = await ts.run(p, (h) => h.result().catch((e: unknown) => e));
  expect(err).toBeInstanceOf(WorkflowFailedError);
  expect(((err as WorkflowFailedError).cause as ApplicationFailure).message).toContain('APPROVAL_TIMEOUT');
  expect(ts.journal.of(key).map((e) => `${e.stepId}:${e.event}`)).toEqual([
    'assess:start',
    'assess:end',
    'undo:start',
    'undo:end',
  ]);
  expect(Date.now() - t0).toBeLessThan(60_000);
});

test('a 6-hour durable timer elapses, then the next step runs', async () => {
  const key = uniqueName('wait-6h');
  const p = plan([
    wait('cool-down', { duration: 6 * HOUR }, 6 * HOUR),
    step('after', 'test.record', { with: { key }, needs: ['cool-down'] }),
  ]);
  const t0 = Date.now();
  const r = await ts.run(p, (h) => h.result());
  expect(r.phase).toBe('succeeded');
  expect(r.steps[0].outputs).toEqual({ waitedMs: 6 * HOUR });
  expect(ts.journal.of(key).map((e) => e.event)).toEqual(['start', 'end']);
  expect(Date.now() - t0).toBeLessThan(60_000);
});

test('a wait until an expression that never holds fails with WAIT_TIMEOUT after a day', async () => {
  const p = plan([wait('until-never', { until: expr('params.never == true') }, 24 * HOUR)], {
    parameters: { never: { type: 'boolean', default: false, required: false } },
    onFailure: undefined,
  } as never);
  p.steps[0].onFailure = 'abort';
  const err = await ts.run(p, (h) => h.result().catch((e: unknown) => e));
  expect(err).toBeInstanceOf(WorkflowFailedError);
  expect(JSON.stringify((err as WorkflowFailedError).cause)).toContain('WAIT_TIMEOUT');
});
