/**
 * Scheduled drills on the lab's Temporal: a Schedule starts the launcher, which runs the drill under
 * the cluster's own workflow id (gates auto-approved as policy), keeps its report as its result, and
 * skips, saying why, while another run holds the cluster.
 */
import type { Client, ScheduleHandle } from '@temporalio/client';
import { ScheduleOverlapPolicy } from '@temporalio/client';
import { createDrillSchedule } from '../../cli/drill-schedule';
import { workflowIdFor } from '../../workflows/run-id';
import type { ScheduledDrillReport } from '../../workflows/scheduled-drill';
import { uniqueName } from '../support/lab';
import type { Rehearsal } from '../support/rehearsal-env';
import { startRehearsal } from '../support/rehearsal-env';
import { gate, plan, step } from '../support/rehearsal-plan';
import { waitForStep } from '../support/rehearsal-wait';

jest.setTimeout(120_000);

let env: Rehearsal;
const schedules: ScheduleHandle[] = [];

beforeAll(async () => {
  env = await startRehearsal('sched-drill');
});

afterAll(async () => {
  for (const s of schedules) await s.delete().catch(() => undefined);
  await env.close();
});

const drillPlan = (cluster: string) =>
  plan(
    [
      step('check'),
      gate('go', { approvers: ['oncall-lead'] }, { needs: ['check'] }),
      step('restore', 'test.ok', { needs: ['go'] }),
    ],
    {
      inventory: { cluster },
    },
  );

/** Triggers the schedule once and resolves to the launcher's report. */
async function triggerAndWait(client: Client, handle: ScheduleHandle): Promise<ScheduledDrillReport> {
  const before = (await handle.describe()).info.recentActions.length;
  await handle.trigger(ScheduleOverlapPolicy.ALLOW_ALL);
  const deadline = Date.now() + 60_000;
  for (;;) {
    const actions = (await handle.describe()).info.recentActions;
    if (actions.length > before) {
      const wf = actions[actions.length - 1].action.workflow;
      return (await client.workflow.getHandle(wf.workflowId, wf.firstExecutionRunId).result()) as ScheduledDrillReport;
    }
    if (Date.now() > deadline) throw new Error('the schedule did not start the drill within 60 s');
    await new Promise((r) => setTimeout(r, 250));
  }
}

it('runs the drill under the cluster id, auto-approving gates as policy, and keeps its report', async () => {
  const cluster = uniqueName('sched');
  const p = drillPlan(cluster);
  const id = await createDrillSchedule(env.client, {
    taskQueue: env.taskQueue,
    plan: p,
    params: {},
    spec: { intervals: [{ every: '1 day' }] },
    scheduleId: uniqueName('drill-schedule'),
  });
  const handle = env.client.schedule.getHandle(id);
  schedules.push(handle);
  const desc = await handle.describe();
  expect(desc.policies.overlap).toBe(ScheduleOverlapPolicy.SKIP);

  const report = await triggerAndWait(env.client, handle);
  expect(report).toMatchObject({
    skipped: false,
    cluster,
    childWorkflowId: workflowIdFor(cluster),
    phase: 'succeeded',
  });
  expect(report.scheduledWorkflowId).not.toBe(workflowIdFor(cluster));
  expect(report.steps?.map((s) => [s.id, s.state])).toEqual([
    ['check', 'succeeded'],
    ['go', 'succeeded'],
    ['restore', 'succeeded'],
  ]);
  expect(report.approvals).toEqual([expect.objectContaining({ gate: 'go', policy: true })]);
});

it('skips, and says why, while another run holds the cluster', async () => {
  const cluster = uniqueName('sched-busy');
  const holding = await env.start(drillPlan(cluster));
  await waitForStep(holding, 'go', 'waiting-approval');
  const id = await createDrillSchedule(env.client, {
    taskQueue: env.taskQueue,
    plan: drillPlan(cluster),
    params: {},
    spec: { intervals: [{ every: '1 day' }] },
    scheduleId: uniqueName('drill-schedule'),
  });
  const handle = env.client.schedule.getHandle(id);
  schedules.push(handle);
  try {
    const report = await triggerAndWait(env.client, handle);
    expect(report.skipped).toBe(true);
    expect(report.reason).toContain(workflowIdFor(cluster));
    expect(report.steps).toBeUndefined();
  } finally {
    await holding.terminate('test over');
  }
});
