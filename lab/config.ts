/**
 * Where the lab lives and which ports it uses. Defaults avoid common ports; REKINDLE_LAB_PORT_OFFSET
 * (a multiple of 1000, so two labs never overlap) moves them all. The config of a running lab is saved in
 * state/lab.json so `status` and `down` act on what `up` started.
 */
import { existsSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join, resolve } from 'node:path';

export const KAFKA_VERSION = '3.9.1';
export const TEMPORAL_CLI_VERSION = 'v1.5.1';
export const SEARCH_ATTRIBUTES = ['RekindleRunbook', 'RekindleCluster', 'RekindleMode', 'RekindlePhase'];

export interface LabConfig {
  repoDir: string;
  stateDir: string;
  cacheDir: string;
  zkNodes: 1 | 3;
  brokers: number;
  ports: {
    temporal: number;
    temporalUi: number;
    /** ZooKeeper node i (1-based) uses zkClient + i - 1, and zkPeer/zkElection + i - 1 in a quorum. */
    zkClient: number;
    zkPeer: number;
    zkElection: number;
    /** Broker i uses kafkaClient + i - 1 for clients and kafkaInternal + i - 1 between brokers. */
    kafkaClient: number;
    kafkaInternal: number;
    /** Host j (brokers first, then ZooKeeper nodes) runs sshd on ssh + j - 1. */
    ssh: number;
  };
}

export interface ConfigOverrides {
  zkNodes?: 1 | 3;
  stateDir?: string;
}

/**
 * The package's own directory (the checkout, or node_modules/rekindle when installed): the nearest
 * directory above `from` with a package.json. Compiled code runs from dist/, one level deeper than the
 * sources, so `__dirname/..` alone would point into dist/.
 */
export function packageRoot(from: string = __dirname): string {
  for (let dir = resolve(from); ; dir = dirname(dir)) {
    if (existsSync(join(dir, 'package.json'))) return dir;
    if (dirname(dir) === dir) return resolve(from, '..');
  }
}

const repoDir = packageRoot();

export function defaultStateDir(): string {
  return process.env.REKINDLE_LAB_STATE ? resolve(process.env.REKINDLE_LAB_STATE) : join(repoDir, 'lab', 'state');
}

/** The cache outside the repo for the Temporal CLI build and the Kafka jars. */
export function cacheDir(): string {
  return process.env.REKINDLE_CACHE ?? join(homedir(), '.cache', 'rekindle');
}

/** Builds the config for `up`; a running lab's saved config wins so ports never drift under it. */
export function labConfig(overrides: ConfigOverrides = {}): LabConfig {
  const stateDir = overrides.stateDir ?? defaultStateDir();
  const saved = savedConfig(stateDir);
  if (saved) return saved;
  const offset = Number(process.env.REKINDLE_LAB_PORT_OFFSET ?? 0);
  return {
    repoDir,
    stateDir,
    cacheDir: cacheDir(),
    zkNodes: overrides.zkNodes ?? 1,
    brokers: 3,
    ports: {
      temporal: 17233 + offset,
      temporalUi: 17243 + offset,
      zkClient: 12181 + offset,
      zkPeer: 12881 + offset,
      zkElection: 12981 + offset,
      kafkaClient: 19092 + offset,
      kafkaInternal: 19292 + offset,
      ssh: 12201 + offset,
    },
  };
}

export function savedConfig(stateDir = defaultStateDir()): LabConfig | undefined {
  const file = join(stateDir, 'lab.json');
  return existsSync(file) ? (JSON.parse(readFileSync(file, 'utf8')) as LabConfig) : undefined;
}

export const paths = {
  hostDir: (c: LabConfig, host: string) => join(c.stateDir, 'hosts', host),
  logs: (c: LabConfig) => join(c.stateDir, 'logs'),
  keys: (c: LabConfig) => join(c.stateDir, 'keys'),
  inventory: (c: LabConfig) => join(c.stateDir, 'inventory.yaml'),
  kafkaLibs: (c: LabConfig) => join(c.cacheDir, `kafka-${KAFKA_VERSION}`, 'libs'),
  /** kafka-tools and its dependencies, apart from the brokers' classpath (the offsets oracle runs from here). */
  kafkaTools: (c: LabConfig) => join(c.cacheDir, `kafka-${KAFKA_VERSION}`, 'tools'),
  temporalBin: (c: LabConfig) => join(c.cacheDir, 'bin', 'temporal'),
};

export const brokerHost = (i: number) => `kafka-${i}`;
export const zkHost = (i: number) => `zk-${i}`;
