/**
 * Executing an offsets reset at scale: 200 Empty groups × 30 partitions, reset with Rekindle's
 * kafka.offsets-reset (commits without joining: one OffsetCommit per group) and, on the same data, with
 * Kafka 3.9.1's own `kafka-consumer-groups --reset-offsets --execute` as a process (JVM start counted).
 * kafkajs's setOffsets, which Rekindle used before and which joins each group as a temporary consumer, is
 * timed on a few groups and extrapolated. Writes the "Offsets reset execute" section of bench/RESULTS.md.
 *
 * Run: npx tsx bench/offsets-reset.ts [groups] [partitions]   (needs the lab: npm run lab -- up)
 */
import { execFileSync } from 'node:child_process';

import { detachedContext, runAction } from '../activities/errors';
import { KafkaPool, kafkaImpls } from '../activities/kafka/index';
import { commitWithoutJoining } from '../activities/kafka/protocol';
import { labConfig, paths } from '../lab/config';
import { readLabInventory } from '../lab/inventory';
import { measuredOn, writeSection } from './results';

const GROUPS = Number(process.argv[2] ?? 200);
const PARTITIONS = Number(process.argv[3] ?? 30);
const SETOFFSETS_SAMPLE = 3;

const uniqueName = (prefix: string) => `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;

async function main(): Promise<void> {
  const inv = readLabInventory();
  const bootstrap = inv.kafka.adminBootstrap?.length ? inv.kafka.adminBootstrap : inv.kafka.bootstrap;
  const pool = new KafkaPool();
  const admin = await pool.admin(bootstrap);
  const cluster = await pool.cluster(bootstrap);
  const topic = uniqueName('bench-offsets');
  await admin.createTopics({
    waitForLeaders: true,
    topics: [{ topic, numPartitions: PARTITIONS, replicationFactor: 3 }],
  });
  const producer = pool.kafka(bootstrap).producer({ allowAutoTopicCreation: false });
  await producer.connect();
  const messages = Array.from({ length: PARTITIONS * 10 }, (_, i) => ({ partition: i % PARTITIONS, value: `m${i}` }));
  await producer.send({ topic, acks: -1, messages }).finally(() => producer.disconnect());
  const groups = Array.from({ length: GROUPS }, (_, i) => `${topic}-g${i}`);
  const all = (offset: number) => Array.from({ length: PARTITIONS }, (_, partition) => ({ topic, partition, offset }));
  for (const g of groups) await commitWithoutJoining(cluster, g, all(1));

  const act = runAction(kafkaImpls({ pool })['kafka.offsets-reset'], () => detachedContext());
  const request = (inputs: Record<string, unknown>) => ({
    workflowId: 'bench',
    stepId: uniqueName('reset'),
    mode: 'drill' as const,
    dryRun: false,
    inputs,
    inventory: inv as never,
  });
  // The tool's --execute computes and commits in one go; Rekindle's is a dry run, then the execute of its plan.
  const t0 = Date.now();
  const dry = await act(request({ groups, topics: [topic], mode: 'to-offset', offset: 5 }));
  const r = await act(request({ plan: dry.outputs.plan, dryRun: false }));
  const rekindleMs = Date.now() - t0;
  if (r.outputs.changed !== GROUPS * PARTITIONS)
    throw new Error(`expected ${GROUPS * PARTITIONS} changes, got ${r.outputs.changed}`);

  const tools = paths.kafkaTools(labConfig());
  const args = ['-cp', `${tools}/*`, 'org.apache.kafka.tools.consumer.group.ConsumerGroupCommand'];
  args.push(
    '--bootstrap-server',
    bootstrap.join(','),
    '--reset-offsets',
    '--execute',
    '--topic',
    topic,
    '--to-offset',
    '7',
  );
  for (const g of groups) args.push('--group', g);
  const t1 = Date.now();
  execFileSync('java', args, { stdio: ['ignore', 'ignore', 'inherit'] });
  const toolMs = Date.now() - t1;
  const [check] = await admin.fetchOffsets({ groupId: groups[GROUPS - 1], topics: [topic] });
  if (!check.partitions.every((p) => p.offset === '7')) throw new Error('the tool did not commit offset 7');

  const t2 = Date.now();
  for (const g of groups.slice(0, SETOFFSETS_SAMPLE))
    await admin.setOffsets({
      groupId: g,
      topic,
      partitions: all(3).map((p) => ({ partition: p.partition, offset: '3' })),
    });
  const setOffsetsMs = (Date.now() - t2) / SETOFFSETS_SAMPLE;

  await admin.deleteGroups(groups).catch(() => undefined);
  await admin.deleteTopics({ topics: [topic] }).catch(() => undefined);
  await pool.close();

  const s = (ms: number) => `${(ms / 1000).toFixed(1)} s`;
  const body = [
    '## Offsets reset execute (bench/offsets-reset.ts)',
    `${GROUPS} Empty groups × ${PARTITIONS} partitions of one topic (replication 3), every offset moved, lab brokers on loopback.`,
    `- Rekindle \`kafka.offsets-reset\` execute, whole action (state check, offsets, commits without joining, ${GROUPS} OffsetCommit requests, 16 at a time): **${s(rekindleMs)}**`,
    `- \`kafka-consumer-groups --reset-offsets --execute\` with ${GROUPS} \`--group\`, as a process (JVM start counted): **${s(toolMs)}**`,
    `- kafkajs \`admin.setOffsets\` (joins each group as a temporary consumer; Rekindle's previous path): **${s(setOffsetsMs)} a group** (mean of ${SETOFFSETS_SAMPLE}), so about **${s(setOffsetsMs * GROUPS)}** for ${GROUPS} groups`,
    `- ${measuredOn()}.`,
  ].join('\n');
  writeSection('## Offsets reset execute', body);
  process.stdout.write(`${body}\n`);
}

main().catch((err) => {
  process.stderr.write(`${(err as Error).stack ?? err}\n`);
  process.exit(1);
});
