/**
 * backup.select refuses a damaged set (files that do not match the manifest, an unreadable manifest)
 * with the reason, and with `latest` falls back to the previous consistent set and says so. Sets are
 * written by hand into a temporary local store; no lab needed.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { ActionRequest } from '../../../compiler/plan';
import { backupSelect } from '../../../activities/backup/select';
import { LocalBackupStore } from '../../../activities/backup/store';
import type { BackupDeps } from '../../../activities/backup/deps';
import { detachedContext, runAction } from '../../../activities/errors';

const sha = (s: string) => createHash('sha256').update(s).digest('hex');

function store(): string {
  return mkdtempSync(join(tmpdir(), 'rekindle-select-integrity-'));
}

/** A consistent set at `hh:mm` (ZooKeeper and Kafka parts together); `damage` then breaks it. */
function writeSet(dir: string, id: string, at: string, damage?: 'flip' | 'truncate' | 'missing' | 'manifest'): void {
  const setDir = join(dir, id);
  mkdirSync(setDir, { recursive: true });
  const files = { 'zookeeper.json': `{"zk":"${id}"}`, 'kafka-1.tar': `log data of ${id}`.repeat(20) };
  const time = `2026-01-01T${at}:00Z`;
  const manifest = {
    format: 'rekindle-backup/1',
    id,
    cluster: 'lab',
    clusterId: 'x',
    createdAt: time,
    completedAt: time,
    createdBy: { workflowId: 'w', stepId: id },
    zookeeper: { file: 'zookeeper.json', sha256: sha(files['zookeeper.json']), exportedAt: time },
    kafka: { window: 'cold', startedAt: time, finishedAt: time, brokers: [] },
    files: Object.entries(files).map(([path, text]) => ({ path, sha256: sha(text), bytes: Buffer.byteLength(text) })),
  };
  for (const [path, text] of Object.entries(files)) writeFileSync(join(setDir, path), text);
  writeFileSync(join(setDir, 'manifest.json'), JSON.stringify(manifest));
  const tar = join(setDir, 'kafka-1.tar');
  if (damage === 'flip') writeFileSync(tar, files['kafka-1.tar'].replace('log', 'LOG'));
  if (damage === 'truncate') writeFileSync(tar, 'short');
  if (damage === 'missing') rmSync(tar);
  if (damage === 'manifest') writeFileSync(join(setDir, 'manifest.json'), '{ not json');
}

function select(dir: string, inputs: Record<string, unknown>) {
  const deps = { store: () => new LocalBackupStore(dir) } as unknown as BackupDeps;
  const req = { workflowId: 'w', stepId: 's', mode: 'drill', dryRun: false, inputs: { maxSkew: '5m', ...inputs }, inventory: {} } as unknown as ActionRequest;
  return runAction(backupSelect(deps), () => detachedContext())(req);
}

describe('backup.select and damaged sets', () => {
  it.each([
    ['a flipped byte', 'flip' as const, /kafka-1\.tar has SHA-256 .* the manifest records/],
    ['a truncated file', 'truncate' as const, /kafka-1\.tar has 5 bytes, the manifest records \d+/],
    ['a missing file', 'missing' as const, /kafka-1\.tar is missing/],
    ['an unreadable manifest', 'manifest' as const, /manifest of .* is unreadable/],
  ])('latest: refuses the newest set with %s, says why, and falls back to the previous consistent set', async (_l, damage, reason) => {
    const dir = store();
    writeSet(dir, '20260101T1000-a', '10:00');
    writeSet(dir, '20260101T1100-b', '11:00', damage);
    const r = await select(dir, {});
    expect(r.outputs.backupSet).toBe('20260101T1000-a');
    expect(r.outputs.fallback).toBe(true);
    expect(r.outputs.refused).toEqual([{ backupSet: '20260101T1100-b', reason: expect.stringMatching(reason) }]);
    expect(r.summary).toMatch(/REFUSED newer set 20260101T1100-b \(.*\): fell back to the previous consistent set/);
  });

  it('a consistent newest set is chosen with no refusal', async () => {
    const dir = store();
    writeSet(dir, '20260101T1000-a', '10:00', 'flip');
    writeSet(dir, '20260101T1100-b', '11:00');
    const r = await select(dir, {});
    expect(r.outputs).toMatchObject({ backupSet: '20260101T1100-b', fallback: false, refused: [] });
    expect(r.summary).not.toContain('REFUSED');
  });

  it.each([
    ['the only set is damaged (no fallback)', [['20260101T1100-b', '11:00', 'flip']], {}],
    ['every set is damaged', [['20260101T1000-a', '10:00', 'missing'], ['20260101T1100-b', '11:00', 'flip']], {}],
    ['the named set is damaged (no fallback to another)', [['20260101T1000-a', '10:00'], ['20260101T1100-b', '11:00', 'flip']], { backupSet: '20260101T1100-b' }],
  ] as const)('%s: refused with BACKUP_CORRUPT and the reason, non-retryable', async (_l, sets, inputs) => {
    const dir = store();
    for (const [id, at, damage] of sets) writeSet(dir, id, at, damage as 'flip' | undefined);
    const err = (await select(dir, inputs).then(
      () => undefined,
      (e: unknown) => e,
    )) as { type?: string; nonRetryable?: boolean; message?: string };
    expect(err).toMatchObject({ type: 'BACKUP_CORRUPT', nonRetryable: true });
    expect(err.message).toMatch(/no consistent backup set to restore from; refused 20260101T1100-b: kafka-1\.tar/);
  });
});
