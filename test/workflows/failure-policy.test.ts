/**
 * Rehearsals of what happens when things go wrong: onFailure pause → retry / skip / abort (with
 * rollback in reverse order of completion), continue, cancellation with rollback, pause and resume,
 * and the one-run-per-cluster rule.
 */
import type { WorkflowUpdateFailedError } from '@temporalio/client';
import { WorkflowFailedError } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { CancelledFailure } from '@temporalio/common';
import { RunAlreadyRunningError } from '../../client/errors';
import { startRun } from '../../client/start';
import { decideUpdate, pauseUpdate, resumeUpdate } from '../../workflows/messages';
import { uniqueName } from '../support/lab';
import { startRehearsal } from '../support/rehearsal-env';
import type { Rehearsal } from '../support/rehearsal-env';
import { plan, step } from '../support/rehearsal-plan';
import { states, waitForStatus, waitForStep } from '../support/rehearsal-wait';

let env: Rehearsal;
beforeAll(async () => {
  env = await startRehearsal('policy');
});
afterAll(async () => {
  await env?.close();
});

const order = (key: string, event = 'start') =>
  env.journal
    .of(key)
    .filter((e) => e.event === event)
    .map((e) => e.stepId);

test('pause → retry: the failed step waits for a decision, then runs again and the run succeeds', async () => {
  const key = uniqueName('retry');
  const h = await env.start(
    plan([
      step('a', 'test.ok', { with: { key } }),
      step('flaky', 'test.fail-times', { with: { key, times: 1, nonRetryable: true }, needs: ['a'] }),
      step('b', 'test.ok', { with: { key }, needs: ['flaky'] }),
    ]),
  );
  const s = await waitForStep(h, 'flaky', 'failed-awaiting-decision');
  expect(s.phase).toBe('waiting-decision');
  expect(s.steps[1].error?.type).toBe('TEST_FAIL');
  expect(s.steps[2].state).toBe('pending');
  const rec = await h.executeUpdate(decideUpdate, { args: ['flaky', 'retry', 'alice', 'transient, retrying'] });
  expect(rec.id).toBe('flaky');
  const r = await h.result();
  expect(r.phase).toBe('succeeded');
  expect(r.steps[1]).toMatchObject({ state: 'succeeded', attempt: 2, error: null });
  expect(r.decisions).toEqual([
    expect.objectContaining({ stepId: 'flaky', decision: 'retry', by: 'alice', attempt: 1 }),
  ]);
  expect(order(key)).toEqual(['a', 'flaky', 'flaky', 'b']);
});

test('pause → skip: the operator skips the failed step and dependents proceed', async () => {
  const key = uniqueName('skip');
  const h = await env.start(
    plan([
      step('broken', 'test.fail', { with: { key, nonRetryable: true } }),
      step('next', 'test.ok', { with: { key }, needs: ['broken'] }),
    ]),
  );
  await waitForStep(h, 'broken', 'failed-awaiting-decision');
  await h.executeUpdate(decideUpdate, { args: ['broken', 'skip', 'bob', 'checked by hand'] });
  const r = await h.result();
  expect(states(r)).toEqual({ broken: 'skipped', next: 'succeeded' });
  expect(r.steps[0].skipReason).toBe('operator');
});

