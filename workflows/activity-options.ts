/**
 * Maps a plan step's retry and timeouts onto activity options, and keeps one activity proxy per
 * distinct option set (the interpreter never applies defaults: the compiler already did).
 */
import { ActivityCancellationType, proxyActivities } from '@temporalio/workflow';
import type { ActivityOptions } from '@temporalio/workflow';
import type { ActionRequest, ActionResult, PlanStep, PlanTimeouts } from '../compiler/plan';
import { EngineErrors, engineFailure } from './errors';

type ActionFn = (request: ActionRequest) => Promise<ActionResult>;
type Proxy = Record<string, ActionFn>;

/**
 * The time limits of an action or wait step. The compiler gives every such step one; only approval gates
 * have none. @throws ApplicationFailure PLAN_UNSUPPORTED for a hand-written plan that left them out.
 */
export function stepTimeouts(step: PlanStep): PlanTimeouts {
  if (step.timeouts) return step.timeouts;
  throw engineFailure(EngineErrors.PLAN_UNSUPPORTED, `step '${step.id}' (${step.action}) has no timeouts`);
}

/** The activity options for one step. */
export function activityOptionsFor(step: PlanStep): ActivityOptions {
  const r = step.retry;
  const t = stepTimeouts(step);
  return {
    startToCloseTimeout: t.startToCloseMs,
    ...(t.heartbeatMs ? { heartbeatTimeout: t.heartbeatMs } : {}),
    retry: {
      maximumAttempts: Math.max(1, r.maxAttempts),
      initialInterval: Math.max(1, r.initialIntervalMs),
      backoffCoefficient: Math.max(1, r.backoffCoefficient),
      maximumInterval: Math.max(r.initialIntervalMs, r.maxIntervalMs, 1),
      nonRetryableErrorTypes: r.nonRetryableErrorTypes,
    },
    // Wait for a cancelled activity to really stop before rollback or a sibling's retry runs.
    cancellationType: ActivityCancellationType.WAIT_CANCELLATION_COMPLETED,
  };
}

const proxies = new Map<string, Proxy>();

/** The activity function for a step's action, with the step's options. */
export function activityFor(step: PlanStep): ActionFn {
  const options = activityOptionsFor(step);
  const key = JSON.stringify(options);
  let proxy = proxies.get(key);
  if (!proxy) {
    proxy = proxyActivities<Proxy>(options);
    proxies.set(key, proxy);
  }
  return proxy[step.action];
}
