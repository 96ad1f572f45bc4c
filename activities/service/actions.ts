/**
 * `service.stop`, `service.start`, `service.status`: the host's control command, then a wait for the
 * effect (a broker leaving/joining /brokers/ids, a ZooKeeper node stopping/starting to answer `ruok`).
 * A start or stop that already held reports `changed: false`.
 */
import { actionSpec, type ResultOf } from '../../compiler/actions';
import type { ActionImpl } from '../errors';
import { actionImpl } from '../inputs';
import type { ServiceDeps } from './deps';
import { ServiceStartFailedError, ServiceWaitTimeoutError } from './errors';
import { control, effectUp, readState, serviceTarget, waitUntil, type ServiceTarget } from './state';

const effectName = (t: ServiceTarget, up: boolean) =>
  t.kind === 'kafka'
    ? `broker ${t.broker!.id} ${up ? 'registered in' : 'gone from'} /brokers/ids`
    : `ZooKeeper ${up ? '' : 'not '}answering ruok`;

/** Builds `service.stop`. Throws SERVICE_WAIT_TIMEOUT (retryable) and the SSH errors. */
export function serviceStop(deps: ServiceDeps): ActionImpl {
  return actionImpl(actionSpec('service.stop'), async (inp, req, ctx): Promise<ResultOf<'service.stop'>> => {
    const t = serviceTarget(deps, req);
    const before = await readState(deps, req, t);
    const outputs = { wasRunning: before.running, pid: before.pid };
    if (!before.running && !before.up) return { changed: false, outputs, summary: `${t.host}: already stopped` };
    if (req.dryRun) return { changed: false, outputs: { ...outputs, dryRun: true }, summary: `${t.host}: would stop` };
    if (before.running) await control(deps, req, t, 'stop', [0], inp.waitTimeout + 10_000);
    const gone = () => effectUp(deps, req, t).then((up) => !up);
    let ok = await waitUntil(gone, inp.waitTimeout, deps.pollMs ?? 500, ctx, effectName(t, false));
    if (!ok && inp.force) {
      await control(deps, req, t, 'kill');
      ok = await waitUntil(gone, 30_000, deps.pollMs ?? 500, ctx, effectName(t, false));
    }
    if (!ok) throw new ServiceWaitTimeoutError(t.host, effectName(t, false), inp.waitTimeout);
    return { changed: true, outputs, summary: `${t.host}: stopped (${effectName(t, false)})` };
  });
}

/** Builds `service.start`. Throws SERVICE_START_FAILED (process exited), SERVICE_WAIT_TIMEOUT and the SSH errors. */
export function serviceStart(deps: ServiceDeps): ActionImpl {
  return actionImpl(actionSpec('service.start'), async (inp, req, ctx): Promise<ResultOf<'service.start'>> => {
    const t = serviceTarget(deps, req);
    const before = await readState(deps, req, t);
    if (before.running && before.up) {
      return {
        changed: false,
        outputs: { wasRunning: true, pid: before.pid, registered: true },
        summary: `${t.host}: already running`,
      };
    }
    if (req.dryRun)
      return {
        changed: false,
        outputs: { wasRunning: before.running, dryRun: true },
        summary: `${t.host}: would start`,
      };
    if (!before.running) await control(deps, req, t, 'start');
    let exited = false;
    const up = async () => {
      const s = await readState(deps, req, t);
      exited = !s.running;
      return s.up || exited;
    };
    const ok = await waitUntil(up, inp.waitTimeout, deps.pollMs ?? 500, ctx, effectName(t, true));
    const after = await readState(deps, req, t);
    if (exited && !after.running) {
      throw new ServiceStartFailedError(t.host, { waitedFor: effectName(t, true) });
    }
    if (!ok || !after.up)
      throw new ServiceWaitTimeoutError(t.host, effectName(t, true), inp.waitTimeout, { pid: after.pid });
    return {
      changed: !before.running,
      outputs: { wasRunning: before.running, pid: after.pid, registered: true },
      summary: `${t.host}: started (${effectName(t, true)})`,
    };
  });
}

/** Builds `service.status` (read-only). Throws the SSH errors. */
export function serviceStatus(deps: ServiceDeps): ActionImpl {
  return actionImpl(actionSpec('service.status'), async (_inp, req): Promise<ResultOf<'service.status'>> => {
    const t = serviceTarget(deps, req);
    const s = await readState(deps, req, t);
    return {
      changed: false,
      outputs: { running: s.running, pid: s.pid, registered: s.up },
      summary: `${t.host}: ${s.running ? `running (pid ${s.pid})` : 'stopped'}, ${effectName(t, s.up)}`,
    };
  });
}
