/** Connects the CLI to Temporal using the worker/config settings (env, config file, lab default). */
import { Client, Connection } from '@temporalio/client';
import type { DataConverter } from '@temporalio/common';
import { loadConfig } from '../worker/config';
import type { WorkerConfig } from '../worker/config';
import { dataConverterFor } from '../codec';
import { TemporalUnavailableError } from './errors';

export interface Connected {
  client: Client;
  config: WorkerConfig;
  /** The data converter with the payload codec when one is configured (decode memos, watch histories). */
  dataConverter?: DataConverter;
  close(): Promise<void>;
}

/**
 * Opens a client connection.
 * @throws TemporalUnavailableError when the server does not answer; ConfigError for a bad config.
 */
export async function connect(config: WorkerConfig = loadConfig()): Promise<Connected> {
  let connection: Connection;
  try {
    connection = await Connection.connect({ address: config.temporalAddress, connectTimeout: '5s' });
  } catch (err) {
    throw new TemporalUnavailableError(config.temporalAddress, (err as Error).message);
  }
  const dataConverter = dataConverterFor(config.codecKeyFile);
  const client = new Client({ connection, namespace: config.namespace, ...(dataConverter ? { dataConverter } : {}) });
  return { client, config, ...(dataConverter ? { dataConverter } : {}), close: () => connection.close() };
}

/** Runs `fn` with a connected client and always closes the connection. */
export async function withClient<T>(fn: (c: Connected) => Promise<T>): Promise<T> {
  const c = await connect();
  try {
    return await fn(c);
  } finally {
    await c.close();
  }
}
