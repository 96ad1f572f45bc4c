/**
 * kafkajs per worker: one Kafka instance and one connected admin per bootstrap list, with a small
 * internal retry budget (Temporal owns retries). Producers and consumers are made per call and
 * always disconnected by the caller.
 */
import { Kafka, logLevel } from 'kafkajs';
import type { Admin } from 'kafkajs';
import { mapKafkaError } from './errors';

export interface KafkaPoolOptions {
  clientId?: string;
  connectionTimeoutMs?: number;
  requestTimeoutMs?: number;
  /** kafkajs retries per call (default 2): small, so they do not stack under Temporal's. */
  retries?: number;
}

/** Kafka instances and admins keyed by bootstrap list. Call close() at worker shutdown. */
export class KafkaPool {
  private readonly kafkas = new Map<string, Kafka>();
  private readonly admins = new Map<string, Promise<Admin>>();

  constructor(private readonly opts: KafkaPoolOptions = {}) {}

  /** The Kafka instance for these brokers. */
  kafka(brokers: string[]): Kafka {
    const key = brokers.join(',');
    let k = this.kafkas.get(key);
    if (!k) {
      k = new Kafka({
        clientId: this.opts.clientId ?? 'rekindle',
        brokers,
        connectionTimeout: this.opts.connectionTimeoutMs ?? 3000,
        requestTimeout: this.opts.requestTimeoutMs ?? 15_000,
        retry: { retries: this.opts.retries ?? 2, initialRetryTime: 200, maxRetryTime: 2000 },
        logLevel: logLevel.NOTHING,
      });
      this.kafkas.set(key, k);
    }
    return k;
  }

  /** A connected admin for these brokers; rejects with KAFKA_UNAVAILABLE when none answers. */
  async admin(brokers: string[]): Promise<Admin> {
    const key = brokers.join(',');
    let a = this.admins.get(key);
    if (!a) {
      a = this.connectAdmin(brokers).catch((err) => {
        this.admins.delete(key);
        throw mapKafkaError(err, { brokers });
      });
      this.admins.set(key, a);
    }
    return a;
  }

  /** kafkajs seeds from one random bootstrap broker; when that one is down, try again (once per broker). */
  private async connectAdmin(brokers: string[]): Promise<Admin> {
    let last: unknown;
    for (let i = 0; i < brokers.length; i++) {
      const admin = this.kafka(brokers).admin();
      try {
        await admin.connect();
        return admin;
      } catch (err) {
        last = err;
        await admin.disconnect().catch(() => undefined);
      }
    }
    throw last;
  }

  /** Drops a cached admin (after a failure that may have left it broken). */
  async reset(brokers: string[]): Promise<void> {
    const key = brokers.join(',');
    const a = this.admins.get(key);
    this.admins.delete(key);
    await (await a?.catch(() => undefined))?.disconnect().catch(() => undefined);
  }

  /** Number of cached (connected or connecting) admins, for the worker's metrics. */
  get size(): number {
    return this.admins.size;
  }

  async close(): Promise<void> {
    const all = [...this.admins.values()];
    this.admins.clear();
    for (const a of all) await (await a.catch(() => undefined))?.disconnect().catch(() => undefined);
  }
}
