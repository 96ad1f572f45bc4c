/**
 * Rollback by outcome, on a real Worker and the lab's Temporal server: a rejected gate runs only the
 * rollback steps that name `rejected`, and the shipped zk-kafka-cyber-recovery plan (its real steps,
 * gates, `when:` conditions and rollback, with scripted `test.record` actions in place of the cluster
 * actions) leaves client traffic cut when the reopen gate is rejected, and reopens it when the run is
 * cancelled before any broker was stopped. The last test keeps the real host.isolate / host.unisolate
 * actions on the lab's brokers and checks the client ports themselves.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { WorkflowFailedError } from '@temporalio/client';
import type { WorkflowHandle } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { rollbackOutcomes } from '../../compiler/expr';
import type { Plan, PlanStep } from '../../compiler/plan';
import { approveUpdate } from '../../workflows/messages';
import type { RunStatus } from '../../workflows/types';
import { compileRunbook } from '../../compiler';
import { createActionImpls, createResources } from '../../activities';
import { detachedContext } from '../../activities/errors';
import { compileFixture, ROOT } from '../unit/compiler/golden';
import { labInventory, uniqueName } from '../support/lab';
import { accepts } from '../support/port';
import { request } from '../support/ssh';
import { startRehearsal } from '../support/rehearsal-env';
import type { Rehearsal } from '../support/rehearsal-env';
import { expr, gate, plan, step } from '../support/rehearsal-plan';
import { waitForStatus, waitForStep } from '../support/rehearsal-wait';

let env: Rehearsal;
beforeAll(async () => {
  env = await startRehearsal('outcomes');
});
afterAll(async () => {
  await env?.close();
});

const started = (key: string) =>
  env.journal
    .of(key)
    .filter((e) => e.event === 'start')
    .map((e) => e.stepId);
const rollbackStates = (s: RunStatus) => Object.fromEntries(s.rollback.map((r) => [r.id, r.state]));
const statusOf = async (h: WorkflowHandle) => (await h.query('status')) as RunStatus;

async function failureType(h: WorkflowHandle): Promise<string | undefined> {
  const err = await h.result().catch((e: unknown) => e);
  expect(err).toBeInstanceOf(WorkflowFailedError);
  return ((err as WorkflowFailedError).cause as ApplicationFailure).type ?? undefined;
}

test('a rejected gate runs only the rollback steps that name rejected; the others are skipped, saying why', async () => {
  const key = uniqueName('reject');
  const allowsRejected = expr("run.outcome == 'rejected' || run.outcome == 'aborted'");
  const h = await env.start(
    plan(
      [
        step('isolate', 'test.record', { with: { key } }),
        gate('approve', {}, { needs: ['isolate'] }),
        step('restore', 'test.record', { with: { key }, needs: ['approve'] }),
      ],
      {
        rollback: [
          step('unisolate', 'test.record', {
            with: { key },
            needs: ['isolate'],
            outcomes: rollbackOutcomes(undefined),
          }),
          step('notify', 'test.record', {
            with: { key },
            needs: ['isolate'],
            when: allowsRejected,
            outcomes: rollbackOutcomes(allowsRejected.$expr),
          }),
        ],
      },
    ),
  );
  await waitForStep(h, 'approve', 'waiting-approval');
  await h.executeUpdate(approveUpdate, { args: ['approve', 'reject', 'bob', 'not now'] });
  expect(await failureType(h)).toBe('RUN_ABORTED');
  expect(started(key)).toEqual(['isolate', 'notify']);
  const s = await statusOf(h);
  expect(s.outcome).toBe('rejected');
  expect(rollbackStates(s)).toEqual({ unisolate: 'skipped', notify: 'succeeded' });
  const skipped = s.rollback.find((r) => r.id === 'unisolate')!;
  expect(skipped.skipReason).toBe('outcome');
  expect(skipped.summary).toContain('the run ended rejected');
  expect(s.steps.find((r) => r.id === 'isolate')!.state).toBe('rolled-back');
});

const RUNBOOK = join(ROOT, 'runbooks/zk-kafka-cyber-recovery.yaml');

/**
 * The shipped plan with every cluster action replaced by `test.record` keyed to this test, except the
 * actions in `real` (compiled against the lab's inventory when there are any).
 */
function recoveryPlan(key: string, real: string[] = []): Plan {
  const compiled = real.length
    ? compileRunbook({ file: RUNBOOK, text: readFileSync(RUNBOOK, 'utf8'), inventory: labInventory() }).plan
    : compileFixture(RUNBOOK).plan;
  if (!compiled) throw new Error('zk-kafka-cyber-recovery.yaml does not compile');
  const scripted = (s: PlanStep): PlanStep =>
    s.kind === 'approval' || real.includes(s.action)
      ? s
      : { ...s, action: 'test.record', with: { key }, retry: { ...s.retry, maxAttempts: 1 } };
  return {
    ...compiled,
    // A cluster of its own, so each run has its own workflow id (one run per cluster).
    inventory: { ...compiled.inventory, cluster: key },
    steps: compiled.steps.map(scripted),
    rollback: compiled.rollback.map(scripted),
  };
}

