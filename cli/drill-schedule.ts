/**
 * Scheduled drills on Temporal Schedules: `drill schedule|list|pause|unpause|trigger|delete`.
 * The schedule starts the `scheduledDrill` launcher (workflows/scheduled-drill.ts), which takes the
 * cluster's lock by running the drill under the cluster's workflow id, so a drill never runs beside a
 * recovery. Overlap policy SKIP: a drill due while the previous one runs is skipped.
 */
import { ScheduleNotFoundError, ScheduleOverlapPolicy } from '@temporalio/client';
import type { Client, ScheduleSpec } from '@temporalio/client';
import type { Plan } from '../compiler/plan';
import { TypedSearchAttributes } from '@temporalio/common';
import { parseDuration } from '../compiler/duration';
import { resolveParams } from '../compiler/params';
import { clusterOf, runMemo, runSearchAttributes } from '../workflows/search-attributes';
import type { ScheduledDrillReport } from '../workflows/scheduled-drill';
import { CliError } from './command';
import { DRILL_USAGE } from './commands/drill';
import type { Flags } from './flags';
import { paramsOf, parse } from './client/args';
import { planFrom } from './client/compile';
import { withClient } from '../client/connection';

const SCHEDULE_USAGE = DRILL_USAGE.schedule;

/** The flags of `drill schedule`, one line per flag. */
const SCHEDULE_FLAGS: Flags = {
  cron: { type: 'string' },
  every: { type: 'string' },
  param: { type: 'string', multiple: true },
  id: { type: 'string' },
  json: { type: 'boolean' },
};

/**
 * Creates the Temporal Schedule of a drill: it starts the `scheduledDrill` launcher in drill mode with
 * gates auto-approved (recorded as policy decisions), overlap policy SKIP. Returns the schedule id.
 * @throws ScheduleAlreadyRunning when the id is taken.
 */