test('pause → abort: rollback runs for what started, in reverse order of completion; nothing for what never ran', async () => {
  const key = uniqueName('abort');
  const h = await env.start(
    plan(
      [
        step('isolate', 'test.record', { with: { key } }),
        step('stop', 'test.record', { with: { key }, needs: ['isolate'] }),
        step('restore', 'test.fail', { with: { key, nonRetryable: true }, needs: ['stop'] }),
        step('never', 'test.record', { with: { key }, needs: ['restore'] }),
      ],
      {
        rollback: [
          step('unisolate', 'test.record', { with: { key }, needs: ['isolate'] }),
          step('restart', 'test.record', { with: { key }, needs: ['stop'] }),
          step('undo-never', 'test.record', { with: { key }, needs: ['never'] }),
          step('notify', 'test.record', { with: { key } }),
        ],
      },
    ),
  );
  await waitForStep(h, 'restore', 'failed-awaiting-decision');
  await h.executeUpdate(decideUpdate, { args: ['restore', 'abort', 'carol', 'backup is bad'] });
  const err = await h.result().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(WorkflowFailedError);
  expect(((err as WorkflowFailedError).cause as ApplicationFailure).type).toBe('RUN_ABORTED');
  // A rollback step that undoes nothing that started never runs (before the rollback-outcomes patch, 'notify' did).
  expect(order(key)).toEqual(['isolate', 'stop', 'restore', 'restart', 'unisolate']);
  const s = await h.query('status');
  const st = s as import('../../workflows/types').RunStatus;
  expect(st.phase).toBe('aborted');
  expect(st.outcome).toBe('aborted');
  expect(states(st)).toEqual({ isolate: 'rolled-back', stop: 'rolled-back', restore: 'failed', never: 'pending' });
  expect(st.abortReason?.type).toBe('OPERATOR_ABORT');
  expect(Object.fromEntries(st.rollback.map((r) => [r.id, r.state]))).toEqual({
    unisolate: 'succeeded',
    restart: 'succeeded',
    'undo-never': 'pending',
    notify: 'pending',
  });
});

test('onFailure abort rolls back without asking; continue marks the step failed and goes on', async () => {
  const key = uniqueName('cont');
  const r = await (
    await env.start(
      plan([
        step('optional', 'test.fail', { with: { key, nonRetryable: true }, onFailure: 'continue' }),
        step('dependent', 'test.ok', { with: { key }, needs: ['optional'] }),
        step('independent', 'test.ok', { with: { key } }),
      ]),
    )
  ).result();
  expect(states(r)).toEqual({ optional: 'failed', dependent: 'skipped', independent: 'succeeded' });
  expect(r.phase).toBe('completed-with-failures');

  const key2 = uniqueName('abrt');
  const h = await env.start(
    plan(
      [
        step('a', 'test.record', { with: { key: key2 } }),
        step('b', 'test.fail', { with: { key: key2 }, needs: ['a'], onFailure: 'abort' }),
      ],
      {
        rollback: [step('undo-a', 'test.record', { with: { key: key2 }, needs: ['a'] })],
      },
    ),
  );
  await expect(h.result()).rejects.toBeInstanceOf(WorkflowFailedError);
  expect(order(key2)).toEqual(['a', 'b', 'undo-a']);
  expect(((await h.query('status')) as import('../../workflows/types').RunStatus).outcome).toBe('failed');
});

test('retry policy: activity retries happen inside one engine attempt', async () => {
  const key = uniqueName('retries');
  const retry = {
    maxAttempts: 3,
    initialIntervalMs: 50,
    backoffCoefficient: 1,
    maxIntervalMs: 50,
    nonRetryableErrorTypes: [],
  };
  const r = await (await env.start(plan([step('x', 'test.fail-times', { with: { key, times: 2 }, retry })]))).result();
  expect(r.steps[0]).toMatchObject({ state: 'succeeded', attempt: 1 });
  expect(
    env.journal
      .of(key)
      .filter((e) => e.event === 'start')
      .map((e) => e.attempt),
  ).toEqual([1, 2, 3]);

  const key2 = uniqueName('nonretry');
  const h = await env.start(
    plan([
      step('y', 'test.fail-times', {
        with: { key: key2, times: 5, type: 'FATAL' },
        retry: { ...retry, nonRetryableErrorTypes: ['FATAL'] },
        onFailure: 'continue',
      }),
    ]),
  );
  expect((await h.result()).steps[0].error?.type).toBe('FATAL');
  expect(order(key2)).toHaveLength(1);
});

