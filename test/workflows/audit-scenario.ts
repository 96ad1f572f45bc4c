/**
 * The audited scenario shared by the audit tests: a real run on the lab's Temporal with two approvals
 * (alice, then bob), one failed-then-retried step (operator `retry` by carol), and one rollback
 * (the final check aborts the run, so `isolate` is undone by `unisolate`).
 */
import type { WorkflowHandle } from '@temporalio/client';
import { approveUpdate, decideUpdate } from '../../workflows/messages';
import { uniqueName } from '../support/lab';
import type { Rehearsal } from '../support/rehearsal-env';
import { gate, plan, step, tpl } from '../support/rehearsal-plan';
import { waitForStep } from '../support/rehearsal-wait';

export interface Scenario {
  handle: WorkflowHandle;
  key: string;
  params: Record<string, unknown>;
  comments: { first: string; second: string; retry: string };
}

/** Starts the scenario and drives it to its end (the run fails with RUN_ABORTED after rollback). */
export async function runScenario(env: Rehearsal, start: Rehearsal['start'] = env.start): Promise<Scenario> {
  const key = uniqueName('audit');
  const params = { backupSet: `bs-${key}`, ticket: `INC-${key}` };
  const comments = {
    first: `scope confirmed ${key}`,
    second: `restore looks right ${key}`,
    retry: `transient ${key}, retrying`,
  };
  const p = plan(
    [
      step('assess', 'test.ok', {
        with: { key, outputs: { summary: `3 brokers, 2 damaged ${key}`, stdout: `line1\nscope ${key}\n` } },
      }),
      gate(
        'approve-isolate',
        {
          approvers: ['alice', 'bob'],
          summary: tpl('Isolate for ', ['params.backupSet'], ': ', ['steps.assess.outputs.summary']),
        },
        { needs: ['assess'] },
      ),
      step('isolate', 'test.record', { with: { key, host: 'kafka-1' }, needs: ['approve-isolate'] }),
      step('restore', 'test.fail-times', {
        with: { key, times: 1, nonRetryable: true, type: 'ZK_NO_NODE' },
        needs: ['isolate'],
      }),
      gate(
        'approve-reintroduce',
        { approvers: ['alice', 'bob'], summary: tpl('Reintroduce after restore of ', ['params.backupSet']) },
        { needs: ['restore'] },
      ),
      step('final-check', 'test.fail', {
        with: { key, nonRetryable: true, type: 'KAFKA_UNHEALTHY' },
        needs: ['approve-reintroduce'],
        onFailure: 'abort',
      }),
    ],
    {
      runbook: {
        name: 'audit-scenario',
        title: 'Audit scenario',
        sha256: 'a'.repeat(64),
        source: 'runbooks/audit-scenario.yaml',
      },
      parameters: {
        backupSet: { type: 'string', required: true, description: 'backup set to restore' },
        ticket: { type: 'string', required: true },
      },
      rollback: [step('unisolate', 'test.record', { with: { key, host: 'kafka-1' }, needs: ['isolate'] })],
    },
  );
  const handle = await start(p, { initiator: 'dave' }, params);
  await waitForStep(handle, 'approve-isolate', 'waiting-approval');
  await handle.executeUpdate(approveUpdate, { args: ['approve-isolate', 'approve', 'alice', comments.first] });
  await waitForStep(handle, 'restore', 'failed-awaiting-decision');
  await handle.executeUpdate(decideUpdate, { args: ['restore', 'retry', 'carol', comments.retry] });
  await waitForStep(handle, 'approve-reintroduce', 'waiting-approval');
  await handle.executeUpdate(approveUpdate, { args: ['approve-reintroduce', 'approve', 'bob', comments.second] });
  await handle.result().catch(() => undefined);
  return { handle, key, params, comments };
}
