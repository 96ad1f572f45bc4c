/**
 * The activity interceptor of the worker service. For every activity attempt it:
 * - puts run id, workflow id, step id, action and host on every log line of the activity (the SDK's own
 *   lines included), and logs one line when the attempt starts and one when it ends;
 * - records Rekindle's metrics (attempts by action and outcome, durations, in-flight, host failures);
 * - turns a cancellation caused by this worker shutting down into a retryable `WORKER_SHUTDOWN` failure, so
 *   the step goes on on another worker (when its retry policy allows) instead of failing for good as an
 *   operator's cancellation would.
 */
import { ApplicationFailure, CancelledFailure } from '@temporalio/common';
import type { Context } from '@temporalio/activity';
import type { ActivityInterceptorsFactory } from '@temporalio/worker';
import type { ActionRequest, ActionResult } from '../compiler/plan';
import type { ActivityOutcome, WorkerMetrics } from './metrics';

/** The failure type of an activity interrupted because its worker shut down. */
export const WORKER_SHUTDOWN = 'WORKER_SHUTDOWN';

/** The inventory host an action request aims at, if it names one (inputs.host, or the forEach item). */
export function requestHost(req: Partial<ActionRequest> | undefined): string | undefined {
  if (!req || typeof req !== 'object') return undefined;
  const host = req.inputs && typeof req.inputs === 'object' ? req.inputs.host : undefined;
  if (typeof host === 'string' && host) return host;
  if (typeof req.item === 'string' && req.item) return req.item;
  const it = req.item as { host?: unknown; name?: unknown } | undefined;
  if (it && typeof it === 'object') {
    if (typeof it.host === 'string') return it.host;
    if (typeof it.name === 'string') return it.name;
  }
  return undefined;
}

/** True when the activity was cancelled because this worker is shutting down. */
function cancelledByShutdown(ctx: Context): boolean {
  const reason: unknown = ctx.cancellationSignal.reason;
  return ctx.cancellationSignal.aborted && reason instanceof CancelledFailure && reason.message === WORKER_SHUTDOWN;
}

/** The typed error's details (host, exit code, stderr tail, ...): what on-call needs to see why a step failed. */
function failureDetails(err: unknown): unknown {
  return err instanceof ApplicationFailure && err.details?.length ? err.details[0] : undefined;
}

function failureCode(err: unknown): string {
  if (err instanceof ApplicationFailure) return err.type ?? 'UNKNOWN';
  return err instanceof Error ? err.name : 'UNKNOWN';
}

/** The interceptor factory for `Worker.create({ interceptors: { activity: [...] } })`. */
export function activityInterceptors(metrics?: WorkerMetrics): ActivityInterceptorsFactory {
  return (ctx) => {
    let fields: Record<string, unknown> = {};
    return {
      inbound: {
        async execute(input, next) {
          const info = ctx.info;
          const req = input.args[0] as Partial<ActionRequest> | undefined;
          const action = info.activityType;
          const step = typeof req?.stepId === 'string' ? req.stepId : action;
          const host = requestHost(req);
          fields = {
            workflowId: info.workflowExecution?.workflowId,
            // The run id operators see (`rekindle run --json`, status, audit): the first execution's; the SDK adds
            // workflowRunId, the current execution's, which differs after a continue-as-new.
            runId: typeof req?.runId === 'string' ? req.runId : info.workflowExecution?.runId,
            stepId: step,
            action,
            ...(host ? { host } : {}),
          };
          ctx.log.info('activity started');
          metrics?.inFlight.inc({ action });
          const started = performance.now();
          let outcome: ActivityOutcome = 'succeeded';
          let code: string | undefined;
          try {
            const result = (await next(input)) as ActionResult | undefined;
            const durationMs = Math.round(performance.now() - started);
            ctx.log.info('activity succeeded', { durationMs, changed: result?.changed, summary: result?.summary });
            return result;
          } catch (err) {
            const durationMs = Math.round(performance.now() - started);
            if (cancelledByShutdown(ctx)) {
              outcome = 'worker_shutdown';
              code = WORKER_SHUTDOWN;
              ctx.log.warn('activity interrupted by worker shutdown; Temporal retries it on another worker', {
                durationMs,
              });
              throw ApplicationFailure.create({
                type: WORKER_SHUTDOWN,
                message: `the worker shut down while ${action} ran (step ${step}); it is retried on another worker if the step's retry policy allows`,
                nonRetryable: false,
              });
            }
            code = failureCode(err);
            outcome = ctx.cancellationSignal.aborted ? 'cancelled' : 'failed';
            const message = err instanceof Error ? err.message : String(err);
            ctx.log.warn(`activity ${outcome}`, { durationMs, code, message, details: failureDetails(err) });
            throw err;
          } finally {
            metrics?.inFlight.dec({ action });
            const seconds = (performance.now() - started) / 1000;
            metrics?.finished({ action, step, host, outcome, code, seconds });
          }
        },
      },
      outbound: {
        getLogAttributes(input, next) {
          const attrs = next({ ...input, ...fields });
          delete attrs.taskToken;
          return attrs;
        },
      },
    };
  };
}
