/**
 * `kafka.offsets-reset`: every mode of `kafka-consumer-groups --reset-offsets`, in two steps a human
 * stands between. The dry run (the default) computes concrete offsets (rows.ts, compute.ts) and returns
 * the before/after table, its text, and the table as a plan (plan.ts) for the execute. The execute takes
 * that plan and applies exactly its rows (apply.ts), refusing when the live offsets moved since; it never
 * recomputes. Commits go out without joining the group (protocol.ts: OffsetCommit with generation -1, as
 * the tool's AdminClient does). Groups that are not Empty or Dead are refused, also in dry-run.
 */
import { readFile } from 'node:fs/promises';
import type { Admin } from 'kafkajs';
import type { ActionRequest } from '../../../compiler/plan';
import { InvalidInputError } from '../../errors';
import type { ActionContext } from '../../errors';
import type { KafkaDeps } from '../deps';
import { KafkaBackupNotFoundError, mapKafkaError } from '../errors';
import type { ActionInputs, ResultOf } from '../../../compiler/actions';
import { kafkaInventory, storePath } from '../inputs';
import { formatResetTable, parseOffsetsCsv } from './compute';
import type { FileRow, ResetRow, ResetSpec } from './compute';
import { groupRows, parseTopicArg } from './rows';
import { durationTimestamp, parseResetDatetime } from './time';
import { resetPreview } from './preview';
import { applyPlan, checkGroupsInactive } from './apply';
import { checkPlanScope, loadPlan, storePlan } from './plan';
import type { OffsetsPlan } from './plan';

/**
 * The spec of the mode. The registry schema already refused a mode without its own input (INPUT_MISSING);
 * `need` only narrows the type and guards callers that bypass the door.
 */
function resetSpec(inp: ActionInputs<'kafka.offsets-reset'>): { spec: ResetSpec; timestamp?: number; file?: string } {
  const need = <T>(v: T | undefined, field: string): T => {
    if (v === undefined) throw new InvalidInputError(`mode '${inp.mode}' needs the input '${field}'`, { field });
    return v;
  };
  const mode = need(inp.mode, 'mode');
  if (mode === 'to-offset') return { spec: { mode, offset: need(inp.offset, 'offset') } };
  if (mode === 'shift-by') return { spec: { mode, shiftBy: need(inp.shiftBy, 'shiftBy') } };
  if (mode === 'to-datetime') return { spec: { mode }, timestamp: parseResetDatetime(need(inp.datetime, 'datetime')) };
  if (mode === 'by-duration')
    return { spec: { mode }, timestamp: durationTimestamp(need(inp.duration, 'duration'), Date.now()) };
  if (mode === 'from-file') return { spec: { mode }, file: need(inp.file, 'file') };
  return { spec: { mode } };
}

async function readRows(request: ActionRequest, deps: KafkaDeps, ref: string): Promise<FileRow[]> {
  const path = storePath(request, ref, deps.backupStore);
  const text = await readFile(path, 'utf8').catch(() => {
    throw new KafkaBackupNotFoundError(path);
  });
  try {
    return parseOffsetsCsv(text);
  } catch (err) {
    throw new InvalidInputError(`offsets file ${path}: ${(err as Error).message}`, { field: 'file' });
  }
}

/** The cluster id, which a plan records and an execute checks. */
async function clusterIdOf(admin: Admin): Promise<string> {
  return (await admin.describeCluster()).clusterId;
}

