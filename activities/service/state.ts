/**
 * What a service action acts on and how to observe it: the host's control command, the broker id or
 * ZooKeeper client port behind it, and its state (process running; broker registered / ZooKeeper answering).
 */
import type { InventoryBroker, InventoryHost, InventoryZkNode } from '../../compiler/inventory';
import type { ActionRequest } from '../../compiler/plan';
import { ActionCancelledError, InvalidInputError, type ActionContext } from '../errors';
import { requireTargetHost } from '../inputs';
import type { ServiceDeps } from './deps';
import { ServiceControlError } from './errors';
import { zkAnswers } from './probe';

export interface ServiceTarget {
  host: string;
  entry: InventoryHost;
  kind: 'kafka' | 'zookeeper';
  broker?: InventoryBroker;
  zkNode?: InventoryZkNode;
}

export interface ServiceState {
  running: boolean;
  pid: number | null;
  /** Broker: its id is in /brokers/ids. ZooKeeper: it answers `ruok`. */
  up: boolean;
}

/** The host an action targets: `inputs.host`, the item's `host` or `name`, or the item itself. */
export function hostNameOf(req: ActionRequest): string {
  return requireTargetHost(req.inputs?.host, req.item);
}

/** Resolves the service behind a host. Throws SSH_HOST_UNKNOWN, or INVALID_INPUT when the inventory has no broker/node for it. */
export function serviceTarget(deps: ServiceDeps, req: ActionRequest): ServiceTarget {
  const host = hostNameOf(req);
  const entry = deps.hosts.host(req.inventory, host);
  const inv = req.inventory as { kafka?: { brokers?: InventoryBroker[] }; zookeeper?: { nodes?: InventoryZkNode[] } };
  if (entry.service === 'kafka') {
    const broker = inv.kafka?.brokers?.find((b) => b.host === host);
    if (!broker)
      throw new InvalidInputError(`host ${host} runs kafka but no broker in the inventory names it`, { host });
    return { host, entry, kind: 'kafka', broker };
  }
  const zkNode = inv.zookeeper?.nodes?.find((n) => n.host === host);
  if (!zkNode)
    throw new InvalidInputError(`host ${host} runs zookeeper but no node in the inventory names it`, { host });
  return { host, entry, kind: 'zookeeper', zkNode };
}

/** Runs `<control> <verb>` on the target's host. Throws SSH_COMMAND_FAILED when it exits outside okExitCodes. */
export function control(
  deps: ServiceDeps,
  req: ActionRequest,
  t: ServiceTarget,
  verb: string,
  okExitCodes = [0],
  timeoutMs = 120_000,
) {
  return deps.hosts.run(req.inventory, t.host, `${t.entry.control} ${verb}`, { okExitCodes, timeoutMs });
}

/** Whether the effect holds now: broker registered, or ZooKeeper answering. */
export async function effectUp(deps: ServiceDeps, req: ActionRequest, t: ServiceTarget): Promise<boolean> {
  if (t.kind === 'kafka') return (await deps.registry.brokerIds(req.inventory)).includes(t.broker!.id);
  return zkAnswers(t.zkNode!.address, t.zkNode!.clientPort);
}

/** Reads process and effect state. `status` exits 0 (running) or 3 (stopped); anything else fails. */
export async function readState(deps: ServiceDeps, req: ActionRequest, t: ServiceTarget): Promise<ServiceState> {
  const r = await control(deps, req, t, 'status', [0, 3], 30_000);
  const m = /pid (\d+)/.exec(r.stdout);
  if (r.exitCode === 0 && !m) throw new ServiceControlError(t.host, `unexpected status output: ${r.stdout.trim()}`);
  return { running: r.exitCode === 0, pid: m ? Number(m[1]) : null, up: await effectUp(deps, req, t) };
}

/**
 * Polls `check` until it returns true or `timeoutMs` passes; heartbeats while waiting.
 * Resolves false on timeout; rejects with ActionCancelledError when cancelled.
 */
export async function waitUntil(
  check: () => Promise<boolean>,
  timeoutMs: number,
  pollMs: number,
  ctx: ActionContext,
  what: string,
): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (ctx.signal.aborted) throw new ActionCancelledError(`cancelled while waiting for ${what}`);
    if (await check()) return true;
    if (Date.now() >= deadline) return false;
    ctx.heartbeat({ waitingFor: what, remainingMs: deadline - Date.now() });
    await new Promise((r) => setTimeout(r, Math.min(pollMs, Math.max(0, deadline - Date.now()))));
  }
}
