/**
 * Heartbeats on a timer, independent of output. An activity scheduled with a heartbeat timeout (the step's
 * `heartbeat`, else the action's default) heartbeats four times per timeout for as long as it runs, so a
 * quiet phase (a `tar -x` of a large log dir, a controlled shutdown, a group join over hundreds of topics)
 * never looks like a dead worker to Temporal. A dead worker still stops heartbeating; a stuck action is
 * still ended by its start-to-close timeout. Activities without a heartbeat timeout are left alone.
 */
import type { ActionImpl } from './errors';

/** Heartbeats per heartbeat timeout: at least three are required, one more leaves margin for a busy loop. */
export const HEARTBEATS_PER_TIMEOUT = 4;

/** The timer period for a heartbeat timeout. */
export function heartbeatIntervalMs(heartbeatTimeoutMs: number): number {
  return Math.max(50, Math.floor(heartbeatTimeoutMs / HEARTBEATS_PER_TIMEOUT));
}

/** Wraps an implementation so it heartbeats on a timer derived from the context's heartbeat timeout. */
export function withTimerHeartbeat(impl: ActionImpl): ActionImpl {
  return async (request, ctx) => {
    if (!ctx.heartbeatTimeoutMs) return impl(request, ctx);
    const timer = setInterval(() => ctx.heartbeat({ alive: true }), heartbeatIntervalMs(ctx.heartbeatTimeoutMs));
    try {
      return await impl(request, ctx);
    } finally {
      clearInterval(timer);
    }
  };
}