/** The dry run: computes the table for the mode and stores it as the plan an execute may apply. */
async function dryRunReset(
  deps: KafkaDeps,
  inp: ActionInputs<'kafka.offsets-reset'>,
  request: ActionRequest,
): Promise<ResultOf<'kafka.offsets-reset'>> {
  const kafka = kafkaInventory(request);
  const targets = inp.topics?.map(parseTopicArg);
  const { spec, timestamp, file } = resetSpec(inp);
  const fileRows = file ? await readRows(request, deps, file) : undefined;
  // from-file without `groups` resets every group the file names (a backup set's offsets export).
  const groups =
    inp.groups ?? (fileRows ? [...new Set(fileRows.flatMap((r) => (r.group ? [r.group] : [])))] : undefined);
  if (!groups || groups.length === 0)
    throw new InvalidInputError("input 'groups' needs at least one group", { field: 'groups' });
  if (fileRows && groups.length > 1 && fileRows.some((r) => r.group === undefined))
    throw new InvalidInputError(
      `offsets file ${file} has topic,partition,offset rows, which name no group, and ${groups.length} groups are given; ` +
        'use group,topic,partition,offset rows (kafka-consumer-groups would misread this file)',
      { field: 'file' },
    );
  const isolation = inp.isolationLevel;
  const admin = await deps.pool.admin(kafka.bootstrap);
  try {
    const cluster = await deps.pool.cluster(kafka.bootstrap);
    const states = await checkGroupsInactive(admin, groups);
    const rows: ResetRow[] = [];
    const inputs = { admin, cluster, targets, spec, timestamp, fileRows, isolation, cache: new Map() };
    for (const g of groups) rows.push(...(await groupRows(g, inputs)));
    const moved = rows.filter((r) => r.current !== r.new);
    const plan: OffsetsPlan = {
      version: 1,
      clusterId: await clusterIdOf(admin),
      mode: spec.mode,
      isolationLevel: isolation,
      groups,
      rows,
    };
    return {
      changed: false,
      outputs: {
        dryRun: true,
        mode: spec.mode,
        timestamp,
        groups,
        states,
        isolationLevel: isolation,
        table: rows.map((r) => ({ ...r, changed: r.current !== r.new })),
        changed: moved.length,
        text: formatResetTable(rows),
        preview: resetPreview(rows),
        plan: await storePlan(request, deps.backupStore, plan),
      },
      summary: `would reset ${moved.length} of ${rows.length} partition offsets of ${groups.join(', ')} (${spec.mode})`,
    };
  } catch (err) {
    throw mapKafkaError(err, { groups });
  }
}

/** The execute: applies the approved plan exactly (under the run's --dry-run, only checks it). */
async function executeReset(
  deps: KafkaDeps,
  inp: ActionInputs<'kafka.offsets-reset'>,
  request: ActionRequest,
  ctx: ActionContext,
  given: NonNullable<ActionInputs<'kafka.offsets-reset'>['plan']>,
): Promise<ResultOf<'kafka.offsets-reset'>> {
  const kafka = kafkaInventory(request);
  const plan = await loadPlan(request, deps.backupStore, given);
  const admin = await deps.pool.admin(kafka.bootstrap);
  try {
    checkPlanScope(plan, await clusterIdOf(admin), inp.groups, inp.topics?.map(parseTopicArg));
    const cluster = await deps.pool.cluster(kafka.bootstrap);
    const { applied, alreadyApplied } = await applyPlan(admin, cluster, plan, request.dryRun, ctx);
    const rows: ResetRow[] = plan.rows;
    return {
      changed: !request.dryRun && applied.length > 0,
      outputs: {
        dryRun: request.dryRun,
        mode: plan.mode,
        groups: plan.groups,
        isolationLevel: plan.isolationLevel,
        table: rows.map((r) => ({ ...r, changed: r.current !== r.new })),
        changed: request.dryRun ? 0 : applied.length,
        applied: request.dryRun ? 0 : applied.length,
        alreadyApplied: alreadyApplied.length,
        text: formatResetTable(rows),
        preview: resetPreview(rows),
      },
      summary: `${request.dryRun ? 'would commit' : 'committed'} ${applied.length} of ${rows.length} approved partition offsets of ${plan.groups.join(', ')} (${plan.mode}); ${alreadyApplied.length} already at their approved offset`,
    };
  } catch (err) {
    throw mapKafkaError(err, { groups: plan.groups });
  }
}

/**
 * The action. A dry run takes `groups`, `topics` (`t` or `t:0,1`), `mode` and its input and
 * `isolationLevel` (default read_uncommitted, as the tool); an execute (`dryRun: false`) takes the dry
 * run's `plan` and, optionally, `groups`/`topics` that the plan must match exactly.
 */
export async function kafkaOffsetsReset(
  deps: KafkaDeps,
  inp: ActionInputs<'kafka.offsets-reset'>,
  request: ActionRequest,
  ctx: ActionContext,
): Promise<ResultOf<'kafka.offsets-reset'>> {
  // The registry schema already refused an execute without a plan (dryRun: false needs `plan`).
  return inp.plan ? executeReset(deps, inp, request, ctx, inp.plan) : dryRunReset(deps, inp, request);
}