/** The runbook's parameter defaults, as `rekindle run` passes them. */
const DEFAULTS = {
  cluster: 'lab',
  backupSet: 'latest',
  maxSkew: '5m',
  groups: 'orders-consumer',
  resetTo: 'backup-time',
};

async function decide(h: WorkflowHandle, gateId: string, verdict: 'approve' | 'reject', by: string): Promise<void> {
  await waitForStep(h, gateId, 'waiting-approval', 90_000);
  await h.executeUpdate(approveUpdate, { args: [gateId, verdict, by, `${verdict} in the rollback rehearsal`] });
}

/** Approves the restore and the offsets, then rejects "Reopen client traffic?": the run ends aborted. */
async function rejectReopen(h: WorkflowHandle): Promise<void> {
  await decide(h, 'approve-restore', 'approve', 'oncall-lead');
  await decide(h, 'approve-offsets', 'approve', 'app-owner');
  await decide(h, 'approve-reintroduce', 'reject', 'sre-manager');
  expect(await failureType(h)).toBe('RUN_ABORTED');
}

test('zk-kafka-cyber-recovery: rejecting "Reopen client traffic?" leaves client traffic cut', async () => {
  const key = uniqueName('reopen');
  const h = await env.start(recoveryPlan(key), { initiator: 'tester' }, DEFAULTS);
  await rejectReopen(h);
  const s = await statusOf(h);
  expect(s.outcome).toBe('rejected');
  // isolate ran and was never undone; the reopening steps never started.
  expect(s.steps.find((r) => r.id === 'isolate')!.state).toBe('succeeded');
  expect(s.steps.find((r) => r.id === 'unisolate')!.state).toBe('pending');
  expect(rollbackStates(s)).toEqual({ 'rollback-unisolate': 'skipped' });
  expect(started(key)).toContain('isolate');
  expect(started(key)).not.toContain('rollback-unisolate');
  expect(started(key)).not.toContain('unisolate');
}, 180_000);

test('zk-kafka-cyber-recovery: cancelling before the restore began reopens client traffic; after it began, it stays cut', async () => {
  const early = uniqueName('early');
  const h1 = await env.start(recoveryPlan(early), { initiator: 'tester' }, DEFAULTS);
  await waitForStep(h1, 'approve-restore', 'waiting-approval', 90_000);
  await h1.cancel();
  await h1.result().catch(() => undefined);
  const s1 = await waitForStatus(h1, (s) => s.phase === 'cancelled');
  expect(s1.outcome).toBe('cancelled');
  expect(rollbackStates(s1)).toEqual({ 'rollback-unisolate': 'succeeded' });
  expect(s1.steps.find((r) => r.id === 'isolate')!.state).toBe('rolled-back');

  const late = uniqueName('late');
  const h2 = await env.start(recoveryPlan(late), { initiator: 'tester' }, DEFAULTS);
  await decide(h2, 'approve-restore', 'approve', 'oncall-lead');
  await waitForStep(h2, 'approve-offsets', 'waiting-approval', 90_000);
  await h2.cancel();
  await h2.result().catch(() => undefined);
  const s2 = await waitForStatus(h2, (s) => s.phase === 'cancelled');
  expect(rollbackStates(s2)).toEqual({ 'rollback-unisolate': 'skipped' });
  expect(s2.rollback[0].summary).toContain('stop-brokers');
  expect(started(late)).not.toContain('rollback-unisolate');
}, 240_000);

test('zk-kafka-cyber-recovery with real isolation on the lab: rejecting the reopen gate leaves every client port closed', async () => {
  const key = uniqueName('real');
  const brokers = labInventory().kafka.brokers;
  const resources = createResources({});
  const hands = createActionImpls({}, resources);
  try {
    for (const b of brokers) expect([b.id, await accepts(b.port)]).toEqual([b.id, true]);
    const h = await env.start(recoveryPlan(key, ['host.isolate', 'host.unisolate']), { initiator: 'tester' }, DEFAULTS);
    await rejectReopen(h);
    const s = await statusOf(h);
    expect(s.outcome).toBe('rejected');
    expect(s.steps.find((r) => r.id === 'isolate')).toMatchObject({ state: 'succeeded', changed: true });
    expect(rollbackStates(s)).toEqual({ 'rollback-unisolate': 'skipped' });
    // Client traffic is still cut; the brokers' other listeners are untouched.
    for (const b of brokers) expect([b.id, await accepts(b.port)]).toEqual([b.id, false]);
  } finally {
    for (const b of brokers) await hands['host.unisolate'](request(labInventory(), {}, { item: b }), detachedContext());
    await resources.sshPool.close();
    await resources.zkPool.close();
    await resources.kafkaPool.close();
  }
  for (const b of brokers) expect([b.id, await accepts(b.port)]).toEqual([b.id, true]);
}, 240_000);
