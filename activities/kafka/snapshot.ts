/**
 * `kafka.snapshot-state`: brokers, controller, cluster id, topics with partitions (leaders, ISR) and
 * topic-level config overrides, ACLs when an authorizer is enabled, and groups with state and committed
 * offsets, as one JSON document written to the store (it can exceed what history should carry);
 * the outputs carry the counts and the path. Read-only.
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
import type { ActionRequest, ActionResult } from '../../compiler/plan';
import type { ActionContext } from '../errors';
import type { KafkaDeps } from './deps';
import { mapKafkaError } from './errors';
import type { ActionInputs } from '../../compiler/actions';
import { kafkaInventory, stepFileName, storeDir, zkLocation } from './inputs';
import { committedOffsets } from './offsets/export';
import { clusterView } from './state';
import type { ZkLocation } from './state';

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

/** Builds the document. */
export async function snapshotState(
  admin: Admin,
  withOffsets: boolean,
  zk?: ZkLocation,
): Promise<Record<string, unknown>> {
  const view = await clusterView(admin, undefined, zk);
  const topics = [...new Set(view.partitions.map((p) => p.topic))].sort();
  const errors: string[] = [];
  const ids = await section('groups', errors, [] as string[], async () => (await admin.listGroups()).groups.map((g) => g.groupId).sort());
  const described = ids.length > 0 ? await section('groups', errors, [], async () => (await admin.describeGroups(ids)).groups) : [];
  return {
    takenAt: new Date().toISOString(),
    clusterId: view.clusterId,
    controller: view.controller,
    brokers: view.brokers,
    partitionSource: view.source,
    topics: topics.map((name) => ({
      name,
      minIsr: view.minIsr[name],
      partitions: view.partitions.filter((p) => p.topic === name).map(({ topic: _t, ...p }) => p),
    })),
    topicConfigs: await section('topic configs', errors, {}, () => topicConfigs(admin, topics)),
    acls: await section('acls', errors, { enabled: false, entries: [] as unknown[] }, () => acls(admin)),
    groups: described.map((g) => ({
      groupId: g.groupId,
      state: g.state,
      protocolType: g.protocolType,
      members: g.members.length,
    })),
    offsets: withOffsets ? await section('offsets', errors, [], () => committedOffsets(admin, ids)) : undefined,
    errors,
  };
}

/** The action: the cluster's state as one JSON document, with committed offsets when `offsets`. */
export async function kafkaSnapshotState(
  deps: KafkaDeps,
  inp: ActionInputs<'kafka.snapshot-state'>,
  request: ActionRequest,
  ctx: ActionContext,
): Promise<ActionResult> {
  const kafka = kafkaInventory(request);
  const admin = await deps.pool.admin(kafka.bootstrap);
  const doc = await snapshotState(admin, inp.offsets, zkLocation(request, deps.zk)).catch(
    async (err) => {
      await deps.pool.reset(kafka.bootstrap);
      throw mapKafkaError(err);
    },
  );
  ctx.heartbeat({ phase: 'write' });
  const path = join(storeDir(request, deps.backupStore), 'snapshots', `${stepFileName(request)}.json`);
  await mkdir(dirname(path), { recursive: true });
  await writeFile(path, JSON.stringify(doc, null, 2));
  const topics = doc.topics as Array<{ partitions: Array<{ leader: number }> }>;
  const offline = topics.reduce((n, t) => n + t.partitions.filter((p) => p.leader === -1).length, 0);
  const errors = doc.errors as string[];
  const summary = `${(doc.brokers as number[]).length} brokers up, controller ${String(doc.controller)}, ${topics.length} topics, ${offline} partitions offline, ${(doc.groups as unknown[]).length} groups${errors.length ? `; unreadable: ${errors.map((e) => e.split(':')[0]).join(', ')}` : ''}`;
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
      errors,
    },
    summary,
  };
}
