/**
 * `kafka.smoke-test`: produce `messages` canary records with acks=all (-1) and read them back. The
 * canary topic is created when missing (replication up to 3, min ISR 2 when possible), which is the
 * only lasting change (`changed: true` then). Fails with KAFKA_SMOKE_TEST_FAILED (retryable).
 */
import { randomUUID } from 'node:crypto';
import type { ActionRequest } from '../../compiler/plan';
import type { ActionContext } from '../errors';
import type { KafkaDeps } from './deps';
import { KafkaSmokeTestError, mapKafkaError } from './errors';
import type { ActionInputs, ResultOf } from '../../compiler/actions';
import { kafkaInventory } from './inputs';

/** The action: round-trips `messages` messages through the canary `topic` with acks all. */
export async function kafkaSmokeTest(
  deps: KafkaDeps,
  inp: ActionInputs<'kafka.smoke-test'>,
  request: ActionRequest,
  ctx: ActionContext,
): Promise<ResultOf<'kafka.smoke-test'>> {
  const inv = kafkaInventory(request);
  const topic = inp.topic;
  const count = inp.messages;
  const admin = await deps.pool.admin(inv.bootstrap);
  const kafka = deps.pool.kafka(inv.bootstrap);
  const started = Date.now();
  let created = false;
  try {
    if (!(await admin.listTopics()).includes(topic)) {
      const brokers = (await admin.describeCluster()).brokers.length;
      const rf = Math.min(3, brokers);
      created = await admin.createTopics({
        waitForLeaders: true,
        topics: [
          {
            topic,
            numPartitions: 1,
            replicationFactor: rf,
            configEntries: rf >= 2 ? [{ name: 'min.insync.replicas', value: String(Math.min(2, rf)) }] : [],
          },
        ],
      });
    }
    const run = randomUUID();
    const producer = kafka.producer({ allowAutoTopicCreation: false, retry: { retries: 2 } });
    await producer.connect();
    let base: number;
    try {
      const res = await producer.send({
        topic,
        acks: -1,
        messages: Array.from({ length: count }, (_, i) => ({ partition: 0, key: run, value: `${run}:${i}` })),
      });
      base = Number(res[0].baseOffset ?? res[0].offset);
    } finally {
      await producer.disconnect();
    }
    const produceMs = Date.now() - started;
    const got = await readBack(deps, inv.bootstrap, topic, base, count, run, ctx);
    if (got.length !== count || got.some((v, i) => v !== `${run}:${i}`)) {
      throw new KafkaSmokeTestError(`canary read back ${got.length}/${count} messages`, { topic, run, base });
    }
    const latencyMs = Date.now() - started;
    return {
      changed: created,
      outputs: { topic, created, produced: count, consumed: got.length, baseOffset: base, produceMs, latencyMs },
      summary: `canary ${topic}: ${count} messages produced with acks=all and read back in ${latencyMs} ms`,
    };
  } catch (err) {
    throw mapKafkaError(err, { topic });
  }
}

async function readBack(
  deps: KafkaDeps,
  bootstrap: string[],
  topic: string,
  base: number,
  count: number,
  run: string,
  ctx: ActionContext,
): Promise<string[]> {
  const groupId = `rekindle-canary-${run}`;
  const consumer = deps.pool.kafka(bootstrap).consumer({ groupId, retry: { retries: 2 } });
  const values: string[] = [];
  try {
    await consumer.connect();
    await consumer.subscribe({ topics: [topic], fromBeginning: false });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(
        () =>
          reject(
            new KafkaSmokeTestError(`canary not read back within 30 s (${values.length}/${count})`, { topic, run }),
          ),
        30_000,
      );
      ctx.signal.addEventListener('abort', () => reject(new KafkaSmokeTestError('cancelled', { topic })), {
        once: true,
      });
      consumer
        .run({
          autoCommit: false,
          eachMessage: async ({ message }) => {
            if (message.key?.toString() !== run) return;
            values.push(message.value?.toString() ?? '');
            if (values.length >= count) {
              clearTimeout(timer);
              resolve();
            }
          },
        })
        .then(() => consumer.seek({ topic, partition: 0, offset: String(base) }))
        .catch(reject);
    });
  } finally {
    await consumer.disconnect().catch(() => undefined);
    await (await deps.pool.admin(bootstrap)).deleteGroups([groupId]).catch(() => undefined);
  }
  return values;
}
