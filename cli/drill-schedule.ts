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
import { paramsOf, parse } from './client/args';
import { planFrom } from './client/compile';
import { withClient } from '../client/connection';

const SCHEDULE_USAGE = 'rekindle drill schedule (--cron EXPR | --every DURATION) RUNBOOK [--param k=v]... [--id ID] [--json]';

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
      args: [plan, resolveParams(plan, params), { mode: 'drill', dryRun: false, initiator: `schedule:${scheduleId}`, autoApprove: true }],
      typedSearchAttributes: new TypedSearchAttributes(runSearchAttributes(plan, cluster, 'drill', 'running')),
      memo: runMemo(plan),
    },
    policies: { overlap: ScheduleOverlapPolicy.SKIP, catchupWindow: '1 minute' },
    state: { note: `drill of ${plan.runbook.name} (${plan.runbook.sha256.slice(0, 12)}) on ${cluster}` },
  });
  return scheduleId;
}

async function create(client: Client, taskQueue: string, argv: string[]): Promise<number> {
  const { values, positionals } = parse(
    argv,
    { cron: { type: 'string' }, every: { type: 'string' }, param: { type: 'string', multiple: true }, id: { type: 'string' }, json: { type: 'boolean' } },
    { min: 1, max: 1, usage: SCHEDULE_USAGE },
  );
  if (!values.cron === !values.every) throw new CliError(`give exactly one of --cron or --every; usage: ${SCHEDULE_USAGE}`, 2);
  let every: number | undefined;
  try {
    every = values.every ? parseDuration(values.every as string) : undefined;
  } catch {
    every = undefined;
  }
  if (values.every && (every === undefined || every <= 0)) throw new CliError(`--every takes a duration like 30m, 1h or 1d, not '${values.every}'`, 2);
  const params = paramsOf(values.param as string[] | undefined);
  const plan = planFrom(positionals[0], params, 'drill');
  const spec = values.cron ? { cronExpressions: [values.cron as string] } : { intervals: [{ every: every! }] };
  const scheduleId = await createDrillSchedule(client, { taskQueue, plan, params, spec, scheduleId: values.id as string | undefined });
  console.log(values.json ? JSON.stringify({ scheduleId }) : `scheduled ${scheduleId}: ${values.cron ? `cron ${values.cron}` : `every ${values.every}`}`);
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
    schedules.push({ scheduleId: s.scheduleId, paused: d.state.paused, note: d.state.note ?? '', nextActionTimes: d.info.nextActionTimes.map((t) => t.toISOString()), reports });
  }
  if (json) console.log(JSON.stringify({ schedules }, null, 2));
  else if (!schedules.length) console.log('no scheduled drills');
  for (const s of json ? [] : schedules) {
    console.log(`${s.scheduleId}${s.paused ? ' (paused)' : ''}: ${s.note}; next ${s.nextActionTimes[0] ?? '-'}`);
    for (const r of s.reports) {
      console.log(`  ${r.scheduledWorkflowId}: ${r.skipped ? `skipped (${r.reason})` : `${r.phase}, RTO ${((r.rtoMs ?? 0) / 1000).toFixed(1)} s`}`);
    }
  }
  return 0;
}

/** Runs one `drill <sub>` schedule command. @throws CliError with the fix for a missing schedule. */
export async function scheduleCommand(sub: string, argv: string[]): Promise<number> {
  return withClient(async ({ client, config }) => {
    if (sub === 'schedule') return create(client, config.taskQueue, argv);
    if (sub === 'list') return list(client, argv.includes('--json'));
    const { positionals } = parse(argv, { json: { type: 'boolean' } }, { min: 1, max: 1, usage: `rekindle drill ${sub} SCHEDULE_ID` });
    const handle = client.schedule.getHandle(positionals[0]);
    try {
      if (sub === 'pause') await handle.pause('paused from the rekindle CLI');
      else if (sub === 'unpause') await handle.unpause('unpaused from the rekindle CLI');
      else if (sub === 'trigger') await handle.trigger();
      else if (sub === 'delete') await handle.delete();
    } catch (err) {
      if (err instanceof ScheduleNotFoundError) throw new CliError(`no schedule '${positionals[0]}'; see 'rekindle drill list'`);
      throw err;
    }
    console.log(`${sub}${sub.endsWith('e') ? 'd' : 'ed'} ${positionals[0]}`);
    return 0;
  });
}
