/**
 * kafka.offsets-reset in every mode, on real data with known timestamps, checked against what
 * `kafka-consumer-groups --reset-offsets` computes for the same inputs (written out by hand below:
 * log start/end, committed offsets, first offset at or after a time, clamping to [start, end]).
 *
 * Layout: topic T, 3 partitions, 10 messages each; partition p's message i has timestamp
 * BASE + i * 1000 * (p + 1); records before offset 2 of partition 0 are deleted (log start 2).
 * Group G has committed p0 = 5 and p1 = 3, nothing on p2.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Consumer } from 'kafkajs';
import { uniqueName } from '../support/lab';
import { createTopic, dryRunThenExecute, kafkaHarness, produce } from '../support/kafka';
import { failureOf } from '../support/zk';

const store = mkdtempSync(join(tmpdir(), 'rekindle-offsets-test-'));
const h = kafkaHarness(store);
const T = uniqueName('offsets-t');
const U = uniqueName('offsets-u');
const BASE = Date.UTC(2026, 0, 15, 8, 0, 0, 0);
const NOW = Date.now();
const G = uniqueName('group-g');

/** `yyyy-MM-ddTHH:mm:ss.SSS` in UTC, without a zone. */
const utcText = (ms: number) => new Date(ms).toISOString().slice(0, -1);

type Row = { topic: string; partition: number; current: number | null; new: number };
const table = (r: { outputs: Record<string, unknown> }) =>
  (r.outputs.table as Row[]).map((x) => `${x.topic === T ? 'T' : 'U'}${x.partition}:${x.current ?? '-'}->${x.new}`);

async function committed(group: string, topic: string): Promise<Record<number, number>> {
  const admin = await h.admin();
  const [t] = await admin.fetchOffsets({ groupId: group, topics: [topic] });
  return Object.fromEntries(
    t.partitions.filter((p) => Number(p.offset) >= 0).map((p) => [p.partition, Number(p.offset)]),
  );
}

async function seedGroup(group: string): Promise<void> {
  const admin = await h.admin();
  await admin.setOffsets({
    groupId: group,
    topic: T,
    partitions: [
      { partition: 0, offset: '5' },
      { partition: 1, offset: '3' },
    ],
  });
}

beforeAll(async () => {
  const admin = await h.admin();
  await createTopic(admin, T, 3);
  await createTopic(admin, U, 1);
  const msgs = [];
  for (let p = 0; p < 3; p++)
    for (let i = 0; i < 10; i++)
      msgs.push({ partition: p, timestamp: BASE + i * 1000 * (p + 1), value: `p${p}-m${i}` });
  await produce(h.kafka(), T, msgs);
  // U: one message an hour, the last one hour ago.
  await produce(
    h.kafka(),
    U,
    Array.from({ length: 10 }, (_, i) => ({ partition: 0, timestamp: NOW - (10 - i) * 3_600_000, value: `u${i}` })),
  );
  await admin.deleteTopicRecords({ topic: T, partitions: [{ partition: 0, offset: '2' }] });
  await seedGroup(G);
});

afterAll(async () => {
  const admin = await h.admin();
  await admin.deleteTopics({ topics: [T, U] }).catch(() => undefined);
  await h.close();
});