export async function createDrillSchedule(
  client: Client,
  opts: { taskQueue: string; plan: Plan; params: Record<string, unknown>; spec: ScheduleSpec; scheduleId?: string },
): Promise<string> {
  const { plan, params } = opts;
  const cluster = clusterOf(plan, params);
  const scheduleId = opts.scheduleId ?? `drill-${plan.runbook.name}-${cluster}`;
  await client.schedule.create({
    scheduleId,
    spec: opts.spec,
    action: {
      type: 'startWorkflow',
      workflowType: 'scheduledDrill',
      workflowId: `rekindle-drill-${cluster}`,
      taskQueue: opts.taskQueue,
      args: [
        plan,
        resolveParams(plan, params),
        { mode: 'drill', dryRun: false, initiator: `schedule:${scheduleId}`, autoApprove: true },
      ],
      typedSearchAttributes: new TypedSearchAttributes(runSearchAttributes(plan, cluster, 'drill', 'running')),
      memo: runMemo(plan),
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
    state: { note: `drill of ${plan.runbook.name} (${plan.runbook.sha256.slice(0, 12)}) on ${cluster}` },
  });
  return scheduleId;
}

interface ScheduleRequest {
  plan: Plan;
  params: Record<string, string>;
  spec: ScheduleSpec;
  scheduleId?: string;
  json: boolean;
  label: string;
}

/** Checks `drill schedule`'s arguments and compiles the runbook, before anything talks to Temporal. */
function scheduleRequest(argv: string[]): ScheduleRequest {
  const { values, positionals } = parse(argv, SCHEDULE_FLAGS, { min: 1, max: 1, usage: SCHEDULE_USAGE });
  if (!values.cron === !values.every)
    throw new CliError(`give exactly one of --cron or --every; usage: ${SCHEDULE_USAGE}`, 2);
  let every: number | undefined;
  try {
    every = values.every ? parseDuration(values.every as string) : undefined;
  } catch {
    every = undefined;
  }
  if (values.every && (every === undefined || every <= 0))
    throw new CliError(`--every takes a duration like 30m, 1h or 1d, not '${values.every}'`, 2);
  const params = paramsOf(values.param as string[] | undefined);
  const plan = planFrom(positionals[0], params, 'drill');
  const spec = values.cron ? { cronExpressions: [values.cron as string] } : { intervals: [{ every: every! }] };
  const label = values.cron ? `cron ${values.cron}` : `every ${values.every}`;
  return { plan, params, spec, json: !!values.json, label, ...(values.id ? { scheduleId: values.id as string } : {}) };
}

async function create(client: Client, taskQueue: string, r: ScheduleRequest): Promise<number> {
  const scheduleId = await createDrillSchedule(client, {
    taskQueue,
    plan: r.plan,
    params: r.params,
    spec: r.spec,
    scheduleId: r.scheduleId,
  });
  console.log(r.json ? JSON.stringify({ scheduleId }) : `scheduled ${scheduleId}: ${r.label}`);
  return 0;
}

async function list(client: Client, json: boolean): Promise<number> {
  const schedules = [];
  for await (const s of client.schedule.list()) {
    const d = await client.schedule.getHandle(s.scheduleId).describe();
    if (d.action.type !== 'startWorkflow' || d.action.workflowType !== 'scheduledDrill') continue;
    const reports: ScheduledDrillReport[] = [];
    for (const a of d.info.recentActions) {
      const handle = client.workflow.getHandle(a.action.workflow.workflowId, a.action.workflow.firstExecutionRunId);
      const desc = await handle.describe();
      if (desc.status.name === 'COMPLETED') reports.push((await handle.result()) as ScheduledDrillReport);
    }
    schedules.push({
      scheduleId: s.scheduleId,
      paused: d.state.paused,
      note: d.state.note ?? '',
      nextActionTimes: d.info.nextActionTimes.map((t) => t.toISOString()),
      reports,
    });
  }
  if (json) console.log(JSON.stringify({ schedules }, null, 2));
  else if (!schedules.length) console.log('no scheduled drills');
  for (const s of json ? [] : schedules) {
    console.log(`${s.scheduleId}${s.paused ? ' (paused)' : ''}: ${s.note}; next ${s.nextActionTimes[0] ?? '-'}`);
    for (const r of s.reports) {
      console.log(
        `  ${r.scheduledWorkflowId}: ${r.skipped ? `skipped (${r.reason})` : `${r.phase}, RTO ${((r.rtoMs ?? 0) / 1000).toFixed(1)} s`}`,
      );
    }
  }
  return 0;
}

/**
 * Runs one `drill <sub>` schedule command. Arguments are checked before connecting to Temporal.
 * @throws CliError (exit 2) on a bad argument; CliError with the fix for a missing schedule.
 */
export async function scheduleCommand(sub: string, argv: string[]): Promise<number> {
  if (sub === 'schedule') {
    const request = scheduleRequest(argv);
    return withClient(({ client, config }) => create(client, config.taskQueue, request));
  }
  if (sub === 'list') {
    const { values } = parse(argv, { json: { type: 'boolean' } }, { min: 0, max: 0, usage: DRILL_USAGE.list });
    return withClient(({ client }) => list(client, !!values.json));
  }
  const id = parse(argv, {}, { min: 1, max: 1, usage: DRILL_USAGE.byId }).positionals[0];
  return withClient(async ({ client }) => {
    const handle = client.schedule.getHandle(id);
    try {
      if (sub === 'pause') await handle.pause('paused from the rekindle CLI');
      else if (sub === 'unpause') await handle.unpause('unpaused from the rekindle CLI');
      else if (sub === 'trigger') await handle.trigger();
      else if (sub === 'delete') await handle.delete();
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) throw new CliError(`no schedule '${id}'; see 'rekindle drill list'`);
      throw err;
    }
    console.log(`${sub}${sub.endsWith('e') ? 'd' : 'ed'} ${id}`);
    return 0;
  });
}