// Quarantined once: in a full run 'a' showed 'running' for 30 s and the run never reached 'long'. Cause, from the
// history of the same stall reproduced after a lab Temporal restart (crash.test.ts restarts it mid-suite): the server
// handed an activity attempt to the worker's poller, the attempt never reached the activity code, and only its 30 s
// StartToClose timeout freed it; with the rehearsal default of one attempt, 'a' then failed. Not an engine fault, so
// these steps get what real plans have: a short attempt timeout and retries (test.record is idempotent).
const lostDispatchSafe = {
  retry: {
    maxAttempts: 3,
    initialIntervalMs: 100,
    backoffCoefficient: 1,
    maxIntervalMs: 100,
    nonRetryableErrorTypes: [],
  },
  timeouts: { startToCloseMs: 10_000 },
};
test('cancelling the run rolls back what completed, in reverse order, and ends cancelled', async () => {
  const key = uniqueName('cancel');
  const h = await env.start(
    plan(
      [
        step('a', 'test.record', { with: { key }, ...lostDispatchSafe }),
        step('b', 'test.record', { with: { key }, needs: ['a'], ...lostDispatchSafe }),
        step('long', 'test.sleep', {
          with: { key, ms: 30_000 },
          needs: ['b'],
          timeouts: { startToCloseMs: 60_000, heartbeatMs: 2000 },
        }),
      ],
      {
        rollback: [
          step('undo-a', 'test.record', { with: { key }, needs: ['a'], ...lostDispatchSafe }),
          step('undo-b', 'test.record', { with: { key }, needs: ['b'], ...lostDispatchSafe }),
        ],
      },
    ),
  );
  await waitForStep(h, 'long', 'running', 90_000);
  await h.cancel();
  const err = await h.result().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(WorkflowFailedError);
  expect((err as WorkflowFailedError).cause).toBeInstanceOf(CancelledFailure);
  expect(order(key)).toEqual(['a', 'b', 'long', 'undo-b', 'undo-a']);
  expect(env.journal.of(key).some((e) => e.stepId === 'long' && e.event === 'cancel')).toBe(true);
  const s = (await h.query('status')) as import('../../workflows/types').RunStatus;
  expect(s.phase).toBe('cancelled');
  expect(s.outcome).toBe('cancelled');
  expect(states(s)).toEqual({ a: 'rolled-back', b: 'rolled-back', long: 'failed' });
});

test('pause holds new steps; resume lets them start', async () => {
  const key = uniqueName('pause');
  const h = await env.start(
    plan([step('a', 'test.sleep', { with: { key, ms: 600 } }), step('b', 'test.ok', { with: { key }, needs: ['a'] })]),
  );
  await waitForStep(h, 'a', 'running');
  expect(await h.executeUpdate(pauseUpdate, { args: ['alice', 'hold on'] })).toBe('paused');
  await waitForStep(h, 'a', 'succeeded');
  await new Promise((r) => setTimeout(r, 1000));
  const held = await waitForStatus(h, () => true);
  expect(held.phase).toBe('paused');
  expect(states(held).b).toBe('pending');
  const refused = await h.executeUpdate(pauseUpdate, { args: ['alice', ''] }).catch((e: unknown) => e);
  expect(((refused as WorkflowUpdateFailedError).cause as ApplicationFailure).type).toBe('ALREADY_PAUSED');
  await h.executeUpdate(resumeUpdate, { args: ['alice', 'go'] });
  const r = await h.result();
  expect(r.phase).toBe('succeeded');
  expect(r.operatorLog.map((e) => e.action)).toEqual(['pause', 'resume']);
});

test('a second run on the same cluster is refused with a message naming the running one', async () => {
  const key = uniqueName('dup');
  const p = plan([
    step('long', 'test.sleep', { with: { key, ms: 30_000 }, timeouts: { startToCloseMs: 60_000, heartbeatMs: 2000 } }),
  ]);
  const h = await env.start(p);
  try {
    await waitForStep(h, 'long', 'running');
    const err = await startRun(env.client, {
      plan: p,
      params: {},
      taskQueue: env.taskQueue,
      options: { mode: 'recovery', dryRun: false, initiator: 'bob' },
    }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(RunAlreadyRunningError);
    const msg = (err as Error).message;
    expect(msg).toContain(h.workflowId);
    expect(msg).toContain(`cluster '${String(p.inventory.cluster)}' already has a run in progress`);
    expect(msg).toContain('phase running');
  } finally {
    await h.cancel();
    await h.result().catch(() => undefined);
  }
});