describe('kafka.offsets-reset (dry-run) matches kafka-consumer-groups for every mode', () => {
  const at = (ms: number) => utcText(BASE + ms);
  test.each<[string, Record<string, unknown>, string[]]>([
    ['to-earliest', { mode: 'to-earliest' }, ['T0:5->2', 'T1:3->0', 'T2:-->0']],
    ['to-latest', { mode: 'to-latest' }, ['T0:5->10', 'T1:3->10', 'T2:-->10']],
    ['to-current (log end where nothing is committed)', { mode: 'to-current' }, ['T0:5->5', 'T1:3->3', 'T2:-->10']],
    [
      'to-offset inside the log, clamped up to the log start',
      { mode: 'to-offset', offset: 1 },
      ['T0:5->2', 'T1:3->1', 'T2:-->1'],
    ],
    [
      'to-offset past the end, clamped to the log end',
      { mode: 'to-offset', offset: 50 },
      ['T0:5->10', 'T1:3->10', 'T2:-->10'],
    ],
    ['shift-by forward', { mode: 'shift-by', shiftBy: 3, topics: [`${T}:0,1`] }, ['T0:5->8', 'T1:3->6']],
    ['shift-by backward, clamped', { mode: 'shift-by', shiftBy: -4, topics: [`${T}:0,1`] }, ['T0:5->2', 'T1:3->0']],
    ['shift-by past the end, clamped', { mode: 'shift-by', shiftBy: 100, topics: [`${T}:1`] }, ['T1:3->10']],
    [
      'to-datetime between messages, no zone means UTC',
      { mode: 'to-datetime', datetime: at(4500) },
      ['T0:5->5', 'T1:3->3', 'T2:-->2'],
    ],
    [
      'to-datetime exactly on a message',
      { mode: 'to-datetime', datetime: at(6000) },
      ['T0:5->6', 'T1:3->3', 'T2:-->2'],
    ],
    [
      'to-datetime with a +02:00 zone',
      { mode: 'to-datetime', datetime: `${utcText(BASE + 2 * 3_600_000 + 4500)}+02:00` },
      ['T0:5->5', 'T1:3->3', 'T2:-->2'],
    ],
    [
      'to-datetime with a -05:30 zone',
      { mode: 'to-datetime', datetime: `${utcText(BASE - 5.5 * 3_600_000 + 4500)}-05:30` },
      ['T0:5->5', 'T1:3->3', 'T2:-->2'],
    ],
    [
      'to-datetime with a -03 zone (hours only)',
      { mode: 'to-datetime', datetime: `${utcText(BASE - 3 * 3_600_000 + 4500)}-03` },
      ['T0:5->5', 'T1:3->3', 'T2:-->2'],
    ],
    [
      'to-offset below zero, clamped to the log start (as the tool)',
      { mode: 'to-offset', offset: -4 },
      ['T0:5->2', 'T1:3->0', 'T2:-->0'],
    ],
    [
      'to-datetime before every message: the log start',
      { mode: 'to-datetime', datetime: at(-60_000) },
      ['T0:5->2', 'T1:3->0', 'T2:-->0'],
    ],
    [
      'to-datetime after every message: the log end',
      { mode: 'to-datetime', datetime: at(3_600_000) },
      ['T0:5->10', 'T1:3->10', 'T2:-->10'],
    ],
  ])('%s', async (_label, inputs, expected) => {
    const r = await h.act('kafka.offsets-reset')(h.req({ groups: [G], topics: [T], ...inputs }));
    expect(r.changed).toBe(false);
    expect(r.outputs.dryRun).toBe(true);
    expect(table(r)).toEqual(expected);
  });

  test.each<[string, string, string[]]>([
    ['PT5H30M: the first message at or after now - 5h30m', 'PT5H30M', ['U0:-->5']],
    ['P1D: before every message, the first one', 'P1D', ['U0:-->0']],
    ['PT30M: no message that recent, the log end', 'PT30M', ['U0:-->10']],
    ['PT3H30M0.5S: fractional seconds', 'PT3H30M0.5S', ['U0:-->7']],
  ])('by-duration %s', async (_label, duration, expected) => {
    const r = await h.act('kafka.offsets-reset')(h.req({ groups: [G], topics: [U], mode: 'by-duration', duration }));
    expect(table(r)).toEqual(expected);
  });

  test('from-file: topic,partition,offset rows for one group, clamped', async () => {
    const file = join(store, 'reset.csv');
    writeFileSync(file, `${T},0,0\n${T},1,7\n${T},2,99\n`);
    const r = await h.act('kafka.offsets-reset')(h.req({ groups: [G], mode: 'from-file', file }));
    expect(table(r)).toEqual(['T0:5->2', 'T1:3->7', 'T2:-->10']);
  });

  test('from-file: group,topic,partition,offset rows apply to their group only; a later row wins', async () => {
    const file = join(store, 'reset-4col.csv');
    writeFileSync(file, `${G},${T},0,0\nother-group,${T},1,1\n${G},${T},1,9\n${G},${T},1,7\n`);
    const r = await h.act('kafka.offsets-reset')(h.req({ groups: [G], mode: 'from-file', file }));
    expect(table(r)).toEqual(['T0:5->2', 'T1:3->7']);
  });

  test('from-file without groups: the groups the file names', async () => {
    const file = join(store, 'reset-groups.csv');
    writeFileSync(file, `${G},${T},1,4\n`);
    const r = await h.act('kafka.offsets-reset')(h.req({ mode: 'from-file', file }));
    expect(r.outputs.groups).toEqual([G]);
    expect(table(r)).toEqual(['T1:3->4']);
  });

  test("without topics, resets the group's committed partitions only (--all-topics)", async () => {
    const r = await h.act('kafka.offsets-reset')(h.req({ groups: [G], mode: 'to-latest' }));
    expect(table(r)).toEqual(['T0:5->10', 'T1:3->10']);
  });

  test("prints kafka-consumer-groups --dry-run's columns, one row a line", async () => {
    const r = await h.act('kafka.offsets-reset')(h.req({ groups: [G], topics: [T], mode: 'to-earliest' }));
    const line = (a: string, b: string, c: string, d: string) =>
      `\n${a.padEnd(30)} ${b.padEnd(30)} ${c.padEnd(10)} ${d}`;
    const expected =
      line('GROUP', 'TOPIC', 'PARTITION', 'NEW-OFFSET') +
      line(G, T, '0', '2') +
      line(G, T, '1', '0') +
      line(G, T, '2', '0') +
      '\n';
    expect(r.outputs.text).toBe(expected);
  });
});

