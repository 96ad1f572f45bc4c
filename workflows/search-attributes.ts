/**
 * The run's search attributes (Keyword, registered on the server) and memo keys. Shared by the
 * workflow, which upserts them as the run moves, and the client, which sets them at start and lists by them.
 */
import { defineSearchAttributeKey, SearchAttributeType } from '@temporalio/common';
import type { SearchAttributePair } from '@temporalio/common';
import type { Plan } from '../compiler/plan';
import type { RunMode, RunPhase } from './types';

export const RUNBOOK_KEY = defineSearchAttributeKey('RekindleRunbook', SearchAttributeType.KEYWORD);
export const CLUSTER_KEY = defineSearchAttributeKey('RekindleCluster', SearchAttributeType.KEYWORD);
export const MODE_KEY = defineSearchAttributeKey('RekindleMode', SearchAttributeType.KEYWORD);
export const PHASE_KEY = defineSearchAttributeKey('RekindlePhase', SearchAttributeType.KEYWORD);

/** The cluster a plan acts on: the inventory's `cluster`, else the `cluster` parameter, else the runbook name. */
export function clusterOf(plan: Plan, params: Record<string, unknown>): string {
  const inv = plan.inventory.cluster;
  if (typeof inv === 'string' && inv) return inv;
  if (typeof params.cluster === 'string' && params.cluster) return params.cluster;
  return plan.runbook.name;
}

/** The four attributes for a run in `phase`. */
export function runSearchAttributes(
  plan: Plan,
  cluster: string,
  mode: RunMode,
  phase: RunPhase,
): SearchAttributePair[] {
  return [
    { key: RUNBOOK_KEY, value: plan.runbook.name },
    { key: CLUSTER_KEY, value: cluster },
    { key: MODE_KEY, value: mode },
    { key: PHASE_KEY, value: phase },
  ];
}

/** The memo of a run: the runbook's hash, title and source path. */
export function runMemo(plan: Plan): Record<string, string> {
  return {
    runbookSha256: plan.runbook.sha256,
    runbookTitle: plan.runbook.title ?? plan.runbook.name,
    runbookSource: plan.runbook.source,
  };
}
