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
 *   REKINDLE_SHUTDOWN_GRACE     how long running activities get to finish after SIGTERM (default: 30s)
 *   REKINDLE_HTTP_ADDRESS       host:port of /healthz and /metrics (default: none; a bare port binds 127.0.0.1)
 *   REKINDLE_LOG_FORMAT         json | text | auto (default: auto, text on a terminal, JSON otherwise)
 *   REKINDLE_LOG_LEVEL          trace | debug | info | warn | error (default: info)
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { parseDuration } from '../compiler/duration';
import { defaultStateDir } from '../lab/config';
import { CodedError } from '../compiler/expr/errors';

export interface WorkerConfig {
  temporalAddress: string;
  namespace: string;
  taskQueue: string;
  backupStore?: string;
  maxConcurrentActivities: number;
  /** Key file of the AES-GCM payload codec (codec/); unset means no encryption. */
  codecKeyFile?: string;
  /** How long running activities may run on after SIGTERM/SIGINT before they are cancelled (ms). */
  shutdownGraceMs?: number;
  /** `host:port` of the health and metrics endpoint; unset means no endpoint. */
  httpAddress?: string;
  /** Log output: JSON lines, human text, or text only on a terminal (auto). */
  logFormat?: LogFormat;
  logLevel?: LogLevel;
  /** Where the settings came from, for `rekindle worker` to print. */
  sources: string[];
}

export type LogFormat = 'json' | 'text' | 'auto';
export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error';
const LOG_FORMATS: readonly LogFormat[] = ['json', 'text', 'auto'];
const LOG_LEVELS: readonly LogLevel[] = ['trace', 'debug', 'info', 'warn', 'error'];

/** The grace period when none is configured: long enough for a broker's controlled shutdown step to finish. */
export const DEFAULT_SHUTDOWN_GRACE_MS = 30_000;

/** A config file's shape (all optional). */
interface ConfigFile {
  temporal?: { address?: string; namespace?: string };
  taskQueue?: string;
  backupStore?: string;
  maxConcurrentActivities?: number;
  codecKeyFile?: string;
  shutdownGrace?: string | number;
  http?: { address?: string | number };
  log?: { format?: string; level?: string };
}

/** A bad config file or value. */
export class ConfigError extends CodedError<'CONFIG_INVALID'> {
  constructor(message: string) {
    super('CONFIG_INVALID', message);
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
  const service = serviceSettings(env, file);
  if (Object.keys(env).some((k) => k.startsWith('REKINDLE_'))) sources.push('environment');
  return {
    temporalAddress: env.REKINDLE_TEMPORAL_ADDRESS ?? file.temporal?.address ?? lab ?? '127.0.0.1:7233',
    namespace: env.REKINDLE_NAMESPACE ?? file.temporal?.namespace ?? 'default',
    taskQueue: env.REKINDLE_TASK_QUEUE ?? file.taskQueue ?? 'rekindle',
    ...(backupStore ? { backupStore } : {}),
    ...(codecKeyFile ? { codecKeyFile } : {}),
    maxConcurrentActivities: max,
    ...service,
    sources,
  };
}

/** The service settings (shutdown, endpoint, logs), each checked with the name of the setting in the message. */
function serviceSettings(
  env: NodeJS.ProcessEnv,
  file: ConfigFile,
): Pick<WorkerConfig, 'shutdownGraceMs' | 'httpAddress' | 'logFormat' | 'logLevel'> {
  const grace = env.REKINDLE_SHUTDOWN_GRACE ?? file.shutdownGrace;
  let shutdownGraceMs = DEFAULT_SHUTDOWN_GRACE_MS;
  if (grace !== undefined && grace !== '') {
    try {
      shutdownGraceMs = parseDuration(typeof grace === 'string' && /^\d+$/.test(grace) ? Number(grace) : grace);
    } catch {
      throw new ConfigError(`shutdown grace must be a duration such as 30s or 2m, not '${grace}'`);
    }
  }
  const http = env.REKINDLE_HTTP_ADDRESS ?? file.http?.address;
  const format = env.REKINDLE_LOG_FORMAT || file.log?.format || 'auto';
  if (!LOG_FORMATS.includes(format as LogFormat))
    throw new ConfigError(`log format must be one of ${LOG_FORMATS.join(', ')}, not '${format}'`);
  const level = env.REKINDLE_LOG_LEVEL || file.log?.level || 'info';
  if (!LOG_LEVELS.includes(level as LogLevel))
    throw new ConfigError(`log level must be one of ${LOG_LEVELS.join(', ')}, not '${level}'`);
  return {
    shutdownGraceMs,
    ...(http !== undefined && http !== '' && http !== 'off' ? { httpAddress: parseHttpAddress(String(http)) } : {}),
    logFormat: format as LogFormat,
    logLevel: level as LogLevel,
  };
}

/**
 * Normalises the endpoint address: a bare port binds 127.0.0.1 (the endpoint has no authentication, so
 * listening on other interfaces must be written out).
 * @throws ConfigError when it is not `port` or `host:port` with a port in 0..65535.
 */
export function parseHttpAddress(value: string): string {
  const m = /^(?:(\[[0-9a-fA-F:]+\]|[A-Za-z0-9.-]+):)?(\d{1,5})$/.exec(value.trim());
  const port = m ? Number(m[2]) : NaN;
  if (!m || port > 65535)
    throw new ConfigError(`the HTTP endpoint address must be PORT or HOST:PORT (e.g. 127.0.0.1:9464), not '${value}'`);
  return `${m[1] ?? '127.0.0.1'}:${port}`;
}