describe('kafka.offsets-reset --execute', () => {
  test('commits concrete offsets (never the -1/-2 sentinels); a second identical call changes nothing', async () => {
    const group = uniqueName('group-exec');
    await (
      await h.admin()
    ).setOffsets({
      groupId: group,
      topic: T,
      partitions: [
        { partition: 0, offset: '5' },
        { partition: 1, offset: '3' },
      ],
    });
    const dry = await h.act('kafka.offsets-reset')(h.req({ groups: [group], topics: [T], mode: 'to-latest' }));
    expect(dry.changed).toBe(false);
    expect(await committed(group, T)).toEqual({ 0: 5, 1: 3 });

    const { exec: run } = await dryRunThenExecute(h, { groups: [group], topics: [T], mode: 'to-earliest' });
    expect(run).toMatchObject({ changed: true, outputs: { changed: 3 } });
    expect(await committed(group, T)).toEqual({ 0: 2, 1: 0, 2: 0 });

    const { exec: again } = await dryRunThenExecute(h, { groups: [group], topics: [T], mode: 'to-earliest' });
    expect(again).toMatchObject({ changed: false, outputs: { changed: 0 } });
  });

  test('the run-level dry-run wins over dryRun: false', async () => {
    const group = uniqueName('group-dry');
    await seedGroup(group);
    const { exec: r } = await dryRunThenExecute(
      h,
      { groups: [group], topics: [T], mode: 'to-latest' },
      { dryRun: true },
    );
    expect(r.changed).toBe(false);
    expect(await committed(group, T)).toEqual({ 0: 5, 1: 3 });
  });
});

