/**
 * backup.select refuses a damaged set (files that do not match the manifest, an unreadable manifest, a
 * manifest that is not the one its backup run recorded) with the reason, and with `latest` falls back to
 * the previous consistent set and says so. It never picks another cluster's set from a shared store.
 * Sets are written by hand into a temporary local store; the backup runs' records are a map (the real
 * lookup through Temporal history is tested on the lab in test/integration/backup-trust.test.ts).
 */
import { createHash } from 'node:crypto';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
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

/** What each backup run recorded: set id → manifest SHA-256 (the backup.create output in its history). */
const recorded = new Map<string, string>();

type Damage = 'flip' | 'truncate' | 'missing' | 'manifest' | 'tamper' | 'unrecorded';

/** A consistent set at `hh:mm` (ZooKeeper and Kafka parts together); `damage` then breaks it. */
function writeSet(
  dir: string,
  id: string,
  at: string,
  damage?: Damage,
  owner = { cluster: 'lab', clusterId: 'x' },
): void {
  const setDir = join(dir, id);
  mkdirSync(setDir, { recursive: true });
  const files = { 'zookeeper.json': `{"zk":"${id}"}`, 'kafka-1.tar': `log data of ${id}`.repeat(20) };
  const time = `2026-01-01T${at}:00Z`;
  const manifest = {
    format: 'rekindle-backup/1',
    id,
    ...owner,
    createdAt: time,
    completedAt: time,
    createdBy: { workflowId: 'w', stepId: id },
    zookeeper: { file: 'zookeeper.json', sha256: sha(files['zookeeper.json']), exportedAt: time },
    kafka: { window: 'cold', startedAt: time, finishedAt: time, brokers: [] },
    files: Object.entries(files).map(([path, text]) => ({ path, sha256: sha(text), bytes: Buffer.byteLength(text) })),
  };
  for (const [path, text] of Object.entries(files)) writeFileSync(join(setDir, path), text);
  writeFileSync(join(setDir, 'manifest.json'), JSON.stringify(manifest));
  if (damage === 'unrecorded') recorded.delete(id);
  else recorded.set(id, sha(JSON.stringify(manifest)));
  // Whoever can write the store rewrites the manifest to match altered data: its files check, its hash does not.
  if (damage === 'tamper')
    writeFileSync(join(setDir, 'manifest.json'), JSON.stringify({ ...manifest, label: 'rewritten' }));
  const tar = join(setDir, 'kafka-1.tar');
  if (damage === 'flip') writeFileSync(tar, files['kafka-1.tar'].replace('log', 'LOG'));
  if (damage === 'truncate') writeFileSync(tar, 'short');
  if (damage === 'missing') rmSync(tar);
  if (damage === 'manifest') writeFileSync(join(setDir, 'manifest.json'), '{ not json');
}

function select(dir: string, inputs: Record<string, unknown>) {
  const deps = {
    store: () => new LocalBackupStore(dir),
    clusterId: async () => 'x',
    recordedManifestHash: async (_by: unknown, id: string) => recorded.get(id),
  } as unknown as BackupDeps;
  const req = {
    workflowId: 'w',
    stepId: 's',
    mode: 'drill',
    dryRun: false,
    inputs: { maxSkew: '5m', ...inputs },
    inventory: { cluster: 'lab' },
  } as unknown as ActionRequest;
  return runAction(backupSelect(deps), () => detachedContext())(req);
}

