/**
 * A promise wrapper over node-zookeeper-client. The library has no connect timeout and queues requests
 * forever while disconnected, so both connect and every operation get a timer here.
 */
import { createClient, CreateMode } from 'node-zookeeper-client';
import type { ACL, Client, Stat, Transaction } from 'node-zookeeper-client';
import { mapZkError, ZkUnavailableError } from './errors';

export interface ZkClientOptions {
  connectTimeoutMs?: number;
  /** Per request; a request still queued after this fails with ZK_UNAVAILABLE. */
  opTimeoutMs?: number;
  sessionTimeoutMs?: number;
}

/** A connected session. Every method rejects with an ActionError (see errors.ts). */
export class ZkClient {
  private constructor(
    private readonly client: Client,
    readonly connect: string,
    private readonly opTimeoutMs: number,
  ) {}

  /** Opens a session; rejects with ZK_UNAVAILABLE when none is established within connectTimeoutMs. */
  static async open(connect: string, opts: ZkClientOptions = {}): Promise<ZkClient> {
    const timeoutMs = opts.connectTimeoutMs ?? 10_000;
    const client = createClient(connect, {
      sessionTimeout: opts.sessionTimeoutMs ?? 15_000,
      spinDelay: 200,
      retries: 0,
    });
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        client.close();
        reject(new ZkUnavailableError(`no ZooKeeper session with ${connect} within ${timeoutMs} ms`, { connect }));
      }, timeoutMs);
      client.once('connected', () => {
        clearTimeout(timer);
        resolve();
      });
      client.connect();
    });
    return new ZkClient(client, connect, opts.opTimeoutMs ?? 30_000);
  }

  /** True while the session is connected. */
  get connected(): boolean {
    const name = this.client.getState().name;
    return name === 'SYNC_CONNECTED' || name === 'CONNECTED_READ_ONLY';
  }

  close(): void {
    this.client.close();
  }

  private call<T>(path: string, fn: (cb: (err: unknown, value?: T) => void) => void): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(
        () => reject(new ZkUnavailableError(`ZooKeeper request on ${path} timed out after ${this.opTimeoutMs} ms`)),
        this.opTimeoutMs,
      );
      fn((err, value) => {
        clearTimeout(timer);
        if (err) reject(mapZkError(err, path));
        else resolve(value as T);
      });
    });
  }

  /** Stat of a node, or null when it does not exist. */
  exists(path: string): Promise<Stat | null> {
    return this.call(path, (cb) => this.client.exists(path, (err, stat) => cb(err, stat ?? null)));
  }

  /** Children names; rejects with ZK_NO_NODE when the node is gone. */
  getChildren(path: string): Promise<string[]> {
    return this.call(path, (cb) => this.client.getChildren(path, (err, children) => cb(err, children)));
  }

  /** Data (empty buffer for null data) and stat. */
  getData(path: string): Promise<{ data: Buffer; stat: Stat }> {
    return this.call(path, (cb) =>
      this.client.getData(path, (err, data, stat) => cb(err, { data: data ?? Buffer.alloc(0), stat })),
    );
  }

  getACL(path: string): Promise<ACL[]> {
    return this.call(path, (cb) => this.client.getACL(path, (err, acls) => cb(err, acls)));
  }

  setACL(path: string, acls: ACL[]): Promise<Stat> {
    return this.call(path, (cb) => this.client.setACL(path, acls, (err, stat) => cb(err, stat)));
  }

  /** Creates a persistent node. */
  create(path: string, data: Buffer, acls?: ACL[]): Promise<string> {
    return this.call(path, (cb) => {
      if (acls) this.client.create(path, data, acls, CreateMode.PERSISTENT, (err, p) => cb(err, p));
      else this.client.create(path, data, CreateMode.PERSISTENT, (err, p) => cb(err, p));
    });
  }

  setData(path: string, data: Buffer, version = -1): Promise<Stat> {
    return this.call(path, (cb) => this.client.setData(path, data, version, (err, stat) => cb(err, stat)));
  }

  remove(path: string, version = -1): Promise<void> {
    return this.call(path, (cb) => this.client.remove(path, version, (err) => cb(err)));
  }

  /** Builds and commits one atomic multi-op; rejects with the first failing op's error. */
  commit(build: (tx: Transaction) => void, label = 'transaction'): Promise<unknown[]> {
    const tx = this.client.transaction();
    build(tx);
    return this.call(label, (cb) => tx.commit((err, results) => cb(err, results)));
  }
}

/**
 * One session per connect string per worker, opened on first use and reopened when it dropped.
 * `close()` ends them all (worker shutdown, test teardown).
 */
export class ZkPool {
  private readonly clients = new Map<string, Promise<ZkClient>>();

  constructor(private readonly opts: ZkClientOptions = {}) {}

  /** A connected client for `connect`; rejects with ZK_UNAVAILABLE when none can be opened. */
  async get(connect: string): Promise<ZkClient> {
    const existing = this.clients.get(connect);
    if (existing) {
      const c = await existing.catch(() => undefined);
      if (c?.connected) return c;
      c?.close();
      this.clients.delete(connect);
    }
    const opening = ZkClient.open(connect, this.opts);
    this.clients.set(connect, opening);
    opening.catch(() => this.clients.delete(connect));
    return opening;
  }

  /** Number of pooled (open or opening) sessions, for the worker's metrics. */
  get size(): number {
    return this.clients.size;
  }

  async close(): Promise<void> {
    const all = [...this.clients.values()];
    this.clients.clear();
    for (const p of all) (await p.catch(() => undefined))?.close();
  }
}
