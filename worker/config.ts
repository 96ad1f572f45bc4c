/**
 * Worker and client configuration: environment variables win over a config file, which wins over
 * defaults. Documented in docs/worker.md.
 *
 *   REKINDLE_TEMPORAL_ADDRESS   host:port of the Temporal frontend (default: the lab's, else 127.0.0.1:7233)
 *   REKINDLE_NAMESPACE          Temporal namespace (default: default)
 *   REKINDLE_TASK_QUEUE         task queue of runs and workers (default: rekindle)
 *   REKINDLE_BACKUP_STORE       directory of backups (default: the inventory's backupStore when given)
 *   REKINDLE_MAX_ACTIVITIES     max concurrent activities per worker (default: 20)
 *   REKINDLE_CONFIG             path of a YAML/JSON config file (default: ./rekindle.yaml if it exists)
 *   REKINDLE_CODEC_KEY_FILE     key file of the AES-GCM payload codec (default: none, payloads unencrypted)
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { defaultStateDir } from '../lab/config';

export interface WorkerConfig {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  backupStore?: string;
  maxConcurrentActivities: number;
  /** Key file of the AES-GCM payload codec (codec/); unset means no encryption. */
  codecKeyFile?: string;
  /** Where the settings came from, for `rekindle worker` to print. */
  sources: string[];
}

/** A config file's shape (all optional). */
interface ConfigFile {
  temporal?: { address?: string; namespace?: string };
  taskQueue?: string;
  backupStore?: string;
  maxConcurrentActivities?: number;
  codecKeyFile?: string;
}

/** A bad config file or value. */
export class ConfigError extends Error {
  readonly code = 'CONFIG_INVALID';
  readonly retryable = false;
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

function readFile(path: string): ConfigFile {
  try {
    const parsed = parse(readFileSync(path, 'utf8')) as unknown;
    if (parsed === null || parsed === undefined) return {};
    if (typeof parsed !== 'object' || Array.isArray(parsed)) throw new Error('it is not a map');
    return parsed as ConfigFile;
  } catch (err) {
    throw new ConfigError(`cannot read config file ${path}: ${(err as Error).message}`);
  }
}

/** Where the lab writes its inventory (the named inventory `lab`): $REKINDLE_LAB_STATE or lab/state. */
export function labInventoryFile(): string {
  return join(defaultStateDir(), 'inventory.yaml');
}

/** The lab's Temporal address, when a lab inventory exists (for practice runs without any config). */
function labAddress(): string | undefined {
  const inv = labInventoryFile();
  if (!existsSync(inv)) return undefined;
  try {
    const doc = parse(readFileSync(inv, 'utf8')) as { temporal?: { address?: string } };
    return doc.temporal?.address;
  } catch {
    return undefined;
  }
}

/**
 * Loads the configuration from `env` and the config file.
 * @throws ConfigError when the config file is unreadable or a value is malformed.
 */
export function loadConfig(env: NodeJS.ProcessEnv = process.env): WorkerConfig {
  const sources: string[] = [];
  const path = env.REKINDLE_CONFIG ?? (existsSync('rekindle.yaml') ? 'rekindle.yaml' : undefined);
  if (env.REKINDLE_CONFIG && !existsSync(env.REKINDLE_CONFIG)) {
    throw new ConfigError(`REKINDLE_CONFIG names ${env.REKINDLE_CONFIG}, which does not exist`);
  }
  const file = path ? readFile(path) : {};
  if (path) sources.push(`file ${path}`);
  const lab = env.REKINDLE_TEMPORAL_ADDRESS || file.temporal?.address ? undefined : labAddress();
  if (lab) sources.push('lab inventory');
  const max = Number(env.REKINDLE_MAX_ACTIVITIES ?? file.maxConcurrentActivities ?? 20);
  if (!Number.isInteger(max) || max < 1)
    throw new ConfigError(`max concurrent activities must be a positive integer, not ${max}`);
  const backupStore = env.REKINDLE_BACKUP_STORE ?? file.backupStore;
  const codecKeyFile = env.REKINDLE_CODEC_KEY_FILE || file.codecKeyFile;
  if (Object.keys(env).some((k) => k.startsWith('REKINDLE_'))) sources.push('environment');
  return {
    temporalAddress: env.REKINDLE_TEMPORAL_ADDRESS ?? file.temporal?.address ?? lab ?? '127.0.0.1:7233',
    namespace: env.REKINDLE_NAMESPACE ?? file.temporal?.namespace ?? 'default',
    taskQueue: env.REKINDLE_TASK_QUEUE ?? file.taskQueue ?? 'rekindle',
    ...(backupStore ? { backupStore } : {}),
    ...(codecKeyFile ? { codecKeyFile } : {}),
    maxConcurrentActivities: max,
    sources,
  };
}
