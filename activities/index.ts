/**
 * The only composition point of the activity families. The worker calls createActivities(deps)
 * and registers the result; activity names are the registry's action names (`ssh.exec`, ...).
 * Cross-family needs are wired here: service/host and zookeeper.restore-files run commands through
 * the ssh family's shell; service waits read /brokers/ids through the zookeeper family's reader.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { basename } from 'node:path';
import type { ActionRequest, ActionResult } from '../compiler/plan';
import { LocalBackupStore, createBackupActivities, readTrustedManifest, type BackupDeps } from './backup';
import { InvalidInputError, runAction, type ActionContext, type ActionImpl } from './errors';
import { spillLargeOutputs } from './evidence';
import { activityClient, recordedOutputs } from './recorded-outputs';
import { createServiceActivities, type BrokerRegistry } from './service';
import { Fence, SshPool, SshShell, createSshActivities } from './ssh';
import { withFence } from './fence';
import { withTimerHeartbeat } from './heartbeat';
import { ZkPool, createZnodeReader, zookeeperImpls, type TrustedSetFiles } from './zookeeper';
import { KafkaPool, digestTopics, kafkaImpls } from './kafka';

export interface ActivityDeps {
  /** Directory where backups live when an action does not say otherwise. */
  backupStore?: string;
  /** The worker's SSH pool (one connection per host); created when absent. */
  sshPool?: SshPool;
  /** The worker's ZooKeeper session pool; created when absent. */
  zkPool?: ZkPool;
  /** The worker's kafkajs pool; created when absent. */
  kafkaPool?: KafkaPool;
  /** Resolves identityFile / knownHostsFile references to paths (default: as written). */
  resolvePath?: (ref: string) => string;
}

export type ActionActivity = (request: ActionRequest) => Promise<ActionResult>;

/** The pools behind a set of activities, so the worker (or a test) can close them. */
export interface ActivityResources {
  sshPool: SshPool;
  zkPool: ZkPool;
  kafkaPool: KafkaPool;
  shell: SshShell;
}

