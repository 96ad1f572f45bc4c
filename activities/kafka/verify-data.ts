/**
 * `kafka.verify-data`: per-partition end offsets, message counts and content checksums of the live
 * cluster, compared with a backup manifest's partition list. Read-only; a difference fails with
 * KAFKA_DATA_MISMATCH (non-retryable) listing each partition, expected and actual.
 */
import { existsSync, statSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ActionRequest } from '../../compiler/plan';
import { InvalidInputError } from '../errors';
import type { ActionContext } from '../errors';
import type { KafkaDeps } from './deps';
import { digestTopics } from './digest';
import type { PartitionDigest } from './digest';
import { KafkaBackupNotFoundError, KafkaDataMismatchError } from './errors';
import type { ActionInputs, ResultOf } from '../../compiler/actions';
import { kafkaInventory, storePath } from './inputs';

export type ExpectedPartition = Pick<PartitionDigest, 'topic' | 'partition' | 'count' | 'sha256'> &
  Partial<Pick<PartitionDigest, 'low' | 'high'>>;

/** The partition list of a manifest: `kafka.partitions`, `partitions` or `data.partitions`. */
export function manifestPartitions(manifest: Record<string, unknown>): ExpectedPartition[] | undefined {
  const m = manifest as { kafka?: { partitions?: unknown }; partitions?: unknown; data?: { partitions?: unknown } };
  const list = m.kafka?.partitions ?? m.partitions ?? m.data?.partitions;
  return Array.isArray(list) ? (list as ExpectedPartition[]) : undefined;
}

/** Compares (pure): every expected partition must exist with the same count, checksum and end offset. */
export function compareDigests(
  expected: ExpectedPartition[],
  actual: PartitionDigest[],
): Array<{ topic: string; partition: number; expected: unknown; actual: unknown }> {
  const live = new Map(actual.map((d) => [`${d.topic}:${d.partition}`, d]));
  const out: Array<{ topic: string; partition: number; expected: unknown; actual: unknown }> = [];
  for (const e of expected) {
    const a = live.get(`${e.topic}:${e.partition}`);
    const same = a && a.count === e.count && a.sha256 === e.sha256 && (e.high === undefined || a.high === e.high);
    if (!same)
      out.push({
        topic: e.topic,
        partition: e.partition,
        expected: { count: e.count, high: e.high, sha256: e.sha256 },
        actual: a ? { count: a.count, high: a.high, sha256: a.sha256 } : 'missing',
      });
  }
  return out;
}

/** The action. Inputs: `backup` (manifest file, or a set directory holding manifest.json), `topics`. */
export async function kafkaVerifyData(
  deps: KafkaDeps,
  inp: ActionInputs<'kafka.verify-data'>,
  request: ActionRequest,
  ctx: ActionContext,
): Promise<ResultOf<'kafka.verify-data'>> {
  const kafka = kafkaInventory(request);
  const ref = inp.backup;
  const only = inp.topics;
  let path = storePath(request, ref, deps.backupStore);
  if (existsSync(path) && statSync(path).isDirectory()) path = join(path, 'manifest.json');
  const text = await readFile(path, 'utf8').catch(() => {
    throw new KafkaBackupNotFoundError(path);
  });
  let manifest: Record<string, unknown>;
  try {
    manifest = JSON.parse(text) as Record<string, unknown>;
  } catch {
    throw new InvalidInputError(`manifest ${path} is not JSON`, { field: 'backup' });
  }
  const all = manifestPartitions(manifest);
  if (!all)
    throw new InvalidInputError(`manifest ${path} has no partition list (kafka.partitions)`, { field: 'backup' });
  const expected = only ? all.filter((p) => only.includes(p.topic)) : all;
  const topics = [...new Set(expected.map((p) => p.topic))].sort();
  const admin = await deps.pool.admin(kafka.bootstrap);
  // Brokers that just started from restored logs answer metadata from a cache that may still be filling
  // (seen with 2,000 partitions): wait up to 60 s for the manifest's topics before calling any missing.
  let liveTopics = new Set(await admin.listTopics());
  for (let i = 0; i < 30 && topics.some((t) => !liveTopics.has(t)) && !ctx.signal.aborted; i++) {
    await new Promise((r) => setTimeout(r, 2000));
    ctx.heartbeat({ phase: 'waiting for topic metadata' });
    liveTopics = new Set(await admin.listTopics());
  }
  const present = topics.filter((t) => liveTopics.has(t));
  const actual = await digestTopics(deps.pool.kafka(kafka.bootstrap), admin, present, {
    signal: ctx.signal,
    onProgress: (n) => ctx.heartbeat({ messages: n }),
  });
  const mismatches = compareDigests(expected, actual);
  const messages = actual.reduce((n, d) => n + d.count, 0);
  if (mismatches.length > 0)
    throw new KafkaDataMismatchError(mismatches, { manifest: path, partitions: expected.length });
  const summary = `all ${expected.length} partitions of ${topics.length} topics match ${path} (${messages} messages)`;
  return {
    changed: false,
    outputs: {
      ok: true,
      manifest: path,
      partitions: expected.length,
      messages,
      mismatches: [],
      digests: actual.slice(0, 500),
      summary,
    },
    summary,
  };
}