describe('kafka.offsets-reset refusals', () => {
  let consumer: Consumer | undefined;
  afterEach(async () => {
    await consumer?.disconnect().catch(() => undefined);
    consumer = undefined;
  });

  test('a group with active members is refused, in dry-run too (KAFKA_GROUP_NOT_EMPTY, non-retryable)', async () => {
    const group = uniqueName('group-busy');
    consumer = h.kafka().consumer({ groupId: group });
    await consumer.connect();
    await consumer.subscribe({ topics: [T] });
    await consumer.run({ eachMessage: async () => undefined });
    const deadline = Date.now() + 30_000;
    while ((await (await h.admin()).describeGroups([group])).groups[0].state !== 'Stable' && Date.now() < deadline)
      await new Promise((r) => setTimeout(r, 300));
    const f = await failureOf(
      h.act('kafka.offsets-reset')(h.req({ groups: [group], topics: [T], mode: 'to-earliest' })),
    );
    expect(f).toMatchObject({
      type: 'KAFKA_GROUP_NOT_EMPTY',
      retryable: false,
      details: { groupId: group, state: 'Stable', members: 1 },
    });
  });

  test.each<[string, Record<string, unknown>, string, boolean]>([
    [
      'shift-by on a partition with no committed offset',
      { mode: 'shift-by', shiftBy: 1, topics: [T] },
      'KAFKA_NO_COMMITTED_OFFSET',
      false,
    ],
    ['an unknown topic', { mode: 'to-earliest', topics: ['no-such-topic-rekindle'] }, 'KAFKA_UNKNOWN_TOPIC', false],
    ['an unknown partition', { mode: 'to-earliest', topics: [`${T}:7`] }, 'KAFKA_UNKNOWN_TOPIC', false],
    ['an unknown mode', { mode: 'to-somewhere', topics: [T] }, 'INVALID_INPUT', false],
    ['to-offset without offset', { mode: 'to-offset', topics: [T] }, 'INVALID_INPUT', false],
    [
      'a malformed datetime',
      { mode: 'to-datetime', datetime: '2026-13-01T00:00:00.000', topics: [T] },
      'INVALID_INPUT',
      false,
    ],
    ['a malformed duration', { mode: 'by-duration', duration: 'P1H', topics: [T] }, 'INVALID_INPUT', false],
    [
      'a negative duration (a time in the future)',
      { mode: 'by-duration', duration: '-PT1H', topics: [T] },
      'INVALID_INPUT',
      false,
    ],
    [
      'a datetime with two-digit milliseconds',
      { mode: 'to-datetime', datetime: '2026-01-15T08:00:00.50', topics: [T] },
      'INVALID_INPUT',
      false,
    ],
    [
      'a datetime with a ±hhmm zone',
      { mode: 'to-datetime', datetime: '2026-01-15T08:00:00.000+0230', topics: [T] },
      'INVALID_INPUT',
      false,
    ],
    [
      'a datetime with trailing text',
      { mode: 'to-datetime', datetime: '2026-01-15T08:00:00.000Z[UTC]', topics: [T] },
      'INVALID_INPUT',
      false,
    ],
    [
      'a datetime before 1970',
      { mode: 'to-datetime', datetime: '1969-12-31T23:59:59.998Z', topics: [T] },
      'INVALID_INPUT',
      false,
    ],
    ['a partition named twice', { mode: 'to-earliest', topics: [T, `${T}:0`] }, 'INVALID_INPUT', false],
    ['a missing offsets file', { mode: 'from-file', file: '/nonexistent/reset.csv' }, 'BACKUP_NOT_FOUND', false],
  ])('%s', async (_label, inputs, type, retryable) => {
    expect(await failureOf(h.act('kafka.offsets-reset')(h.req({ groups: [G], ...inputs })))).toMatchObject({
      type,
      retryable,
    });
  });

  test.each<[string, string, string[]]>([
    ['a negative offset', 'T,0,-1\n', [G]],
    ['a blank line between rows', 'T,0,1\n\nT,1,1\n', [G]],
    ['a comment line', '# restore\nT,0,1\n', [G]],
    ['3- and 4-column rows mixed', 'T,0,1\nG,T,1,1\n', [G]],
    ['3-column rows with several groups (the tool would misread them)', 'T,0,1\n', [G, 'other-group']],
  ])('an offsets file with %s is refused (INVALID_INPUT naming the file)', async (_label, csv, groups) => {
    const file = join(store, `${uniqueName('bad')}.csv`);
    writeFileSync(file, csv.replace(/\bT\b/g, T).replace(/\bG\b/g, G));
    const f = await failureOf(h.act('kafka.offsets-reset')(h.req({ groups, mode: 'from-file', file })));
    expect(f).toMatchObject({ type: 'INVALID_INPUT', retryable: false });
  });

  test('no broker answers: KAFKA_UNAVAILABLE, retryable', async () => {
    const inv = {
      ...h.inventory,
      kafka: { ...h.inventory.kafka, bootstrap: ['127.0.0.1:1'], adminBootstrap: ['127.0.0.1:1'] },
    };
    expect(
      await failureOf(h.act('kafka.offsets-reset')(h.req({ groups: [G], mode: 'to-earliest' }, {}, inv))),
    ).toMatchObject({ type: 'KAFKA_UNAVAILABLE', retryable: true });
  });
});
