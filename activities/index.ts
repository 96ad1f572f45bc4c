/**
 * The only composition point of the activity families. The worker calls createActivities(deps)
 * and registers the result; activity names are the registry's action names (`ssh.exec`, ...).
 * Cross-family needs are wired here: service/host and zookeeper.restore-files run commands through
 * the ssh family's shell; service waits read /brokers/ids through the zookeeper family's reader.
 */
import type { ActionRequest, ActionResult } from '../compiler/plan';
import { runAction, type ActionImpl } from './errors';
import { createServiceActivities, type BrokerRegistry } from './service';
import { SshPool, SshShell, createSshActivities } from './ssh';
import { ZkPool, createZnodeReader, zookeeperImpls } from './zookeeper';

export interface ActivityDeps {
  /** Directory where backups live when an action does not say otherwise. */
  backupStore?: string;
  /** The worker's SSH pool (one connection per host); created when absent. */
  sshPool?: SshPool;
  /** The worker's ZooKeeper session pool; created when absent. */
  zkPool?: ZkPool;
  /** Resolves identityFile / knownHostsFile references to paths (default: as written). */
  resolvePath?: (ref: string) => string;
}

export type ActionActivity = (request: ActionRequest) => Promise<ActionResult>;

/** The pools behind a set of activities, so the worker (or a test) can close them. */
export interface ActivityResources {
  sshPool: SshPool;
  zkPool: ZkPool;
  shell: SshShell;
}

/** Opens (or adopts) the pools named in deps. */
export function createResources(deps: ActivityDeps): ActivityResources {
  const sshPool = deps.sshPool ?? new SshPool();
  const zkPool = deps.zkPool ?? new ZkPool();
  return { sshPool, zkPool, shell: new SshShell(sshPool, deps.resolvePath) };
}

/** Reads `<chroot>/brokers/ids` through the zookeeper family's reader. */
function brokerRegistry(zkPool: ZkPool): BrokerRegistry {
  const reader = createZnodeReader(zkPool);
  return {
    brokerIds: async (inventory) => {
      const zk = inventory.zookeeper as { connect: string; chroot?: string };
      const ids = await reader.children(zk.connect, `${zk.chroot ?? ''}/brokers/ids`);
      return ids.map(Number).filter((n) => Number.isInteger(n));
    },
  };
}

/** Every action implementation (request + context), keyed by registry name. For tests and custom wrappers. */
export function createActionImpls(deps: ActivityDeps, res: ActivityResources = createResources(deps)): Record<string, ActionImpl> {
  return {
    ...createSshActivities(res.shell),
    ...createServiceActivities({ hosts: res.shell, registry: brokerRegistry(res.zkPool) }),
    ...zookeeperImpls({ pool: res.zkPool, backupStore: deps.backupStore, remote: res.shell }),
  };
}

/** The activities to register on a worker: each implementation behind the single error boundary. */
export function createActivities(deps: ActivityDeps, res: ActivityResources = createResources(deps)): Record<string, ActionActivity> {
  return Object.fromEntries(Object.entries(createActionImpls(deps, res)).map(([name, impl]) => [name, runAction(impl)]));
}
