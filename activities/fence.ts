/**
 * Which actions are fenced, and on what (docs/safety.md). A fenced action holds a lock on each target
 * host for as long as it runs, so two attempts (a retry while the first still runs, a second worker
 * after a crash, `decide retry` on a command still running) never act on the same target at once:
 * - `backup.restore-logs` locks `kafka-logs` on its host; `backup.create` locks `kafka-logs` on every
 *   broker host (it stops each broker and copies its log dirs);
 * - `zookeeper.restore-files` locks `zookeeper-data` on its host;
 * - `ssh.exec` locks the step on its host (`step-<hash of workflow, run, step, item>`): different steps
 *   may still run commands on one host side by side.
 * Dry runs take no lock: they change nothing.
 */
import { createHash, randomUUID } from 'node:crypto';
import { hostname } from 'node:os';
import type { ActionRequest } from '../compiler/plan';
import type { ActionContext, ActionImpl } from './errors';
import { requireTargetHost } from './inputs';
import type { Fence, FenceTarget } from './ssh';

/** The lock targets of one request, or none when the action is not fenced. */
export function fenceTargets(action: string, request: ActionRequest): FenceTarget[] {
  if (request.dryRun) return [];
  const host = () => requireTargetHost(request.inputs.host, request.item);
  switch (action) {
    case 'backup.restore-logs':
      return [{ host: host(), key: 'kafka-logs' }];
    case 'backup.create': {
      const brokers = (request.inventory.kafka as { brokers?: Array<{ host: string }> } | undefined)?.brokers ?? [];
      return [...new Set(brokers.map((b) => b.host))].map((h) => ({ host: h, key: 'kafka-logs' }));
    }
    case 'zookeeper.restore-files':
      return [{ host: host(), key: 'zookeeper-data' }];
    case 'ssh.exec': {
      const h = host();
      const id = [request.workflowId, request.runId ?? '', request.stepId, h, JSON.stringify(request.item ?? null)].join('\n');
      return [{ host: h, key: `step-${createHash('sha256').update(id).digest('hex').slice(0, 24)}` }];
    }
    default:
      return [];
  }
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