describe('backup.select and damaged sets', () => {
  it.each([
    ['a flipped byte', 'flip' as const, /kafka-1\.tar has SHA-256 .* the manifest records/],
    ['a truncated file', 'truncate' as const, /kafka-1\.tar has 5 bytes, the manifest records \d+/],
    ['a missing file', 'missing' as const, /kafka-1\.tar is missing/],
    ['an unreadable manifest', 'manifest' as const, /manifest of .* is unreadable/],
    ['a rewritten manifest', 'tamper' as const, /backup run w recorded .*: the backup store was altered/],
    ['a manifest no backup run recorded', 'unrecorded' as const, /no recorded hash for the manifest/],
  ])(
    'latest: refuses the newest set with %s, says why, and falls back to the previous consistent set',
    async (_l, damage, reason) => {
      const dir = store();
      writeSet(dir, '20260101T1000-a', '10:00');
      writeSet(dir, '20260101T1100-b', '11:00', damage);
      const r = await select(dir, {});
      expect(r.outputs.backupSet).toBe('20260101T1000-a');
      expect(r.outputs.fallback).toBe(true);
      expect(r.outputs.refused).toEqual([
        {
          backupSet: '20260101T1100-b',
          reason: expect.stringMatching(reason),
          code: expect.stringMatching(/^BACKUP_/),
        },
      ]);
      expect(r.summary).toMatch(/REFUSED newer set 20260101T1100-b \(.*\): fell back to the previous consistent set/);
    },
  );

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
    [
      'every set is damaged',
      [
        ['20260101T1000-a', '10:00', 'missing'],
        ['20260101T1100-b', '11:00', 'flip'],
      ],
      {},
    ],
    [
      'the named set is damaged (no fallback to another)',
      [
        ['20260101T1000-a', '10:00'],
        ['20260101T1100-b', '11:00', 'flip'],
      ],
      { backupSet: '20260101T1100-b' },
    ],
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

  it.each([
    ['rewritten manifest', 'tamper' as const, {}, 'BACKUP_MANIFEST_TAMPERED'],
    ['manifest no backup run recorded', 'unrecorded' as const, {}, 'BACKUP_MANIFEST_UNRECORDED'],
    [
      'manifest whose hash differs from the manifestSha256 input',
      undefined,
      { manifestSha256: 'a'.repeat(64) },
      'BACKUP_MANIFEST_TAMPERED',
    ],
  ])('the named set with a %s is refused with its own type, non-retryable', async (_l, damage, inputs, type) => {
    const dir = store();
    writeSet(dir, '20260101T1000-a', '10:00');
    writeSet(dir, '20260101T1100-b', '11:00', damage);
    const err = await select(dir, { backupSet: '20260101T1100-b', ...inputs }).then(
      () => undefined,
      (e: unknown) => e,
    );
    expect(err).toMatchObject({ type, nonRetryable: true });
  });

  it('the named set with the right manifestSha256 input is chosen without any recorded hash, and outputs it', async () => {
    const dir = store();
    writeSet(dir, '20260101T1100-b', '11:00', 'unrecorded');
    const hash = sha(readFileSync(join(dir, '20260101T1100-b', 'manifest.json'), 'utf8'));
    const r = await select(dir, { backupSet: '20260101T1100-b', manifestSha256: hash });
    expect(r.outputs).toMatchObject({ backupSet: '20260101T1100-b', manifestSha256: hash });
  });

  it.each([
    ['another cluster name', { cluster: 'other', clusterId: 'x' }],
    ['another cluster id', { cluster: 'lab', clusterId: 'y' }],
  ])(
    'a shared store: the newer set of %s is never picked by latest, and naming it is BACKUP_OTHER_CLUSTER',
    async (_l, owner) => {
      const dir = store();
      writeSet(dir, '20260101T1000-a', '10:00');
      writeSet(dir, '20260101T1100-b', '11:00', undefined, owner);
      const r = await select(dir, {});
      expect(r.outputs).toMatchObject({ backupSet: '20260101T1000-a', otherClusters: 1, fallback: false });
      const err = await select(dir, { backupSet: '20260101T1100-b' }).then(
        () => undefined,
        (e: unknown) => e,
      );
      expect(err).toMatchObject({ type: 'BACKUP_OTHER_CLUSTER', nonRetryable: true });
    },
  );

  it.each([
    [{ before: '2026-01-01T11:00:00Z', maxSkew: '1m' }, 'a-kafka-only', 'b-zk-near', 30_000],
    [{ backupSet: 'a-kafka-only', maxSkew: '1m' }, 'a-kafka-only', 'b-zk-near', 30_000],
  ])('%j picks Kafka %s with ZooKeeper %s', async (inputs, kafkaSet, zkSet, skew) => {
    const dir = timedStore();
    const r = await select(dir, inputs);
    expect(r.outputs).toMatchObject({ backupSet: kafkaSet, zookeeper: { backupSet: zkSet }, skewMs: skew });
  });

  it.each([
    [{ maxSkew: '10m' }, 'BACKUP_SETS_OUT_OF_SYNC'], // latest = d-both (12:30) vs nearest ZooKeeper 12:00
    [{ maxSkew: '31m' }, null], // the runbook's maxSkew parameter decides, not a fixed 5m
    [{ backupSet: 'nope' }, 'BACKUP_NOT_FOUND'],
    [{ before: '2020-01-01T00:00:00Z' }, 'BACKUP_NOT_FOUND'],
    [{ before: 'yesterday' }, 'INVALID_INPUT'],
    [{ maxSkew: 'lots' }, 'INVALID_INPUT'],
  ])('%j fails with %s (non-retryable)', async (inputs, type) => {
    const r = await select(timedStore(), inputs).then(
      (ok) => ({ ok }),
      (e: unknown) => ({ e }),
    );
    if (type === null) expect(r).toMatchObject({ ok: { outputs: { backupSet: 'd-both', skewMs: 30 * 60_000 } } });
    else expect(r).toMatchObject({ e: { type, nonRetryable: true } });
  });
});

/** Sets whose ZooKeeper and Kafka parts lie apart in time (for choosing the closest pair). */
function timedStore(): string {
  const dir = store();
  const set = (id: string, zkAt?: string, kafkaFrom?: string, kafkaTo?: string) => {
    mkdirSync(join(dir, id), { recursive: true });
    const m = {
      format: 'rekindle-backup/1',
      id,
      cluster: 'lab',
      clusterId: 'x',
      createdAt: zkAt ?? kafkaFrom,
      completedAt: kafkaTo ?? zkAt,
      createdBy: { workflowId: 'w', stepId: id },
      ...(zkAt ? { zookeeper: { file: 'zookeeper.json', sha256: '0', exportedAt: zkAt } } : {}),
      ...(kafkaFrom ? { kafka: { window: 'cold', startedAt: kafkaFrom, finishedAt: kafkaTo, brokers: [] } } : {}),
      files: [],
    };
    writeFileSync(join(dir, id, 'manifest.json'), JSON.stringify(m));
    recorded.set(id, sha(JSON.stringify(m)));
  };
  set('a-kafka-only', undefined, '2026-01-01T10:00:00Z', '2026-01-01T10:02:00Z'); // kafka time 10:01
  set('b-zk-near', '2026-01-01T10:01:30Z');
  set('c-zk-far', '2026-01-01T12:00:00Z');
  set('d-both', '2026-01-01T12:00:00Z', '2026-01-01T12:30:00Z', '2026-01-01T12:30:00Z');
  return dir;
}
