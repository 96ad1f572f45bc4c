/**
 * kafka.offsets-reset applies exactly the approved dry run, on the lab's real Kafka: an execute takes the
 * dry run's plan and commits its rows, refuses (OFFSETS_DRIFTED, naming the partitions, nothing committed)
 * when the committed offsets or the log moved under it, treats rows already at their approved offset as
 * done (a retry after success, shift-by included), and refuses plans it may not apply: another cluster's,
 * another run's, a tampered file, or groups and topics outside the table (OFFSETS_PLAN_MISMATCH).
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createTopic, kafkaHarness, produce } from '../support/kafka';
import { uniqueName } from '../support/lab';
import { failureOf } from '../support/zk';

const store = mkdtempSync(join(tmpdir(), 'rekindle-plan-test-'));
const h = kafkaHarness(store);
const T = uniqueName('plan-t');
const U = uniqueName('plan-u');
const reset = (inputs: Record<string, unknown>, workflowId = 'kafka-test') =>
  h.act('kafka.offsets-reset')(h.req(inputs, { workflowId }));

type PlanRef = { path: string; sha256: string; rows: number; changed: number };

async function committed(group: string, topic = T): Promise<Record<number, number>> {
  const [t] = await (await h.admin()).fetchOffsets({ groupId: group, topics: [topic] });
  return Object.fromEntries(
    t.partitions.filter((p) => Number(p.offset) >= 0).map((p) => [p.partition, Number(p.offset)]),
  );
}

async function commit(group: string, offsets: Record<number, number>, topic = T): Promise<void> {
  const partitions = Object.entries(offsets).map(([partition, offset]) => ({
    partition: Number(partition),
    offset: String(offset),
  }));
  await (await h.admin()).setOffsets({ groupId: group, topic, partitions });
}

async function dryRun(inputs: Record<string, unknown>): Promise<PlanRef> {
  const r = await reset(inputs);
  return r.outputs.plan as PlanRef;
}

const send = (topic: string, n: number, partitions: number) =>
  produce(
    h.kafka(),
    topic,
    Array.from({ length: n }, (_, i) => ({ partition: i % partitions, timestamp: Date.now(), value: `v${i}` })),
  );

beforeAll(async () => {
  const admin = await h.admin();
  await createTopic(admin, T, 3);
  await createTopic(admin, U, 1);
  await send(T, 30, 3);
  await send(U, 5, 1);
}, 120_000);

afterAll(async () => {
  await (await h.admin()).deleteTopics({ topics: [T, U] }).catch(() => undefined);
  await h.close();
});

describe('an unchanged table applies exactly', () => {
  test('to-latest commits the approved log end even after more messages arrive (no drift between dry run and execute)', async () => {
    const group = uniqueName('plan-latest');
    await commit(group, { 0: 1, 1: 1, 2: 1 });
    const plan = await dryRun({ groups: [group], topics: [T], mode: 'to-latest' });
    const approved = JSON.parse(readFileSync(plan.path, 'utf8')).rows.map((r: { new: number }) => r.new);
    await send(T, 9, 3);
    const r = await reset({ plan, dryRun: false });
    expect(r).toMatchObject({ changed: true, outputs: { applied: 3, alreadyApplied: 0 } });
    expect(Object.values(await committed(group))).toEqual(approved);
  }, 120_000);

  test('shift-by applied, then retried (decide retry): the retry is a no-op, never a second shift', async () => {
    const group = uniqueName('plan-shift');
    await commit(group, { 0: 2, 1: 3, 2: 4 });
    const plan = await dryRun({ groups: [group], topics: [T], mode: 'shift-by', shiftBy: 2 });
    const first = await reset({ plan, dryRun: false });
    const retry = await reset({ plan, dryRun: false });
    expect(first).toMatchObject({ changed: true, outputs: { applied: 3 } });
    expect(retry).toMatchObject({ changed: false, outputs: { applied: 0, alreadyApplied: 3 } });
    expect(await committed(group)).toEqual({ 0: 4, 1: 5, 2: 6 });
  }, 120_000);

  test('a retry after a partial apply commits only the rest', async () => {
    const [g1, g2] = [uniqueName('plan-part-a'), uniqueName('plan-part-b')];
    await commit(g1, { 0: 0, 1: 0, 2: 0 });
    await commit(g2, { 0: 0, 1: 0, 2: 0 });
    const plan = await dryRun({ groups: [g1, g2], topics: [T], mode: 'to-offset', offset: 3 });
    await commit(g1, { 0: 3, 1: 3, 2: 3 }); // as if the first attempt died after committing g1
    const r = await reset({ plan, dryRun: false });
    expect(r.outputs).toMatchObject({ applied: 3, alreadyApplied: 3 });
    expect([await committed(g1), await committed(g2)]).toEqual([
      { 0: 3, 1: 3, 2: 3 },
      { 0: 3, 1: 3, 2: 3 },
    ]);
  }, 120_000);
});

describe('drift is refused, naming the partitions, with nothing committed', () => {
  test('a committed offset changed between the dry run and the execute', async () => {
    const group = uniqueName('plan-moved');
    await commit(group, { 0: 1, 1: 1, 2: 1 });
    const plan = await dryRun({ groups: [group], topics: [T], mode: 'to-earliest' });
    await commit(group, { 1: 7 });
    const f = await failureOf(reset({ plan, dryRun: false }));
    expect(f).toMatchObject({ type: 'OFFSETS_DRIFTED', retryable: false });
    expect(f.message).toContain(`${group} ${T}-1 (committed 7, the approved table saw 1)`);
    expect(f.message).not.toContain(`${T}-0`);
    expect(await committed(group)).toEqual({ 0: 1, 1: 7, 2: 1 });
  }, 120_000);

  test('the log start moved past the approved offset (records deleted): the tool would clamp, so refused', async () => {
    const group = uniqueName('plan-deleted');
    await commit(group, { 0: 5 }, U);
    const plan = await dryRun({ groups: [group], topics: [U], mode: 'to-earliest' });
    await (await h.admin()).deleteTopicRecords({ topic: U, partitions: [{ partition: 0, offset: '2' }] });
    const f = await failureOf(reset({ plan, dryRun: false }));
    expect(f).toMatchObject({ type: 'OFFSETS_DRIFTED', retryable: false });
    expect(f.message).toContain(`${U}-0 (approved offset 0 is outside the log now [2,`);
    expect(await committed(group, U)).toEqual({ 0: 5 });
  }, 120_000);
});

describe('a plan the step may not apply is refused (OFFSETS_PLAN_MISMATCH), before anything is committed', () => {
  let plan: PlanRef;
  const group = uniqueName('plan-scope');
  beforeAll(async () => {
    await commit(group, { 0: 2, 1: 2, 2: 2 });
    plan = await dryRun({ groups: [group], topics: [T], mode: 'to-earliest' });
  }, 120_000);

  const tampered = () => {
    const copy = join(dirname(plan.path), '..', `kafka-test-${uniqueName('forged')}`, 'plan.json');
    mkdirSync(dirname(copy), { recursive: true });
    const doc = JSON.parse(readFileSync(plan.path, 'utf8'));
    doc.rows[0].new = 9;
    writeFileSync(copy, JSON.stringify(doc));
    return { ...plan, path: copy };
  };
  const otherRun = () => {
    const copy = join(dirname(plan.path), '..', `other-run-${uniqueName('s')}`, 'plan.json');
    mkdirSync(dirname(copy), { recursive: true });
    copyFileSync(plan.path, copy);
    return { ...plan, path: copy };
  };
  const outsideStore = () => {
    const copy = join(mkdtempSync(join(tmpdir(), 'rekindle-elsewhere-')), 'plan.json');
    copyFileSync(plan.path, copy);
    return { ...plan, path: copy };
  };
  const otherCluster = () => ({ ...JSON.parse(readFileSync(plan.path, 'utf8')), clusterId: 'another-cluster-id' });

  test.each([
    ['a plan made on another cluster', () => ({ plan: otherCluster() }), 'made on cluster another-cluster-id'],
    ['a group outside the table', () => ({ plan, groups: [group, 'not-in-table'] }), 'not-in-table'],
    ['groups that leave out one the plan resets', () => ({ plan, groups: ['other-group'] }), group],
    ['a topic outside the table', () => ({ plan, groups: [group], topics: [T, U] }), U],
    ['partitions outside the named ones', () => ({ plan, topics: [`${T}:0`] }), `${T}-1`],
    ['a plan file changed after the dry run', () => ({ plan: tampered() }), 'changed since the dry run'],
    ["another run's plan", () => ({ plan: otherRun() }), 'is not a dry run of this run'],
    ['a path outside the evidence store', () => ({ plan: outsideStore() }), 'is not a dry run of this run'],
  ])('%s', async (_name, inputs, named) => {
    const f = await failureOf(reset({ ...inputs(), dryRun: false }));
    expect(f).toMatchObject({ type: 'OFFSETS_PLAN_MISMATCH', retryable: false });
    expect(f.message).toContain(named);
    expect(await committed(group)).toEqual({ 0: 2, 1: 2, 2: 2 });
  });

  test('an execute without a plan is refused at the door', async () => {
    const f = await failureOf(reset({ groups: [group], topics: [T], mode: 'to-earliest', dryRun: false }));
    expect(f).toMatchObject({ type: 'INVALID_INPUT' });
    expect(f.message).toContain('plan');
  });

  test('the same plan applies for real once the checks pass', async () => {
    const r = await reset({ plan, groups: [group], topics: [T], dryRun: false });
    expect(r.outputs).toMatchObject({ applied: 3 });
    expect(await committed(group)).toEqual({ 0: 0, 1: 0, 2: 0 });
  });
});
