/**
 * `zookeeper.check`: per node `srvr`/`mntr` (mode, zxid, node count), which node leads, whether a
 * quorum answers, and a client round trip. Read-only; fails with ZK_UNHEALTHY (retryable, evidence
 * in details) unless `expectQuorum: false`.
 */
import type { InventoryZkNode } from '../../compiler/inventory';
import type { ActionRequest } from '../../compiler/plan';
import { ActionError } from '../errors';
import type { ActionContext } from '../errors';
import type { ZookeeperDeps } from './deps';
import { fourLetter, parseMntr, parseSrvr } from './four-letter';
import type { ActionInputs, ResultOf } from '../../compiler/actions';
import { zkInventory } from './inputs';

/** The ensemble is not serving: no quorum, no leader, or the client round trip failed. */
export class ZkUnhealthyError extends ActionError {
  constructor(problems: string[], evidence: Record<string, unknown>) {
    super('ZK_UNHEALTHY', `ZooKeeper unhealthy: ${problems.join('; ')}`, true, { problems, ...evidence });
  }
}

export interface ZkNodeStatus {
  id: number;
  address: string;
  port: number;
  up: boolean;
  mode?: string;
  zxid?: string;
  nodeCount?: number;
  version?: string;
  outstandingRequests?: number;
  error?: string;
}

/** Polls one server with srvr and mntr. Never throws. */
export async function nodeStatus(n: InventoryZkNode, timeoutMs = 3000): Promise<ZkNodeStatus> {
  const base = { id: n.id, address: n.address, port: n.clientPort };
  try {
    const srvr = parseSrvr(await fourLetter(n.address, n.clientPort, 'srvr', timeoutMs));
    if (!srvr.mode) return { ...base, up: true, error: srvr.raw.trim().slice(0, 200) || 'empty srvr reply' };
    const mntr = parseMntr(await fourLetter(n.address, n.clientPort, 'mntr', timeoutMs).catch(() => ''));
    return {
      ...base,
      up: true,
      mode: srvr.mode,
      zxid: srvr.zxid,
      nodeCount: srvr.nodeCount,
      version: srvr.version,
      outstandingRequests: mntr.zk_outstanding_requests ? Number(mntr.zk_outstanding_requests) : undefined,
    };
  } catch (err) {
    return { ...base, up: false, error: (err as Error).message };
  }
}

/** The action: `timeout` is per node; with `expectQuorum`, an unhealthy ensemble fails the step. */
export async function zookeeperCheck(
  deps: ZookeeperDeps,
  inp: ActionInputs<'zookeeper.check'>,
  request: ActionRequest,
  _ctx: ActionContext,
): Promise<ResultOf<'zookeeper.check'>> {
  const zk = zkInventory(request);
  const timeoutMs = inp.timeout;
  const nodes = await Promise.all((zk.nodes ?? []).map((n) => nodeStatus(n, timeoutMs)));
  const serving = nodes.filter((n) => n.mode === 'leader' || n.mode === 'follower' || n.mode === 'standalone');
  const leader = nodes.find((n) => n.mode === 'leader' || n.mode === 'standalone');
  const quorum = nodes.length > 0 && serving.length > nodes.length / 2;
  let roundTripMs: number | undefined;
  let roundTripError: string | undefined;
  try {
    const t0 = Date.now();
    const client = await deps.pool.get(zk.connect);
    await client.exists('/');
    roundTripMs = Date.now() - t0;
  } catch (err) {
    roundTripError = (err as Error).message;
  }
  const problems: string[] = [];
  if (!quorum) problems.push(`${serving.length}/${nodes.length} servers serving`);
  if (!leader) problems.push('no leader');
  if (roundTripError) problems.push(`client round trip failed: ${roundTripError}`);
  const outputs = {
    healthy: problems.length === 0,
    quorum,
    leader: leader?.id,
    mode: leader?.mode,
    zxid: leader?.zxid,
    nodeCount: leader?.nodeCount,
    roundTripMs,
    nodes,
    problems,
  };
  if (problems.length > 0 && inp.expectQuorum) throw new ZkUnhealthyError(problems, outputs);
  return {
    changed: false,
    outputs,
    summary:
      problems.length === 0
        ? `ZooKeeper healthy: leader ${leader?.id} (${leader?.mode}), zxid ${leader?.zxid}, ${leader?.nodeCount} znodes, round trip ${roundTripMs} ms`
        : `ZooKeeper unhealthy: ${problems.join('; ')}`,
  };
}
