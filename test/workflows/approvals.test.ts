/**
 * Rehearsals of approval gates: evidence, accept, reject, every validator refusal, M-of-N, timeout
 * policies, and drill-mode auto-approval recorded as a policy decision.
 */
import { WorkflowFailedError, WorkflowUpdateFailedError } from '@temporalio/client';
import type { WorkflowHandle } from '@temporalio/client';
import type { ApplicationFailure } from '@temporalio/common';
import { approveUpdate, decideUpdate } from '../../workflows/messages';
import type { RunStatus } from '../../workflows/types';
import { uniqueName } from '../support/lab';
import { startRehearsal } from '../support/rehearsal-env';
import type { Rehearsal } from '../support/rehearsal-env';
import { gate, plan, step, tpl } from '../support/rehearsal-plan';
import { states, waitForStatus, waitForStep } from '../support/rehearsal-wait';

let env: Rehearsal;
beforeAll(async () => {
  env = await startRehearsal('gates');
});
afterAll(async () => {
  await env?.close();
});

function gatedPlan(key: string, approval: Parameters<typeof gate>[1] = {}, over: Parameters<typeof plan>[1] = {}) {
  return plan(
    [
      step('assess', 'test.ok', { with: { key, outputs: { summary: '3 brokers, 2 damaged' } } }),
      gate(
        'approve-restore',
        {
          summary: tpl('Restore from ', ['params.backupSet'], ' (', ['steps.assess.outputs.summary'], ')'),
          ...approval,
        },
        { needs: ['assess'] },
      ),
      step('restore', 'test.record', { with: { key }, needs: ['approve-restore'] }),
    ],
    { parameters: { backupSet: { type: 'string', default: 'latest', required: false } }, ...over },
  );
}

async function refusal(p: Promise<unknown>): Promise<string> {
  const err = await p.then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(WorkflowUpdateFailedError);
  return ((err as WorkflowUpdateFailedError).cause as ApplicationFailure).type ?? 'none';
}

const approve = (h: WorkflowHandle, ...args: [string, 'approve' | 'reject', string, string]) =>
  h.executeUpdate(approveUpdate, { args });

test('an approval accepted: the approver sees evidence from earlier steps, and the verdict is recorded', async () => {
  const key = uniqueName('ok');
  const h = await env.start(gatedPlan(key), { initiator: 'dave' }, { backupSet: 'bs-42' });
  const s = await waitForStep(h, 'approve-restore', 'waiting-approval');
  expect(s.phase).toBe('waiting-approval');
  expect(s.pendingGates).toHaveLength(1);
  expect(s.pendingGates[0].evidence).toBe('Restore from bs-42 (3 brokers, 2 damaged)');
  expect(states(s).restore).toBe('pending');
  const g = await approve(h, 'approve-restore', 'approve', 'alice', 'evidence checked');
  expect(g.state).toBe('approved');
  const r = await h.result();
  expect(r.phase).toBe('succeeded');
  expect(r.gates[0].approvals).toEqual([
    expect.objectContaining({ by: 'alice', decision: 'approve', comment: 'evidence checked', round: 1 }),
  ]);
  expect(r.steps[1].outputs).toMatchObject({
    approvedBy: ['alice'],
    evidence: 'Restore from bs-42 (3 brokers, 2 damaged)',
  });
});

test('an approval rejected: the gate fails and the run stops, rolling back nothing the runbook did not allow for a rejection', async () => {
  const key = uniqueName('rej');
  const p = gatedPlan(key);
  p.rollback = [step('undo-assess', 'test.record', { with: { key }, needs: ['assess'] })];
  const h = await env.start(p);
  await waitForStep(h, 'approve-restore', 'waiting-approval');
  const g = await approve(h, 'approve-restore', 'reject', 'bob', 'backup too old');
  expect(g.state).toBe('rejected');
  const err = await h.result().catch((e: unknown) => e);
  expect(((err as WorkflowFailedError).cause as ApplicationFailure).type).toBe('RUN_ABORTED');
  const s = await waitForStatus(h, () => true);
  expect(s.steps[1].error).toMatchObject({
    type: 'APPROVAL_REJECTED',
    message: expect.stringContaining('bob: backup too old'),
  });
  // undo-assess runs on the default outcomes (cancelled, aborted, failed), so the human's no undoes nothing.
  expect(s.outcome).toBe('rejected');
  expect(states(s)).toEqual({ assess: 'succeeded', 'approve-restore': 'failed', restore: 'pending' });
  expect(s.rollback.map((r) => [r.id, r.state, r.skipReason])).toEqual([['undo-assess', 'skipped', 'outcome']]);
  expect(
    env.journal
      .of(key)
      .filter((e) => e.event === 'start')
      .map((e) => e.stepId),
  ).toEqual(['assess']);
});

