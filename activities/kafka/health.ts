/**
 * `kafka.health` and `kafka.wait-brokers`. Health: expected brokers registered, a controller, and no
 * partition offline (leader -1), under-replicated (isr < replicas) or under min ISR, with the
 * offending partitions as evidence. wait-brokers polls until the expected ids are registered and a
 * controller is elected, heartbeating, within a time limit.
 */
import type { Inventory } from '../../compiler/inventory';
import type { ActionRequest } from '../../compiler/plan';
import { ActionCancelledError } from '../errors';
import type { ActionContext } from '../errors';
import type { KafkaDeps } from './deps';
import { KafkaBrokersNotReadyError, KafkaUnhealthyError, mapKafkaError } from './errors';
import type { ActionInputs, ResultOf } from '../../compiler/actions';
import { kafkaInventory, zkLocation } from './inputs';
import { clusterView, membershipFromZk } from './state';
import type { ClusterView, PartitionState } from './state';

/** Expected broker ids: `brokerIds`, else every broker in the inventory. */
function expectedIds(request: ActionRequest, brokerIds: number[] | undefined): number[] {
  return brokerIds ?? ((request.inventory as Partial<Inventory>).kafka?.brokers ?? []).map((b) => b.id);
}

export interface HealthReport {
  healthy: boolean;
  problems: string[];
  controller: number | null;
  registered: number[];
  missing: number[];
  offline: PartitionState[];
  underReplicated: PartitionState[];
  underMinIsr: Array<PartitionState & { minIsr: number }>;
  partitions: number;
}

/** Judges a cluster view (pure). */
export function judge(view: ClusterView, expected: number[], allowUnderReplicated = false): HealthReport {
  const missing = expected.filter((id) => !view.brokers.includes(id));
  const offline = view.partitions.filter((p) => p.leader === -1 || !view.brokers.includes(p.leader));
  const underReplicated = view.partitions.filter((p) => p.isr.length < p.replicas.length);
  const underMinIsr = view.partitions
    .map((p) => ({ ...p, minIsr: view.minIsr[p.topic] ?? 1 }))
    .filter((p) => p.isr.length < p.minIsr);
  const problems: string[] = [];
  if (missing.length > 0) problems.push(`brokers not registered: ${missing.join(', ')}`);
  if (view.controller === null || view.controller < 0) problems.push('no controller');
  const names = (l: PartitionState[]) =>
    l
      .slice(0, 10)
      .map((p) => `${p.topic}-${p.partition}`)
      .join(', ') + (l.length > 10 ? ', ...' : '');
  if (offline.length > 0) problems.push(`${offline.length} partition(s) offline: ${names(offline)}`);
  if (underMinIsr.length > 0) problems.push(`${underMinIsr.length} partition(s) under min ISR: ${names(underMinIsr)}`);
  if (underReplicated.length > 0 && !allowUnderReplicated)
    problems.push(`${underReplicated.length} partition(s) under-replicated: ${names(underReplicated)}`);
  return {
    healthy: problems.length === 0,
    problems,
    controller: view.controller,
    registered: view.brokers,
    missing,
    offline,
    underReplicated,
    underMinIsr,
    partitions: view.partitions.length,
  };
}

/** kafka.health. Throws KAFKA_UNHEALTHY (retryable) with the report. */
export async function kafkaHealth(
  deps: KafkaDeps,
  inp: ActionInputs<'kafka.health'>,
  request: ActionRequest,
  _ctx: ActionContext,
): Promise<ResultOf<'kafka.health'>> {
  const kafka = kafkaInventory(request);
  const topics = inp.topics;
  const allowUnder = inp.allowUnderReplicated;
  const admin = await deps.pool.admin(kafka.bootstrap);
  const view = await clusterView(admin, topics, zkLocation(request, deps.zk)).catch(async (err) => {
    await deps.pool.reset(kafka.bootstrap);
    throw mapKafkaError(err);
  });
  const report = judge(view, expectedIds(request, inp.brokerIds), allowUnder);
  const cap = <T>(l: T[]) => l.slice(0, 100);
  const outputs = {
    ...report,
    offline: cap(report.offline),
    underReplicated: cap(report.underReplicated),
    underMinIsr: cap(report.underMinIsr),
    clusterId: view.clusterId,
    source: view.source,
    summary: report.healthy
      ? `healthy: brokers ${view.brokers.join(',')}, controller ${view.controller}, ${view.partitions.length} partitions` +
        (report.underReplicated.length > 0 ? ` (${report.underReplicated.length} under-replicated, allowed)` : '')
      : report.problems.join('; '),
  };
  if (!report.healthy) throw new KafkaUnhealthyError(report.problems, outputs);
  return { changed: false, outputs, summary: outputs.summary };
}

/** kafka.wait-brokers: waits up to `within` for `brokerIds` and a controller. Throws KAFKA_BROKERS_NOT_READY (retryable). */
export async function kafkaWaitBrokers(
  deps: KafkaDeps,
  inp: ActionInputs<'kafka.wait-brokers'>,
  request: ActionRequest,
  ctx: ActionContext,
): Promise<ResultOf<'kafka.wait-brokers'>> {
  const kafka = kafkaInventory(request);
  const expected = expectedIds(request, inp.brokerIds);
  const within = inp.within;
  // /brokers/ids is the registration itself; kafkajs metadata fails while any partition is leaderless.
  const zk = zkLocation(request, deps.zk);
  const started = Date.now();
  let last: { brokers: number[]; controller: number | null } = { brokers: [], controller: null };
  for (let attempt = 0; ; attempt++) {
    if (ctx.signal.aborted) throw new ActionCancelledError('wait-brokers cancelled');
    try {
      if (zk) last = await membershipFromZk(zk);
      else {
        const c = await (await deps.pool.admin(kafka.bootstrap)).describeCluster();
        last = { brokers: c.brokers.map((b) => b.nodeId).sort((a, b) => a - b), controller: c.controller };
      }
    } catch {
      if (!zk) await deps.pool.reset(kafka.bootstrap);
    }
    const missing = expected.filter((id) => !last.brokers.includes(id));
    if (missing.length === 0 && last.controller !== null && last.controller >= 0) {
      return {
        changed: false,
        outputs: {
          registered: last.brokers,
          controller: last.controller,
          waitedMs: Date.now() - started,
          attempts: attempt + 1,
        },
        summary: `brokers ${last.brokers.join(', ')} registered, controller ${last.controller}`,
      };
    }
    if (Date.now() - started >= within)
      throw new KafkaBrokersNotReadyError(missing, last.controller, Date.now() - started);
    ctx.heartbeat({ registered: last.brokers, missing, controller: last.controller });
    await new Promise((r) => setTimeout(r, Math.min(1000, Math.max(0, within - (Date.now() - started)))));
  }
}
