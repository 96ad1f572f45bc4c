/**
 * Maps a plan step's retry and timeouts onto activity options, and keeps one activity proxy per
 * distinct option set (the interpreter never applies defaults: the compiler already did).
 */
import { ActivityCancellationType, proxyActivities } from '@temporalio/workflow';
import type { ActivityOptions } from '@temporalio/workflow';
import type { ActionRequest, ActionResult, PlanStep } from '../compiler/plan';

type ActionFn = (request: ActionRequest) => Promise<ActionResult>;
type Proxy = Record<string, ActionFn>;

/** The activity options for one step. */
export function activityOptionsFor(step: PlanStep): ActivityOptions {
  const r = step.retry;
  return {
    startToCloseTimeout: step.timeouts.startToCloseMs,
    ...(step.timeouts.heartbeatMs ? { heartbeatTimeout: step.timeouts.heartbeatMs } : {}),
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
