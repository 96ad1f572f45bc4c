/**
 * kafka.offsets-reset's execute commits without joining the group (OffsetCommit with generation -1 and
 * no member id, as the tool's AdminClient), proven from what the coordinator wrote to __consumer_offsets:
 * offset commits and no group-metadata record (no member joined, the generation never moved). kafkajs's
 * setOffsets, which joins, is the control that shows the check can fail. Also: two executes at once, a
 * member arriving between the state check and the commit, and the open-transaction table.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Consumer, Transaction } from 'kafkajs';
import { commitWithoutJoining } from '../../activities/kafka/protocol';
import { groupLog } from '../support/group-log';
import { createTopic, dryRunThenExecute, kafkaHarness, produce } from '../support/kafka';
import { uniqueName } from '../support/lab';
import { failureOf } from '../support/zk';

const h = kafkaHarness(mkdtempSync(join(tmpdir(), 'rekindle-commit-test-')));
const T = uniqueName('commit-t');
const X = uniqueName('commit-txn');
const reset = (inputs: Record<string, unknown>) => h.act('kafka.offsets-reset')(h.req(inputs));

async function committed(group: string, topic: string): Promise<Record<number, number>> {
  const [t] = await (await h.admin()).fetchOffsets({ groupId: group, topics: [topic] });
  return Object.fromEntries(
    t.partitions.filter((p) => Number(p.offset) >= 0).map((p) => [p.partition, Number(p.offset)]),
  );
}

async function stableMember(group: string): Promise<Consumer> {
  const consumer = h.kafka().consumer({ groupId: group });
  await consumer.connect();
  await consumer.subscribe({ topics: [T] });
  await consumer.run({ eachMessage: async () => undefined });
  const deadline = Date.now() + 30_000;
  while ((await (await h.admin()).describeGroups([group])).groups[0].state !== 'Stable' && Date.now() < deadline)
    await new Promise((r) => setTimeout(r, 300));
  return consumer;
}

let openTxn: Transaction | undefined;
const closers: Array<() => Promise<unknown>> = [];

beforeAll(async () => {
  const admin = await h.admin();
  await createTopic(admin, T, 3);
  await createTopic(admin, X, 2);
  await produce(
    h.kafka(),
    T,
    Array.from({ length: 30 }, (_, i) => ({ partition: i % 3, timestamp: Date.now() - 60_000, value: `m${i}` })),
  );
  // one committed transaction of 3 records (offsets 0-2, marker 3), then an open one of 2 (4-5).
  const producer = h.kafka().producer({
    transactionalId: uniqueName('commit-txn'),
    idempotent: true,
    maxInFlightRequests: 1,
    transactionTimeout: 600_000,
  });
  await producer.connect();
  const done = await producer.transaction();
  await done.send({ topic: X, messages: [0, 1, 2].map((i) => ({ partition: 0, value: `c${i}` })) });
  await done.commit();
  openTxn = await producer.transaction();
  await openTxn.send({ topic: X, messages: [0, 1].map((i) => ({ partition: 0, value: `o${i}` })) });
  closers.push(async () => {
    await openTxn?.abort().catch(() => undefined);
    await producer.disconnect();
  });
}, 120_000);

afterAll(async () => {
  for (const c of closers) await c().catch(() => undefined);
  await (await h.admin()).deleteTopics({ topics: [T, X] }).catch(() => undefined);
  await h.close();
});

describe('execute commits without joining the group', () => {
  test('offsets committed; no member ever joined and the generation never moved (setOffsets, which joins, does)', async () => {
    const group = uniqueName('group-nojoin');
    const joined = uniqueName('group-joined');
    const { exec: r } = await dryRunThenExecute(h, { groups: [group], topics: [T], mode: 'to-offset', offset: 4 });
    expect(r).toMatchObject({ changed: true, outputs: { changed: 3 } });
    expect(await committed(group, T)).toEqual({ 0: 4, 1: 4, 2: 4 });
    const [desc] = (await (await h.admin()).describeGroups([group])).groups;
    expect(desc).toMatchObject({ state: 'Empty', protocolType: '', members: [] });

    await (await h.admin()).setOffsets({ groupId: joined, topic: T, partitions: [{ partition: 0, offset: '4' }] });
    const [mine, control] = [
      await groupLog(h.kafka(), await h.admin(), group),
      await groupLog(h.kafka(), await h.admin(), joined),
    ];
    expect(mine).toEqual({ commits: 3, generations: [] });
    expect(control.commits).toBe(1);
    expect(control.generations.length).toBeGreaterThan(0);
    expect(Math.max(...control.generations)).toBeGreaterThanOrEqual(1);
  }, 120_000);

  test('two executes of one plan at once on the same group: both succeed, on the same offsets, without a join', async () => {
    const group = uniqueName('group-twice');
    const dry = await reset({ groups: [group], topics: [T], mode: 'to-earliest' });
    const inputs = { plan: dry.outputs.plan, dryRun: false };
    const [a, b] = await Promise.all([reset(inputs), reset(inputs)]);
    // Each either committed the approved rows or found them already committed by the other: never anything else.
    for (const r of [a, b]) expect(Number(r.outputs.applied) + Number(r.outputs.alreadyApplied)).toBe(3);
    expect(a.changed || b.changed).toBe(true);
    expect(await committed(group, T)).toEqual({ 0: 0, 1: 0, 2: 0 });
    const log = await groupLog(h.kafka(), await h.admin(), group);
    expect(log.generations).toEqual([]);
    expect([3, 6]).toContain(log.commits);
  }, 120_000);

  test('a group with a member: execute refused before anything is committed, and the coordinator refuses a late commit', async () => {
    const group = uniqueName('group-member');
    const dry = await reset({ groups: [group], topics: [T], mode: 'to-latest' });
    const consumer = await stableMember(group);
    closers.push(() => consumer.disconnect());
    const before = await committed(group, T);
    const f = await failureOf(reset({ plan: dry.outputs.plan, dryRun: false }));
    expect(f).toMatchObject({ type: 'KAFKA_GROUP_NOT_EMPTY', retryable: false });
    expect(await committed(group, T)).toEqual(before);
    // A member that joins after the state check: the coordinator itself refuses the generation -1 commit.
    const cluster = await h.pool.cluster(h.inventory.kafka.adminBootstrap ?? h.inventory.kafka.bootstrap);
    await expect(commitWithoutJoining(cluster, group, [{ topic: T, partition: 0, offset: 1 }])).rejects.toMatchObject({
      code: 'KAFKA_GROUP_NOT_EMPTY',
    });
    expect(await committed(group, T)).toEqual(before);
  }, 120_000);

  test('dry-run (the default, and what a rejected approval leaves) commits nothing', async () => {
    const group = uniqueName('group-said-no');
    await dryRunThenExecute(h, { groups: [group], topics: [T], mode: 'to-offset', offset: 2 });
    const r = await reset({ groups: [group], topics: [T], mode: 'to-latest' });
    expect(r).toMatchObject({ changed: false, outputs: { dryRun: true, changed: 3 } });
    expect(await committed(group, T)).toEqual({ 0: 2, 1: 2, 2: 2 });
  });
});

describe('open transactions', () => {
  type Row = { partition: number; new: number; highWatermark: number; lastStableOffset: number };

  test('the table shows the high watermark and the last stable offset where they differ', async () => {
    const group = uniqueName('group-txn');
    const r = await reset({ groups: [group], topics: [X], mode: 'to-latest' });
    const rows = r.outputs.table as Row[];
    expect(rows.map((x) => [x.partition, x.new, x.highWatermark, x.lastStableOffset])).toEqual([
      [0, 6, 6, 4],
      [1, 0, 0, 0],
    ]);
    const lines = (r.outputs.text as string).split('\n').filter(Boolean);
    expect(lines[0]).toMatch(/^GROUP\s+TOPIC\s+PARTITION\s+NEW-OFFSET\s+HIGH-WATERMARK\s+LAST-STABLE-OFFSET$/);
    expect(lines[1].split(/\s+/)).toEqual([group, X, '0', '6', '6', '4']);
    expect(lines[2].split(/\s+/)).toEqual([group, X, '1', '0']);
  });

  test.each([
    ['read_uncommitted (the default, as the tool): the high watermark', undefined, 6],
    ['read_committed: the last stable offset', 'read_committed', 4],
  ])('to-latest with %s', async (_label, isolationLevel, expected) => {
    const group = uniqueName('group-iso');
    const r = await reset({
      groups: [group],
      topics: [`${X}:0`],
      mode: 'to-latest',
      ...(isolationLevel ? { isolationLevel } : {}),
    });
    expect((r.outputs.table as Row[])[0].new).toBe(expected);
    expect(r.outputs.isolationLevel).toBe(isolationLevel ?? 'read_uncommitted');
  });

  test('to-offset past the last stable offset is clamped to it under read_committed, to the high watermark otherwise', async () => {
    const group = uniqueName('group-clamp');
    const at = async (isolationLevel: string) =>
      (
        (await reset({ groups: [group], topics: [`${X}:0`], mode: 'to-offset', offset: 100, isolationLevel })).outputs
          .table as Row[]
      )[0].new;
    expect([await at('read_uncommitted'), await at('read_committed')]).toEqual([6, 4]);
  });

  test('an unknown isolation level is refused at the door', async () => {
    expect(
      await failureOf(
        reset({ groups: [uniqueName('g')], topics: [X], mode: 'to-latest', isolationLevel: 'serializable' }),
      ),
    ).toMatchObject({ type: 'INVALID_INPUT', retryable: false });
  });
});
