/**
 * Timer heartbeats (activities/heartbeat.ts): at least three per heartbeat timeout, derived from the timeout
 * the activity was scheduled with, for as long as the work runs, and none after it ends. Virtual time, so a
 * loaded machine cannot make the count flaky.
 */
import type { ActionContext, ActionImpl } from '../../../activities/errors';
import { heartbeatIntervalMs, withTimerHeartbeat } from '../../../activities/heartbeat';
import type { ActionRequest } from '../../../compiler/plan';

const request = {
  workflowId: 'w',
  stepId: 's',
  inputs: {},
  inventory: {},
  mode: 'recovery',
  dryRun: false,
} as ActionRequest;

beforeEach(() => jest.useFakeTimers());
afterEach(() => jest.useRealTimers());

/** Runs a silent action lasting `workMs` under a context with `heartbeatTimeoutMs`; returns the heartbeat times. */
async function heartbeatTimes(heartbeatTimeoutMs: number | undefined, workMs: number): Promise<number[]> {
  const start = Date.now();
  const times: number[] = [];
  const ctx: ActionContext = {
    heartbeat: () => times.push(Date.now() - start),
    signal: new AbortController().signal,
    heartbeatTimeoutMs,
  };
  const silent: ActionImpl = () => new Promise((r) => setTimeout(() => r({ changed: true, outputs: {} }), workMs));
  const done = withTimerHeartbeat(silent)(request, ctx);
  await jest.advanceTimersByTimeAsync(workMs);
  await done;
  await jest.advanceTimersByTimeAsync(10 * (heartbeatTimeoutMs ?? 1000));
  return times;
}

test.each([
  [2_000, 25_000],
  [15_000, 300_000],
  [30_000, 1_800_000],
])(
  'heartbeat timeout %i ms, silent work of %i ms: every timeout window holds at least three heartbeats',
  async (timeout, work) => {
    const times = await heartbeatTimes(timeout, work);
    for (let from = 0; from + timeout <= work; from += timeout / 2) {
      const inWindow = times.filter((t) => t > from && t <= from + timeout).length;
      expect([from, inWindow >= 3]).toEqual([from, true]);
    }
    expect(Math.max(...times)).toBeLessThanOrEqual(work); // stops with the work
  },
);

test('the interval follows the scheduled timeout, not the action default: a 3 s step heartbeats every 750 ms', () => {
  expect(heartbeatIntervalMs(3_000)).toBe(750);
  expect(heartbeatIntervalMs(30_000)).toBe(7_500);
});

test('an activity scheduled without a heartbeat timeout gets no timer', async () => {
  expect(await heartbeatTimes(undefined, 60_000)).toEqual([]);
});
