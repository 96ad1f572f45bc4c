/**
 * `kafka.preflight`: can the brokers start from what was restored? Over ZooKeeper and SSH it checks
 * that `/cluster/id` equals `cluster.id` in every log dir's meta.properties (and `broker.id` the
 * broker's), that each topic id in `/brokers/topics/<t>` equals every partition.metadata's, and that
 * `/controller_epoch` is at least every partition state's epoch. Read-only; fails with the first
 * failing kind (non-retryable) and every finding in details.
 */
import type { Inventory } from '../../compiler/inventory';
import type { ActionRequest } from '../../compiler/plan';
import { InvalidInputError } from '../errors';
import type { ActionContext } from '../errors';
import type { KafkaDeps, RemoteExec, ZnodeReader } from './deps';
import { KafkaPreflightError, KafkaUnavailableError } from './errors';
import type { PreflightCode } from './errors';
import type { ActionInputs, ResultOf } from '../../compiler/actions';
import { kafkaInventory } from './inputs';

const shq = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

export interface BrokerDisk {
  broker: number;
  logDir: string;
  meta: Record<string, string>;
  /** `<topic>-<partition>` → topic_id from partition.metadata. */
  topicIds: Record<string, string>;
}

/** Parses the marker lines the remote script prints. */
export function parseDiskReport(broker: number, text: string): BrokerDisk[] {
  const out: BrokerDisk[] = [];
  let cur: BrokerDisk | undefined;
  for (const line of text.split('\n')) {
    if (line.startsWith('@@dir ')) out.push((cur = { broker, logDir: line.slice(6), meta: {}, topicIds: {} }));
    else if (cur && line.startsWith('@@meta ')) {
      const kv = /^([^#=][^=]*)=(.*)$/.exec(line.slice(7).trim());
      if (kv) cur.meta[kv[1].trim()] = kv[2].trim();
    } else if (cur && line.startsWith('@@pm ')) {
      const [dir, id] = line.slice(5).trim().split(/\s+/);
      if (dir && id && /-\d+$/.test(dir)) cur.topicIds[dir] = id;
    }
  }
  return out;
}

function diskScript(logDirs: string[]): string {
  return logDirs
    .map(
      (d) =>
        `echo ${shq(`@@dir ${d}`)}; if [ -f ${shq(`${d}/meta.properties`)} ]; then sed 's/^/@@meta /' ${shq(`${d}/meta.properties`)}; fi; ` +
        `for f in ${shq(d)}/*/partition.metadata; do [ -f "$f" ] || continue; p=$(basename "$(dirname "$f")"); ` +
        `echo "@@pm $p $(sed -n 's/^topic_id: *//p' "$f")"; done`,
    )
    .join('; ');
}

async function readDisks(remote: RemoteExec, request: ActionRequest): Promise<BrokerDisk[]> {
  const kafka = kafkaInventory(request);
  const disks: BrokerDisk[] = [];
  for (const b of kafka.brokers) {
    const r = await remote.exec(request.inventory, b.host, diskScript(b.logDirs), {
      timeoutMs: 60_000,
      maxOutputBytes: 8 << 20,
    });
    if (r.exitCode !== 0)
      throw new KafkaUnavailableError(`reading log dirs of broker ${b.id} on ${b.host} failed (exit ${r.exitCode})`, {
        stderr: r.stderr.slice(-1000),
      });
    disks.push(...parseDiskReport(b.id, r.stdout));
  }
  return disks;
}

type Finding = { check: string; ok: boolean; detail: string };

async function zkChecks(
  zk: ZnodeReader,
  connect: string,
  root: string,
  disks: BrokerDisk[],
  opts: { topicIds: boolean; epoch: boolean },
): Promise<{ clusterId: string | null; findings: Finding[]; codes: PreflightCode[] }> {
  const p = (rel: string) => (root === '/' ? rel : `${root}${rel}`);
  const findings: Finding[] = [];
  const codes: PreflightCode[] = [];
  const fail = (check: string, detail: string, code: PreflightCode) => {
    findings.push({ check, ok: false, detail });
    if (!codes.includes(code)) codes.push(code);
  };
  const idDoc = await zk.get(connect, p('/cluster/id'));
  const clusterId = idDoc ? ((JSON.parse(idDoc) as { id?: string }).id ?? null) : null;
  for (const d of disks) {
    const label = `broker ${d.broker} ${d.logDir}`;
    if (Object.keys(d.meta).length === 0)
      findings.push({
        check: 'cluster.id',
        ok: true,
        detail: `${label}: no meta.properties (the broker will write one)`,
      });
    else if (d.meta['cluster.id'] !== clusterId)
      fail(
        'cluster.id',
        `${label}: meta.properties cluster.id ${d.meta['cluster.id']} != /cluster/id ${clusterId}`,
        'KAFKA_CLUSTER_ID_MISMATCH',
      );
    else findings.push({ check: 'cluster.id', ok: true, detail: `${label}: ${clusterId}` });
    if (d.meta['broker.id'] !== undefined && Number(d.meta['broker.id']) !== d.broker) {
      fail(
        'broker.id',
        `${label}: meta.properties broker.id ${d.meta['broker.id']} != ${d.broker}`,
        'KAFKA_BROKER_ID_MISMATCH',
      );
    }
  }
  let maxPartitionEpoch = -1;
  for (const topic of await zk.children(connect, p('/brokers/topics'))) {
    const doc = await zk.get(connect, p(`/brokers/topics/${topic}`));
    const zkId = doc ? (JSON.parse(doc) as { topic_id?: string }).topic_id : undefined;
    if (opts.topicIds && zkId) {
      const escaped = topic.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
      for (const d of disks) {
        for (const [dir, id] of Object.entries(d.topicIds)) {
          if (!new RegExp(`^${escaped}-\\d+$`).test(dir)) continue;
          if (id !== zkId)
            fail(
              'topic_id',
              `broker ${d.broker} ${dir}: partition.metadata ${id} != ZooKeeper ${zkId}`,
              'KAFKA_TOPIC_ID_MISMATCH',
            );
        }
      }
    }
    if (opts.epoch) {
      for (const part of await zk.children(connect, p(`/brokers/topics/${topic}/partitions`))) {
        const s = await zk.get(connect, p(`/brokers/topics/${topic}/partitions/${part}/state`));
        const e = s ? Number((JSON.parse(s) as { controller_epoch?: number }).controller_epoch) : -1;
        if (e > maxPartitionEpoch) maxPartitionEpoch = e;
      }
    }
  }
  if (opts.topicIds && !findings.some((f) => f.check === 'topic_id'))
    findings.push({ check: 'topic_id', ok: true, detail: 'every partition.metadata matches ZooKeeper' });
  if (opts.epoch) {
    const epoch = Number((await zk.get(connect, p('/controller_epoch'))) ?? '-1');
    if (maxPartitionEpoch > epoch)
      fail(
        'controller_epoch',
        `/controller_epoch ${epoch} < partition state epoch ${maxPartitionEpoch}`,
        'KAFKA_CONTROLLER_EPOCH_LOW',
      );
    else
      findings.push({
        check: 'controller_epoch',
        ok: true,
        detail: `/controller_epoch ${epoch} >= ${maxPartitionEpoch}`,
      });
  }
  return { clusterId, findings, codes };
}

/** The action: the checks `topicIds` and `controllerEpoch` turn on, plus cluster.id and broker.id on every broker. */
export async function kafkaPreflight(
  deps: KafkaDeps,
  inp: ActionInputs<'kafka.preflight'>,
  request: ActionRequest,
  _ctx: ActionContext,
): Promise<ResultOf<'kafka.preflight'>> {
  kafkaInventory(request);
  const zkInv = (request.inventory as Partial<Inventory>).zookeeper;
  if (!zkInv?.connect)
    throw new InvalidInputError('inventory.zookeeper.connect is required', { field: 'inventory.zookeeper.connect' });
  if (!deps.zk || !deps.remote)
    throw new InvalidInputError('kafka.preflight needs ZooKeeper and remote access (not wired)', {});
  const disks = await readDisks(deps.remote, request);
  const { clusterId, findings, codes } = await zkChecks(deps.zk, zkInv.connect, zkInv.chroot || '/', disks, {
    topicIds: inp.topicIds,
    epoch: inp.controllerEpoch,
  });
  const failures = findings.filter((f) => !f.ok).map((f) => f.detail);
  if (codes.length > 0) throw new KafkaPreflightError(codes[0], failures, findings);
  return {
    changed: false,
    outputs: {
      ok: true,
      clusterId,
      checks: findings,
      logDirs: disks.length,
      partitionDirs: disks.reduce((n, d) => n + Object.keys(d.topicIds).length, 0),
    },
    summary: `preflight ok: cluster ${clusterId} on ${disks.length} log dirs, topic ids and controller epoch consistent`,
  };
}
