/**
 * `kafka.snapshot-state`: brokers, controller, cluster id, topics with partitions (leaders, ISR) and
 * topic-level config overrides, ACLs when an authorizer is enabled, and groups with state and committed
 * offsets, as one JSON document written to the store (it can exceed what history should carry);
 * the outputs carry the counts and the path. Read-only.
 *
 * It runs first in a recovery, when the cluster is often down: what it cannot reach (no broker, some
 * brokers, ZooKeeper, TLS or authentication failures) becomes a finding with evidence (which ports
 * refused, since when) in the outputs and the summary, and the action still succeeds. It fails only
 * on bad input or on its own bugs (e.g. the store cannot be written).
 */
import { mkdir, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import {
  AclOperationTypes,
  AclPermissionTypes,
  AclResourceTypes,
  ConfigResourceTypes,
  ResourcePatternTypes,
} from 'kafkajs';
import type { Admin } from 'kafkajs';
import type { ActionRequest } from '../../compiler/plan';
import type { ActionContext } from '../errors';
import type { KafkaDeps } from './deps';
import { mapKafkaError } from './errors';
import type { ActionInputs, ResultOf } from '../../compiler/actions';
import { kafkaInventory, stepFileName, storeDir, zkLocation } from './inputs';
import { committedOffsets } from './offsets/export';
import { classifyConnectError, describeFailedProbes, probePorts } from './reachability';
import type { Finding, PortProbe } from './reachability';
import { clusterView, clusterViewFromZk } from './state';
import type { ClusterView, ZkLocation } from './state';

async function topicConfigs(admin: Admin, topics: string[]): Promise<Record<string, Record<string, string>>> {
  if (topics.length === 0) return {};
  const res = await admin.describeConfigs({
    includeSynonyms: false,
    resources: topics.map((name) => ({ type: ConfigResourceTypes.TOPIC, name })),
  });
  const out: Record<string, Record<string, string>> = {};
  for (const r of res.resources) {
    // Topic-level overrides only (source 1 = TOPIC_CONFIG); broker-wide settings are not the topic's.
    out[r.resourceName] = Object.fromEntries(
      r.configEntries.filter((e) => e.configSource === 1).map((e) => [e.configName, e.configValue]),
    );
  }
  return out;
}

async function acls(admin: Admin): Promise<{ enabled: boolean; entries: unknown[] }> {
  try {
    const res = await admin.describeAcls({
      resourceType: AclResourceTypes.ANY,
      resourcePatternType: ResourcePatternTypes.ANY,
      operation: AclOperationTypes.ANY,
      permissionType: AclPermissionTypes.ANY,
    });
    return { enabled: true, entries: res.resources };
  } catch (err) {
    if ((err as { type?: string }).type === 'SECURITY_DISABLED') return { enabled: false, entries: [] };
    throw err;
  }
}

/**
 * One section of the snapshot. A scope assessment runs on a damaged cluster, so a section the brokers
 * cannot answer (e.g. configs of a topic whose metadata was deleted) is recorded as an error and the
 * rest of the snapshot is still taken.
 */
async function section<T>(what: string, errors: string[], fallback: T, fn: () => Promise<T>): Promise<T> {
  try {
    return await fn();
  } catch (err) {
    const e = mapKafkaError(err);
    errors.push(`${what}: ${e.code}: ${e.message}`);
    return fallback;
  }
}

const EMPTY_VIEW: ClusterView = {
  source: 'zookeeper',
  clusterId: '',
  controller: null,
  brokers: [],
  partitions: [],
  minIsr: {},
};

/** Partitions and membership: from ZooKeeper when given (falling back to metadata), else from metadata. */
async function viewOf(admin: Admin | null, zk: ZkLocation | undefined, findings: Finding[]): Promise<ClusterView> {
  if (zk) {
    try {
      return await clusterViewFromZk(zk, admin);
    } catch (err) {
      const e = mapKafkaError(err);
      const probes = await probePorts(zkAddresses(zk.connect));
      findings.push({
        kind: 'zookeeper-unreachable',
        message: `ZooKeeper ${zk.connect} unreachable: ${describeFailedProbes(probes) || `${e.code}: ${e.message}`}`,
        evidence: { connect: zk.connect, probes, error: `${e.code}: ${e.message}` },
      });
    }
  }
  if (!admin) return EMPTY_VIEW;
  const errors: string[] = [];
  const view = await section('cluster metadata', errors, EMPTY_VIEW, () => clusterView(admin));
  for (const e of errors) findings.push({ kind: 'kafka-unavailable', message: e, evidence: {} });
  return view;
}

/** ZooKeeper's `host:port` list from a connect string (chroot dropped). */
function zkAddresses(connect: string): string[] {
  return connect.split('/')[0].split(',').filter(Boolean);
}

/** Builds the document. `admin` is null when no broker could be reached; ZooKeeper then supplies what it can. */
export async function snapshotState(
  admin: Admin | null,
  withOffsets: boolean,
  zk?: ZkLocation,
  findings: Finding[] = [],
  probes: PortProbe[] = [],
): Promise<Record<string, unknown>> {
  const view = await viewOf(admin, zk, findings);
  const topics = [...new Set(view.partitions.map((p) => p.topic))].sort();
  const errors: string[] = [];
  const ids = admin
    ? await section('groups', errors, [] as string[], async () =>
        (await admin.listGroups()).groups.map((g) => g.groupId).sort(),
      )
    : [];
  const described =
    admin && ids.length > 0
      ? await section('groups', errors, [], async () => (await admin.describeGroups(ids)).groups)
      : [];
  return {
    takenAt: new Date().toISOString(),
    clusterId: view.clusterId,
    controller: view.controller,
    brokers: view.brokers,
    partitionSource: view.source,
    reachable: { brokers: probes.filter((p) => p.state === 'open').map((p) => p.address), kafka: admin !== null },
    probes,
    findings,
    topics: topics.map((name) => ({
      name,
      minIsr: view.minIsr[name],
      partitions: view.partitions.filter((p) => p.topic === name).map(({ topic: _t, ...p }) => p),
    })),
    topicConfigs: admin ? await section('topic configs', errors, {}, () => topicConfigs(admin, topics)) : {},
    acls: admin ? await section('acls', errors, { enabled: false, entries: [] as unknown[] }, () => acls(admin)) : null,
    groups: described.map((g) => ({
      groupId: g.groupId,
      state: g.state,
      protocolType: g.protocolType,
      members: g.members.length,
    })),
    offsets:
      withOffsets && admin ? await section('offsets', errors, [], () => committedOffsets(admin, ids)) : undefined,
    errors,
  };
}

/**
 * Probes every bootstrap broker and connects an admin. Returns the admin, or null with a finding when
 * no broker can be used (refused, TLS, authentication); a finding too when only some brokers answer.
 */
async function reachKafka(
  deps: KafkaDeps,
  bootstrap: string[],
): Promise<{ admin: Admin | null; probes: PortProbe[]; findings: Finding[] }> {
  const probes = await probePorts(bootstrap);
  const findings: Finding[] = [];
  const failed = probes.filter((p) => p.state !== 'open');
  let admin: Admin | null = null;
  if (failed.length < probes.length) {
    try {
      admin = await deps.pool.admin(bootstrap);
    } catch (err) {
      await deps.pool.reset(bootstrap);
      const kind = classifyConnectError(err);
      const e = mapKafkaError(err);
      const what = kind === 'tls' ? 'kafka-tls-failure' : kind === 'auth' ? 'kafka-auth-failure' : 'kafka-unavailable';
      findings.push({
        kind: what,
        message: `brokers ${bootstrap.join(', ')} accept connections but ${kind === 'unavailable' ? 'do not answer' : `fail ${kind === 'tls' ? 'the TLS handshake' : 'authentication'}`}: ${e.message}`,
        evidence: { probes, error: `${e.code}: ${e.message}` },
      });
      return { admin: null, probes, findings };
    }
  }
  if (failed.length === probes.length) {
    findings.push({
      kind: 'no-broker-reachable',
      message: `no broker reachable: ${describeFailedProbes(probes)}`,
      evidence: { probes },
    });
  } else if (failed.length > 0) {
    findings.push({
      kind: 'some-brokers-unreachable',
      message: `${failed.length} of ${probes.length} brokers unreachable: ${describeFailedProbes(probes)}`,
      evidence: { probes: failed },
    });
  }
  return { admin, probes, findings };
}

function summaryOf(doc: Record<string, unknown>, offline: number): string {
  const findings = doc.findings as Finding[];
  const errors = doc.errors as string[];
  const topics = doc.topics as unknown[];
  const none = (doc.reachable as { kafka: boolean }).kafka ? '' : ' (none reachable)';
  const base = `${(doc.brokers as number[]).length} brokers registered${none}, controller ${String(doc.controller)}, ${topics.length} topics, ${offline} partitions offline, ${(doc.groups as unknown[]).length} groups`;
  const found = findings.length ? `; FINDINGS: ${findings.map((f) => f.message).join('; ')}` : '';
  const unreadable = errors.length ? `; unreadable: ${errors.map((e) => e.split(':')[0]).join(', ')}` : '';
  return `${base}${found}${unreadable}`;
}

/** The action. Inputs: `offsets` (default true). */
export async function kafkaSnapshotState(
  deps: KafkaDeps,
  inp: ActionInputs<'kafka.snapshot-state'>,
  request: ActionRequest,
  ctx: ActionContext,
): Promise<ResultOf<'kafka.snapshot-state'>> {
  const kafka = kafkaInventory(request);
  const withOffsets = inp.offsets;
  const zk = zkLocation(request, deps.zk);
  const reach = await reachKafka(deps, kafka.bootstrap);
  ctx.heartbeat({ phase: 'read' });
  const doc = await snapshotState(reach.admin, withOffsets, zk, reach.findings, reach.probes).catch(async (err) => {
    await deps.pool.reset(kafka.bootstrap);
    throw mapKafkaError(err);
  });
  ctx.heartbeat({ phase: 'write' });
  const path = join(storeDir(request, deps.backupStore), 'snapshots', `${stepFileName(request)}.json`);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify(doc, null, 2));
  const topics = doc.topics as Array<{ partitions: Array<{ leader: number }> }>;
  // A leader that is not registered is as offline as no leader: ZooKeeper keeps the last leader when every broker dies.
  // With no broker reachable, ZooKeeper may still list killed brokers until their sessions expire.
  const registered = new Set((doc.reachable as { kafka: boolean }).kafka ? (doc.brokers as number[]) : []);
  const offline = topics.reduce((n, t) => n + t.partitions.filter((p) => !registered.has(p.leader)).length, 0);
  const findings = doc.findings as Finding[];
  const summary = summaryOf(doc, offline);
  return {
    changed: false,
    outputs: {
      path,
      summary,
      clusterId: doc.clusterId,
      brokers: doc.brokers,
      controller: doc.controller,
      topics: topics.length,
      groups: (doc.groups as unknown[]).length,
      offline,
      reachable: doc.reachable,
      findings: findings.map((f) => ({ kind: f.kind, message: f.message })),
      errors: doc.errors,
    },
    summary,
  };
}