test('every validator refusal, and refusals leave the gate open and are listed in status', async () => {
  const key = uniqueName('val');
  const p = gatedPlan(key, {
    approvers: ['alice', 'bob', 'dave'],
    minApprovals: 2,
    requireComment: true,
    initiatorMayApprove: false,
  });
  p.steps.push(gate('later-gate', { approvers: ['alice'] }, { needs: ['restore'] }));
  const h = await env.start(p, { initiator: 'dave' });
  await waitForStep(h, 'approve-restore', 'waiting-approval');
  const cases: Array<[string, [string, 'approve' | 'reject', string, string], string]> = [
    ['unknown gate', ['no-such-gate', 'approve', 'alice', 'ok'], 'GATE_UNKNOWN'],
    ['a step that is not a gate', ['assess', 'approve', 'alice', 'ok'], 'GATE_UNKNOWN'],
    ['a gate not open yet', ['later-gate', 'approve', 'alice', 'ok'], 'GATE_NOT_OPEN'],
    ['approver not in the list', ['approve-restore', 'approve', 'mallory', 'ok'], 'APPROVER_NOT_ALLOWED'],
    [
      'the initiator when the policy forbids it',
      ['approve-restore', 'approve', 'dave', 'ok'],
      'INITIATOR_MAY_NOT_APPROVE',
    ],
    ['no comment when one is required', ['approve-restore', 'approve', 'alice', '  '], 'COMMENT_REQUIRED'],
    ['no approver name', ['approve-restore', 'approve', '', 'ok'], 'INVALID_ARGUMENT'],
    [
      'a verdict that is not approve/reject',
      ['approve-restore', 'maybe' as 'approve', 'alice', 'ok'],
      'INVALID_ARGUMENT',
    ],
  ];
  for (const [what, args, code] of cases) {
    expect([what, await refusal(approve(h, ...args))]).toEqual([what, code]);
  }
  await approve(h, 'approve-restore', 'approve', 'alice', 'first');
  expect(await refusal(approve(h, 'approve-restore', 'approve', 'alice', 'again'))).toBe('APPROVER_ALREADY_VOTED');
  await approve(h, 'approve-restore', 'approve', 'bob', 'second');
  expect(await refusal(approve(h, 'approve-restore', 'approve', 'alice', 'late'))).toMatch(
    /GATE_ALREADY_DECIDED|GATE_NOT_OPEN/,
  );
  await waitForStep(h, 'later-gate', 'waiting-approval');
  expect(await refusal(approve(h, 'approve-restore', 'reject', 'bob', 'late'))).toBe('GATE_ALREADY_DECIDED');
  expect(await refusal(h.executeUpdate(decideUpdate, { args: ['assess', 'retry', 'alice', ''] }))).toBe(
    'STEP_NOT_AWAITING_DECISION',
  );
  expect(await refusal(h.executeUpdate(decideUpdate, { args: ['nope', 'retry', 'alice', ''] }))).toBe('STEP_UNKNOWN');
  const s = await waitForStatus(h, () => true);
  expect(s.refusals.map((r) => r.code)).toEqual([
    ...cases.map((c) => c[2]),
    'APPROVER_ALREADY_VOTED',
    expect.any(String),
    'GATE_ALREADY_DECIDED',
    'STEP_NOT_AWAITING_DECISION',
    'STEP_UNKNOWN',
  ]);
  await approve(h, 'later-gate', 'approve', 'alice', '');
  expect((await h.result()).phase).toBe('succeeded');
});

