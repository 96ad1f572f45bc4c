/**
 * The worker as a service in docker-compose.yml: its healthcheck probes the worker's own /healthz endpoint,
 * which must therefore be on, and compose waits longer than the worker's shutdown grace period before it
 * kills the container (else every `docker compose stop` cuts activities mid-flight).
 */
import { parseDuration } from '../../compiler/duration';
import type { ComposeService, ReadFile } from './compose';
import { envOf, healthcheckOf } from './compose';

/** The worker's healthcheck script, run inside the container from /app. */
export const WORKER_HEALTHCHECK = 'docker/worker/healthcheck.js';
/** Compose's default stop_grace_period, and the worker's default shutdown grace (worker/config.ts). */
const COMPOSE_DEFAULT_STOP_MS = 10_000;
const WORKER_DEFAULT_GRACE_MS = 30_000;

function ms(value: string | undefined, fallback: number): number | undefined {
  if (value === undefined || value === '') return fallback;
  try {
    return parseDuration(value);
  } catch {
    return undefined;
  }
}

/** Problems with the worker service's endpoint, healthcheck and stop timeout (empty when none). */
export function checkWorkerService(w: ComposeService, read: ReadFile): string[] {
  const out: string[] = [];
  const env = envOf(w);
  if (!env.REKINDLE_HTTP_ADDRESS || env.REKINDLE_HTTP_ADDRESS === 'off')
    out.push('worker: REKINDLE_HTTP_ADDRESS is not set, so there is no /healthz for the healthcheck');
  const hc = healthcheckOf(w) ?? '';
  if (!hc.includes(`/app/${WORKER_HEALTHCHECK}`))
    out.push(`worker: the healthcheck does not run ${WORKER_HEALTHCHECK}`);
  else if (!(read(WORKER_HEALTHCHECK) ?? '').includes("'/healthz'"))
    out.push(`worker: ${WORKER_HEALTHCHECK} does not ask /healthz`);
  const grace = ms(env.REKINDLE_SHUTDOWN_GRACE, WORKER_DEFAULT_GRACE_MS);
  const stop = ms(w.stop_grace_period, COMPOSE_DEFAULT_STOP_MS);
  if (grace === undefined) out.push(`worker: REKINDLE_SHUTDOWN_GRACE ${env.REKINDLE_SHUTDOWN_GRACE} is not a duration`);
  else if (stop === undefined) out.push(`worker: stop_grace_period ${w.stop_grace_period} is not a duration`);
  else if (stop <= grace)
    out.push(
      `worker: stop_grace_period ${w.stop_grace_period ?? '10s (default)'} is not longer than the shutdown grace ${env.REKINDLE_SHUTDOWN_GRACE ?? '30s (default)'}`,
    );
  return out;
}
