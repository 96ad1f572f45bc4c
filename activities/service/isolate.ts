/**
 * `host.isolate` and `host.unisolate`: cut or restore client traffic to a host's service port, through
 * the host's control command (`isolate|unisolate|isolated`). With explicit `ports`, iptables REJECT
 * rules tagged `rekindle-isolate-<port>` are managed directly. Both are idempotent.
 */
import type { ActionRequest } from '../../compiler/plan';
import { actionSpec, type ResultOf } from '../../compiler/actions';
import { InvalidInputError, type ActionImpl } from '../errors';
import { actionImpl } from '../inputs';
import type { ServiceDeps } from './deps';
import { ServiceControlError } from './errors';
import { control, serviceTarget, type ServiceTarget } from './state';

const servicePort = (t: ServiceTarget) => (t.kind === 'kafka' ? t.broker!.port : t.zkNode!.clientPort);

function rule(port: number): string {
  return `INPUT -p tcp --dport ${port} -m comment --comment rekindle-isolate-${port} -j REJECT --reject-with tcp-reset`;
}

/** Whether each port is cut now. */
async function isolatedNow(
  deps: ServiceDeps,
  req: ActionRequest,
  t: ServiceTarget,
  ports?: number[],
): Promise<boolean[]> {
  if (!ports) {
    const r = await control(deps, req, t, 'isolated');
    const word = r.stdout.trim();
    if (word !== 'isolated' && word !== 'open')
      throw new ServiceControlError(t.host, `unexpected isolated output: ${word}`);
    return [word === 'isolated'];
  }
  const script = ports.map((p) => `iptables -C ${rule(p)} 2>/dev/null && echo 1 || echo 0`).join('; ');
  const r = await deps.hosts.run(req.inventory, t.host, script);
  return r.stdout
    .trim()
    .split(/\s+/)
    .map((x) => x === '1');
}

async function apply(deps: ServiceDeps, req: ActionRequest, t: ServiceTarget, cut: boolean, ports?: number[]) {
  if (!ports) return control(deps, req, t, cut ? 'isolate' : 'unisolate');
  const script = ports
    .map((p) =>
      cut
        ? `iptables -C ${rule(p)} 2>/dev/null || iptables -I ${rule(p)}`
        : `while iptables -C ${rule(p)} 2>/dev/null; do iptables -D ${rule(p)}; done`,
    )
    .join(' && ');
  return deps.hosts.run(req.inventory, t.host, script);
}

function build(name: 'host.isolate' | 'host.unisolate', cut: boolean) {
  return (deps: ServiceDeps): ActionImpl =>
    actionImpl(actionSpec(name), async (inp, req): Promise<ResultOf<typeof name>> => {
      const t = serviceTarget(deps, req);
      if (inp.ports?.includes(t.entry.port)) {
        throw new InvalidInputError(`${name}: refusing to cut the SSH port ${t.entry.port} of ${t.host}`, {
          field: 'ports',
        });
      }
      const ports = inp.ports ?? [servicePort(t)];
      const before = await isolatedNow(deps, req, t, inp.ports);
      if (before.every((x) => x === cut)) {
        return {
          changed: false,
          outputs: { isolated: cut, ports },
          summary: `${t.host}: already ${cut ? 'isolated' : 'open'}`,
        };
      }
      if (req.dryRun)
        return {
          changed: false,
          outputs: { isolated: !cut, ports, dryRun: true },
          summary: `${t.host}: would ${name}`,
        };
      await apply(deps, req, t, cut, inp.ports);
      const after = await isolatedNow(deps, req, t, inp.ports);
      if (!after.every((x) => x === cut))
        throw new ServiceControlError(t.host, `${name} did not take effect`, { ports });
      return {
        changed: true,
        outputs: { isolated: cut, ports },
        summary: `${t.host}: ports ${ports.join(',')} ${cut ? 'cut' : 'open'}`,
      };
    });
}

/** Builds `host.isolate`. Throws SERVICE_CONTROL_FAILED when the cut does not show, and the SSH errors. */
export const hostIsolate = build('host.isolate', true);
/** Builds `host.unisolate`. Throws SERVICE_CONTROL_FAILED when the ports stay cut, and the SSH errors. */
export const hostUnisolate = build('host.unisolate', false);
