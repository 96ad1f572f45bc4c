/**
 * The approved reset as data. A dry run stores its table as a plan in the run's evidence store and
 * returns a small reference (path and sha256, recorded in the run's history); the execute reads the plan
 * back, checks the hash and that the file belongs to this run, and applies exactly its rows. Without a
 * store the plan travels inline. Either way the execute never recomputes offsets.
 */
import { createHash } from 'node:crypto';
import { readFile, realpath } from 'node:fs/promises';
import { join, sep } from 'node:path';
import type { z } from 'zod';
import { zOffsetsPlanDoc } from '../../../compiler/actions';
import type { ActionInputs } from '../../../compiler/actions';
import type { ActionRequest } from '../../../compiler/plan';
import type { Inventory } from '../../../compiler/inventory';
import { evidenceDir, storeEvidence } from '../../evidence';
import { stepArtifactName } from '../../inputs';
import { OffsetsPlanMismatchError } from '../errors';
import type { Target } from './rows';

/** The plan document: cluster, mode, isolation level, groups and the absolute rows. */
export type OffsetsPlan = z.output<typeof zOffsetsPlanDoc>;

/** What the dry run returns as its `plan` output: a reference to the stored plan, or the plan itself. */
export type PlanOutput = { path: string; sha256: string; rows: number; changed: number } | OffsetsPlan;

/** Stores the plan as this step's evidence and returns its reference; without a store, the plan itself. */
export async function storePlan(
  request: ActionRequest,
  fallbackStore: string | undefined,
  plan: OffsetsPlan,
): Promise<PlanOutput> {
  const store = (request.inventory as Partial<Inventory>).backupStore ?? fallbackStore;
  if (!store) return plan;
  const ref = await storeEvidence(evidenceDir(store, request), 'plan', plan);
  const changed = plan.rows.filter((r) => r.current !== r.new).length;
  return { path: ref.$evidence.path, sha256: ref.$evidence.sha256, rows: plan.rows.length, changed };
}

/**
 * The plan an execute applies. A reference must point into this run's own evidence (no other run's plan,
 * no path out of the store, symlinks resolved) and hash to what the dry run recorded.
 * @throws OffsetsPlanMismatchError when it does not, or when the file is missing or not a plan.
 */
export async function loadPlan(
  request: ActionRequest,
  fallbackStore: string | undefined,
  given: NonNullable<ActionInputs<'kafka.offsets-reset'>['plan']>,
): Promise<OffsetsPlan> {
  if (!('path' in given)) return given;
  const store = (request.inventory as Partial<Inventory>).backupStore ?? fallbackStore;
  if (!store) throw new OffsetsPlanMismatchError('the plan is a stored reference but no backup store is configured');
  const root = await realpath(join(store, 'evidence')).catch(() => join(store, 'evidence'));
  const real = await realpath(given.path).catch(() => {
    throw new OffsetsPlanMismatchError(`plan ${given.path} does not exist`, { path: given.path });
  });
  const runPrefix = `${stepArtifactName({ ...request, stepId: '' })}-`;
  const [dir, ...rest] = real.startsWith(root + sep) ? real.slice(root.length + 1).split(sep) : [];
  if (!dir || rest.length !== 1 || !dir.startsWith(runPrefix)) {
    throw new OffsetsPlanMismatchError(
      `plan ${given.path} is not a dry run of this run (expected a file under ${join(root, `${runPrefix}*`)})`,
      { path: given.path },
    );
  }
  const body = await readFile(real);
  const sha256 = createHash('sha256').update(body).digest('hex');
  if (sha256 !== given.sha256) {
    throw new OffsetsPlanMismatchError(
      `plan ${given.path} changed since the dry run approved it (sha256 ${sha256.slice(0, 12)}…, approved ${given.sha256.slice(0, 12)}…)`,
      { path: given.path, sha256, approved: given.sha256 },
    );
  }
  const parsed = zOffsetsPlanDoc.safeParse(JSON.parse(body.toString('utf8')));
  if (!parsed.success)
    throw new OffsetsPlanMismatchError(`plan ${given.path} is not an offsets plan`, { path: given.path });
  return parsed.data;
}

/**
 * Refuses a plan the step may not apply: read on another cluster, or rows for groups or partitions the
 * step's own `groups`/`topics` do not name (and names the plan does not cover).
 * @throws OffsetsPlanMismatchError naming what is outside.
 */
export function checkPlanScope(plan: OffsetsPlan, clusterId: string, groups?: string[], targets?: Target[]): void {
  if (plan.clusterId !== clusterId)
    throw new OffsetsPlanMismatchError(`the plan was made on cluster ${plan.clusterId}; this is cluster ${clusterId}`, {
      planCluster: plan.clusterId,
      clusterId,
    });
  const planGroups = new Set(plan.rows.map((r) => r.group));
  const outside = (names: string[], what: string) => {
    if (names.length > 0)
      throw new OffsetsPlanMismatchError(`${what}: ${names.slice(0, 10).join(', ')}`, { outside: names.slice(0, 100) });
  };
  if (groups) {
    outside(
      [...planGroups].filter((g) => !groups.includes(g)),
      'the plan resets groups this step does not name',
    );
    outside(
      groups.filter((g) => !planGroups.has(g)),
      "groups named here that the approved table doesn't cover",
    );
  }
  if (targets) {
    const covers = (topic: string, partition: number) =>
      targets.some((t) => t.topic === topic && (!t.partitions || t.partitions.includes(partition)));
    outside(
      plan.rows.filter((r) => !covers(r.topic, r.partition)).map((r) => `${r.group} ${r.topic}-${r.partition}`),
      "the plan resets partitions outside this step's topics",
    );
    outside(
      targets.filter((t) => !plan.rows.some((r) => r.topic === t.topic)).map((t) => t.topic),
      "topics named here that the approved table doesn't cover",
    );
  }
}
