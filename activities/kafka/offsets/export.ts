/**
 * `kafka.offsets-export`: committed offsets of consumer groups as CSV `group,topic,partition,offset`
 * (the multi-group form `kafka-consumer-groups --reset-offsets --from-file` reads). Written to the
 * backup store; rewriting identical content reports `changed: false`.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import type { Admin } from 'kafkajs';
import type { ActionRequest } from '../../../compiler/plan';
import type { ActionContext } from '../../errors';
import type { KafkaDeps } from '../deps';
import { mapKafkaError } from '../errors';
import type { ActionInputs, ResultOf } from '../../../compiler/actions';
import { kafkaInventory, stepFileName, storeDir, storePath } from '../inputs';

export interface CommittedOffset {
  group: string;
  topic: string;
  partition: number;
  offset: number;
}

/** Committed offsets (offset >= 0) of the groups, sorted; every group when `groups` is undefined. */
export async function committedOffsets(admin: Admin, groups?: string[]): Promise<CommittedOffset[]> {
  const ids = groups ?? (await admin.listGroups()).groups.map((g) => g.groupId).sort();
  const out: CommittedOffset[] = [];
  for (const group of ids) {
    for (const t of await admin.fetchOffsets({ groupId: group })) {
      for (const p of t.partitions)
        if (Number(p.offset) >= 0)
          out.push({ group, topic: t.topic, partition: p.partition, offset: Number(p.offset) });
    }
  }
  return out.sort(
    (a, b) => a.group.localeCompare(b.group) || a.topic.localeCompare(b.topic) || a.partition - b.partition,
  );
}

/** The action. Inputs: `groups` (default every group), `destination` (default `<store>/offsets/<workflow>-<step>.csv`). */
export async function kafkaOffsetsExport(
  deps: KafkaDeps,
  inp: ActionInputs<'kafka.offsets-export'>,
  request: ActionRequest,
  _ctx: ActionContext,
): Promise<ResultOf<'kafka.offsets-export'>> {
  const kafka = kafkaInventory(request);
  const groups = inp.groups;
  const dest = inp.destination;
  const path = dest
    ? storePath(request, dest, deps.backupStore)
    : join(storeDir(request, deps.backupStore), 'offsets', `${stepFileName(request)}.csv`);
  const admin = await deps.pool.admin(kafka.bootstrap);
  const rows = await committedOffsets(admin, groups).catch((err) => Promise.reject(mapKafkaError(err)));
  const csv = rows.map((r) => `${r.group},${r.topic},${r.partition},${r.offset}\n`).join('');
  const before = await readFile(path, 'utf8').catch(() => undefined);
  if (before !== csv) {
    await mkdir(dirname(path), { recursive: true });
    await writeFile(path, csv);
  }
  const exported = [...new Set(rows.map((r) => r.group))];
  return {
    changed: before !== csv,
    outputs: { path, groups: groups ?? exported, rows: rows.length, offsets: rows.slice(0, 1000) },
    summary: `${rows.length} committed offsets of ${exported.length} group(s) in ${path}`,
  };
}
