/**
 * Fencing at the activity boundary (docs/fencing.md). The registry says which actions are fenced and on
 * what (`fence` in compiler/actions); this wrapper holds those locks for as long as the action runs, so
 * two attempts (a retry while the first still runs, a second worker after a crash, `decide retry` on a
 * command still running) never act on the same target at once. `step` locks are the step's own
 * (workflow, run, step and item): different steps may still run commands on one host side by side.
 * Dry runs take no lock: they change nothing.
 */
import { createHash, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import { ACTIONS } from '../compiler/actions';
import type { ActionRequest } from '../compiler/plan';
import type { ActionContext, ActionImpl } from './errors';
import { requireTargetHost, targetHost } from './inputs';
import type { Fence, FenceTarget } from './ssh';

/** The lock targets of one request, or none when the action is not fenced (or runs dry). */
export function fenceTargets(action: string, request: ActionRequest): FenceTarget[] {
  const fence = ACTIONS.find((a) => a.name === action)?.fence;
  if (!fence || request.dryRun) return [];
  return lockedHosts(fence.hosts, request).map((host) => ({
    host,
    key: fence.lock === 'step' ? stepLock(request, host) : fence.lock,
  }));
}

/** The hosts a fenced request acts on. Throws InvalidInputError when a target host is required and missing. */
function lockedHosts(hosts: 'target' | 'brokers' | 'zookeeper', request: ActionRequest): string[] {
  const inv = request.inventory as {
    kafka?: { brokers?: Array<{ host: string }> };
    zookeeper?: { nodes?: Array<{ host: string }> };
  };
  const all = (list: Array<{ host: string }> | undefined) => [...new Set((list ?? []).map((x) => x.host))];
  if (hosts === 'brokers') return all(inv.kafka?.brokers);
  const target = targetHost(request.inputs.host, request.item);
  if (hosts === 'zookeeper' && !target) return all(inv.zookeeper?.nodes);
  return [target ?? requireTargetHost(request.inputs.host, request.item)];
}

/** A lock name of the step's own on one host. */
function stepLock(request: ActionRequest, host: string): string {
  const id = [request.workflowId, request.runId ?? '', request.stepId, host, JSON.stringify(request.item ?? null)].join(
    '\n',
  );
  return `step-${createHash('sha256').update(id).digest('hex').slice(0, 24)}`;
}

/** The token that names this attempt in a lock: Temporal's attempt id and the worker process. */
export function fenceToken(ctx: ActionContext): string {
  return `${ctx.attemptId ?? `local/${randomUUID()}`}@${hostname()}:${process.pid}`;
}

/**
 * Wraps an implementation so it runs holding its fence locks. A takeover of a dead holder's lock is
 * heartbeated (and logged on the host). Throws TARGET_LOCKED while another attempt holds a lock.
 */
export function withFence(action: string, impl: ActionImpl, fence: Fence): ActionImpl {
  return async (request, ctx) => {
    const targets = fenceTargets(action, request);
    if (targets.length === 0) return impl(request, ctx);
    return fence.hold(request.inventory, targets, fenceToken(ctx), ctx, (takeovers) => {
      if (takeovers.length) ctx.heartbeat({ fenceTakeovers: takeovers });
      return impl(request, ctx);
    });
  };
}