test('M of N: the gate opens only when minApprovals distinct approvers approved', async () => {
  const key = uniqueName('mofn');
  const h = await env.start(gatedPlan(key, { approvers: ['alice', 'bob', 'carol'], minApprovals: 2 }));
  await waitForStep(h, 'approve-restore', 'waiting-approval');
  expect((await approve(h, 'approve-restore', 'approve', 'alice', '')).state).toBe('waiting');
  await new Promise((r) => setTimeout(r, 500));
  expect(states(await waitForStatus(h, () => true)).restore).toBe('pending');
  expect((await approve(h, 'approve-restore', 'approve', 'carol', '')).state).toBe('approved');
  const r = await h.result();
  expect(r.gates[0].approvals.map((a) => a.by)).toEqual(['alice', 'carol']);
  expect(r.steps[1].outputs).toMatchObject({ approvedBy: ['alice', 'carol'] });
});

describe('approval timeout under each policy', () => {
  test('fail: the gate step fails and follows onFailure (pause → operator retry reopens the gate)', async () => {
    const key = uniqueName('to-fail');
    const h = await env.start(gatedPlan(key, { timeoutMs: 800, onTimeout: 'fail' }));
    const s = await waitForStep(h, 'approve-restore', 'failed-awaiting-decision');
    expect(s.steps[1].error?.type).toBe('APPROVAL_TIMEOUT');
    expect(s.gates[0].state).toBe('timed-out');
    await h.executeUpdate(decideUpdate, { args: ['approve-restore', 'retry', 'alice', 'reopen'] });
    await waitForStep(h, 'approve-restore', 'waiting-approval');
    await approve(h, 'approve-restore', 'approve', 'bob', '');
    const r = await h.result();
    expect(r.phase).toBe('succeeded');
    expect(r.gates[0]).toMatchObject({ state: 'approved', round: 2 });
  });

  test('abort: the run aborts and rolls back', async () => {
    const key = uniqueName('to-abort');
    const p = gatedPlan(key, { timeoutMs: 500, onTimeout: 'abort' });
    p.rollback = [step('undo', 'test.record', { with: { key }, needs: ['assess'] })];
    const h = await env.start(p);
    const err = await h.result().catch((e: unknown) => e);
    expect(((err as WorkflowFailedError).cause as ApplicationFailure).message).toContain('APPROVAL_TIMEOUT');
    expect(env.journal.of(key).map((e) => `${e.stepId}:${e.event}`)).toEqual([
      'assess:start',
      'assess:end',
      'undo:start',
      'undo:end',
    ]);
  });

  test('approve in drill mode: approved by policy, and recorded as such', async () => {
    const key = uniqueName('to-approve');
    const r = await (
      await env.start(gatedPlan(key, { timeoutMs: 500, onTimeout: 'approve' }), { mode: 'drill' })
    ).result();
    expect(r.phase).toBe('succeeded');
    expect(r.gates[0].approvals).toEqual([
      expect.objectContaining({ by: 'policy:timeout', decision: 'approve', policy: true }),
    ]);
  });

  test('approve in recovery mode is not honoured: the gate fails instead', async () => {
    const key = uniqueName('to-approve-rec');
    const h = await env.start(gatedPlan(key, { timeoutMs: 500, onTimeout: 'approve' }, {}), { mode: 'recovery' });
    const s = await waitForStep(h, 'approve-restore', 'failed-awaiting-decision');
    expect(s.steps[1].error?.type).toBe('APPROVAL_TIMEOUT');
    await h.executeUpdate(decideUpdate, { args: ['approve-restore', 'abort', 'alice', 'stop'] });
    await expect(h.result()).rejects.toBeInstanceOf(WorkflowFailedError);
  });
});

test('drill mode with autoApprove: gates approve themselves, recorded as a policy decision', async () => {
  const key = uniqueName('auto');
  const r: RunStatus = await (await env.start(gatedPlan(key), { mode: 'drill', autoApprove: true })).result();
  expect(r.phase).toBe('succeeded');
  expect(r.gates[0].approvals).toEqual([expect.objectContaining({ by: 'policy:drill-auto-approve', policy: true })]);
  // In recovery mode the same option is ignored: the gate waits for people.
  const h = await env.start(gatedPlan(uniqueName('auto-rec')), { mode: 'recovery', autoApprove: true });
  await waitForStep(h, 'approve-restore', 'waiting-approval');
  await h.cancel();
  await h.result().catch(() => undefined);
});