/** Opens (or adopts) the pools named in deps. */
export function createResources(deps: ActivityDeps): ActivityResources {
  const sshPool = deps.sshPool ?? new SshPool();
  const zkPool = deps.zkPool ?? new ZkPool();
  const kafkaPool = deps.kafkaPool ?? new KafkaPool();
  return { sshPool, zkPool, kafkaPool, shell: new SshShell(sshPool, deps.resolvePath) };
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

/** A request for an action called by another action (not by the engine). */
function innerRequest(
  inventory: Record<string, unknown>,
  stepId: string,
  inputs: Record<string, unknown>,
): ActionRequest {
  return { workflowId: 'internal', stepId, inputs, inventory, mode: 'recovery', dryRun: false };
}

/** The manifest hash the backup run that made `setId` recorded (its backup.create output), from its history. */
async function recordedManifestHash(
  createdBy: { workflowId: string; runId?: string },
  setId: string,
): Promise<string | undefined> {
  const outputs = await recordedOutputs(activityClient(), createdBy.workflowId, createdBy.runId, 'backup.create');
  const hash = outputs?.find((o) => o.backupSet === setId && typeof o.manifestSha256 === 'string')?.manifestSha256;
  return hash as string | undefined;
}

/** The zookeeper family's view of a backup set: its manifest, checked against the recorded hash. */
async function trustedSet(setDir: string, expected?: string): Promise<TrustedSetFiles> {
  const { m, sha256 } = await readTrustedManifest({ recordedManifestHash }, basename(setDir), setDir, expected);
  return { files: m.files, manifestSha256: sha256 };
}

/** The backup family's view of the others: ssh shell, ZooKeeper export and cluster id, service stop/start. */
function backupDeps(deps: ActivityDeps, res: ActivityResources, impls: Record<string, ActionImpl>): BackupDeps {
  const reader = createZnodeReader(res.zkPool);
  const registry = brokerRegistry(res.zkPool);
  const call = async (
    name: string,
    inventory: Record<string, unknown>,
    inputs: Record<string, unknown>,
    ctx: ActionContext,
  ) => impls[name](innerRequest(inventory, name, inputs), ctx);
  return {
    hosts: res.shell,
    store: (inventory) => {
      const dir = (inventory.backupStore as string | undefined) ?? deps.backupStore;
      if (!dir)
        throw new InvalidInputError('no backup store configured (inventory.backupStore)', { field: 'backupStore' });
      return new LocalBackupStore(dir);
    },
    exportZookeeper: async (inventory, file, ctx) => {
      const r = await call('zookeeper.export', inventory, { destination: file }, ctx);
      const o = r.outputs as { sha256: string; exportedAt: string; nodeCount?: number; maxZxid?: string };
      return { sha256: o.sha256, exportedAt: o.exportedAt, details: { nodeCount: o.nodeCount, maxZxid: o.maxZxid } };
    },
    exportOffsets: async (inventory, file, ctx) => {
      const r = await call('kafka.offsets-export', inventory, { destination: file }, ctx);
      const path = (r.outputs as { path: string }).path;
      return {
        sha256: createHash('sha256')
          .update(await readFile(path))
          .digest('hex'),
        exportedAt: new Date().toISOString(),
        details: { rows: r.outputs.rows, groups: r.outputs.groups },
      };
    },
    digestData: async (inventory, ctx) => {
      const k = inventory.kafka as { bootstrap: string[]; adminBootstrap?: string[] };
      const bootstrap = k.adminBootstrap?.length ? k.adminBootstrap : k.bootstrap;
      const admin = await res.kafkaPool.admin(bootstrap);
      const topics = (await admin.listTopics()).filter((t) => !t.startsWith('__')).sort();
      return digestTopics(res.kafkaPool.kafka(bootstrap), admin, topics, {
        signal: ctx.signal,
        onProgress: (n) => ctx.heartbeat({ phase: 'digest', messages: n }),
      });
    },
    recordedManifestHash,
    clusterId: async (inventory) => {
      const zk = inventory.zookeeper as { connect: string; chroot?: string };
      const raw = await reader.get(zk.connect, `${zk.chroot ?? ''}/cluster/id`);
      return raw ? ((JSON.parse(raw) as { id?: string }).id ?? null) : null;
    },
    stopBroker: async (inventory, host, waitTimeoutMs, ctx) => {
      await call('service.stop', inventory, { host, waitTimeout: waitTimeoutMs }, ctx);
    },
    startBroker: async (inventory, host, waitTimeoutMs, ctx) => {
      await call('service.start', inventory, { host, waitTimeout: waitTimeoutMs }, ctx);
    },
    // Running means the control command says so OR, for a broker, its id is still registered: a process
    // the control command lost track of must never have its log dirs replaced under it.
    isRunning: async (inventory, host) => {
      const entry = res.shell.host(inventory, host);
      const status = await res.shell.run(inventory, host, `${entry.control} status`, { okExitCodes: [0, 3] });
      if (status.exitCode === 0) return true;
      const broker = ((inventory.kafka as { brokers?: Array<{ id: number; host: string }> })?.brokers ?? []).find(
        (b) => b.host === host,
      );
      return broker !== undefined && (await registry.brokerIds(inventory)).includes(broker.id);
    },
  };
}

/** Every action implementation (request + context), keyed by registry name. For tests and custom wrappers. */
export function createActionImpls(
  deps: ActivityDeps,
  res: ActivityResources = createResources(deps),
): Record<string, ActionImpl> {
  const impls: Record<string, ActionImpl> = {
    ...createSshActivities(res.shell),
    ...createServiceActivities({ hosts: res.shell, registry: brokerRegistry(res.zkPool) }),
    ...zookeeperImpls({ pool: res.zkPool, backupStore: deps.backupStore, remote: res.shell, trustedSet }),
    ...kafkaImpls({
      pool: res.kafkaPool,
      backupStore: deps.backupStore,
      zk: createZnodeReader(res.zkPool),
      remote: res.shell,
    }),
  };
  Object.assign(impls, createBackupActivities(backupDeps(deps, res, impls)));
  return impls;
}

/** An implementation whose large output fields go to the run's evidence store (activities/evidence.ts). */
function withEvidence(impl: ActionImpl, backupStore: string | undefined): ActionImpl {
  return async (request, ctx) => spillLargeOutputs(request, await impl(request, ctx), backupStore);
}

/**
 * The activities to register on a worker: each implementation behind the single error boundary, its
 * large outputs stored as evidence, heartbeating on a timer (activities/heartbeat.ts) and, when it is
 * destructive, holding its fence locks (activities/fence.ts).
 */
export function createActivities(
  deps: ActivityDeps,
  res: ActivityResources = createResources(deps),
): Record<string, ActionActivity> {
  const fence = new Fence(res.sshPool, (inventory, host) => res.shell.target(inventory, host));
  return Object.fromEntries(
    Object.entries(createActionImpls(deps, res)).map(([name, impl]) => [
      name,
      runAction(withEvidence(withTimerHeartbeat(withFence(name, impl, fence)), deps.backupStore)),
    ]),
  );
}
