/**
 * The ZooKeeper family: `zookeeper.check|export|restore|diff|restore-files`, each behind the registry's
 * input door (activities/index.ts adds the error boundary). Also exports the pieces other families reach
 * through index.ts composition (a read-only znode reader for kafka.preflight, export for backup.create).
 */
import type { ActionImpl } from '../errors';
import { familyImpls } from '../inputs';
import { zookeeperCheck } from './check';
import type { ZkPool } from './client';
import type { ZookeeperDeps } from './deps';
import { zookeeperDiff } from './diff';
import { zookeeperExport } from './export';
import { zookeeperRestore } from './restore';
import { zookeeperRestoreFiles } from './restore-files';
import { ZkNoNodeError } from './errors';

export { ZkPool } from './client';
export type { RemoteHosts, RemoteResult, TrustedSetFiles, ZookeeperDeps } from './deps';

/** The raw implementations (request + context), for callers that supply their own context, e.g. tests. */
export function zookeeperImpls(deps: ZookeeperDeps): Record<string, ActionImpl> {
  return familyImpls(deps, {
    'zookeeper.check': zookeeperCheck,
    'zookeeper.export': zookeeperExport,
    'zookeeper.restore': zookeeperRestore,
    'zookeeper.diff': zookeeperDiff,
    'zookeeper.restore-files': zookeeperRestoreFiles,
  });
}

/** Read-only znode access for other families (kafka.preflight), injected through activities/index.ts. */
export interface ZnodeReader {
  /** Data as UTF-8, or null when the znode does not exist. */
  get(connect: string, path: string): Promise<string | null>;
  /** Children names, or [] when the znode does not exist. */
  children(connect: string, path: string): Promise<string[]>;
}

/** A ZnodeReader over the pool. Rejects with ZK_UNAVAILABLE when ZooKeeper does not answer. */
export function createZnodeReader(pool: ZkPool): ZnodeReader {
  const orNull = async <T>(f: () => Promise<T>, dflt: T): Promise<T> => {
    try {
      return await f();
    } catch (err) {
      if (err instanceof ZkNoNodeError) return dflt;
      throw err;
    }
  };
  return {
    get: async (connect, path) =>
      orNull(async () => (await (await pool.get(connect)).getData(path)).data.toString('utf8'), null),
    children: async (connect, path) => orNull(async () => (await pool.get(connect)).getChildren(path), [] as string[]),
  };
}
