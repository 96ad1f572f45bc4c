/**
 * The lab: real Temporal, ZooKeeper, three Kafka brokers and one sshd per host on 127.0.0.1.
 * `up` is idempotent and waits until everything is ready; `down` stops exactly what the lab started,
 * by pid; `reset` also wipes the state directory (the download cache is kept).
 */
import { execFile, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { promisify } from 'node:util';
import type { ConfigOverrides, LabConfig } from './config';
import { brokerHost, labConfig, paths, savedConfig, zkHost } from './config';
import { fourLetter, kafkaRegistration } from './checks';
import { labHosts, prepareHosts, sshdPid, startHosts, stopHosts } from './hosts';
import { writeInventory } from './inventory';
import { withLock } from './lock';
import { ensureKafkaJars } from './jars';
import { LabError, livePid, portOpen, waitFor } from './procs';
export { LabError } from './procs';
import { ZK_CHROOT, prepareBroker, prepareZookeeper, zkConnect } from './services';
import { startTemporal, stopTemporal, temporalPid, waitTemporalReady } from './temporal';

const run = promisify(execFile);

export interface ComponentStatus {
  name: string;
  kind: 'temporal' | 'zookeeper' | 'kafka' | 'ssh';
  pid: number | null;
  host: string;
  port: number;
  up: boolean;
}

export interface LabStatus {
  components: ComponentStatus[];
  inventory: string;
}

/** Runs a host's control command locally, exactly as a runbook runs it over SSH. */
export async function svc(c: LabConfig, host: string, action: string): Promise<string> {
  const { stdout } = await run(join(c.repoDir, 'lab', 'bin', 'svc'), [paths.hostDir(c, host), action]);
  return stdout.trim();
}

function servicePid(c: LabConfig, host: string): number | undefined {
  return livePid(join(paths.hostDir(c, host), 'service.pid'), paths.hostDir(c, host));
}

export async function up(overrides: ConfigOverrides = {}, log: (s: string) => void = () => {}): Promise<LabStatus> {
  const c = labConfig(overrides);
  mkdirSync(c.stateDir, { recursive: true });
  return withLock(join(c.stateDir, 'lab.lock'), async () => {
    checkPrerequisites();
    writeFileSync(join(c.stateDir, 'lab.json'), JSON.stringify(c, null, 2));
    await ensureKafkaJars(c, log);
    prepareHosts(c);
    for (let i = 1; i <= c.zkNodes; i++) prepareZookeeper(c, i);
    for (let i = 1; i <= c.brokers; i++) prepareBroker(c, i);
    log('starting Temporal, sshd hosts and ZooKeeper');
    const temporal = startTemporal(c);
    await startHosts(c);
    for (let i = 1; i <= c.zkNodes; i++) await startService(c, zkHost(i), c.ports.zkClient + i - 1, log);
    await waitZookeeper(c);
    for (let i = 1; i <= c.brokers; i++) await startService(c, brokerHost(i), c.ports.kafkaClient + i - 1, log);
    await waitBrokers(c);
    await temporal;
    const inventory = writeInventory(c);
    log(`inventory written to ${inventory}`);
    return status(c);
  });
}

/** Starts a host's service unless it runs; refuses when its port is taken by something that is not ours. */
async function startService(c: LabConfig, host: string, port: number, log: (s: string) => void): Promise<void> {
  if (!servicePid(c, host) && (await portOpen(port))) {
    throw new LabError(
      `port ${port}, needed by ${host}, is in use by another process; set REKINDLE_LAB_PORT_OFFSET=1000`,
    );
  }
  log(await svc(c, host, 'start'));
}

async function waitZookeeper(c: LabConfig): Promise<void> {
  for (let i = 1; i <= c.zkNodes; i++) {
    const port = c.ports.zkClient + i - 1;
    await waitFor(
      `ZooKeeper ${zkHost(i)} on port ${port}`,
      async () => (await fourLetter(port, 'ruok')) === 'imok',
      60_000,
    );
  }
  // In a quorum, ruok answers before the election ends; srvr answers only once it has a role.
  await waitFor(
    'ZooKeeper quorum',
    async () => /Mode: (leader|follower|standalone)/.test(await fourLetter(c.ports.zkClient, 'srvr')),
    60_000,
  );
}

async function waitBrokers(c: LabConfig): Promise<void> {
  const want = Array.from({ length: c.brokers }, (_, k) => k + 1).join(',');
  let suspect = new Set<string>();
  await waitFor(
    `Kafka brokers ${want} registered with a controller`,
    async () => {
      // Only a broker missing on two polls in a row counts as dead (a JVM mid-exec can read oddly in /proc).
      const missing = Array.from({ length: c.brokers }, (_, k) => brokerHost(k + 1)).filter((h) => !servicePid(c, h));
      const dead = missing.filter((h) => suspect.has(h));
      suspect = new Set(missing);
      if (dead.length)
        throw new LabError(`${dead.join(', ')} exited during start-up; see ${paths.logs(c)}/${dead[0]}.log`);
      const reg = await kafkaRegistration(zkConnect(c), ZK_CHROOT);
      if (reg.brokerIds.join(',') !== want || reg.controller === undefined) return false;
      // A broker registers before its client listener accepts; ready means both.
      const ports = Array.from({ length: c.brokers }, (_, k) => portOpen(c.ports.kafkaClient + k));
      return (await Promise.all(ports)).every(Boolean);
    },
    120_000,
    `; see ${paths.logs(c)}/kafka-*.log`,
  );
}

export async function status(c: LabConfig | undefined = savedConfig()): Promise<LabStatus> {
  if (!c) return { components: [], inventory: paths.inventory(labConfig()) };
  const components: ComponentStatus[] = [];
  const add = async (name: string, kind: ComponentStatus['kind'], pid: number | undefined, port: number) =>
    components.push({
      name,
      kind,
      pid: pid ?? null,
      host: '127.0.0.1',
      port,
      up: pid !== undefined && (await portOpen(port)),
    });
  await add('temporal', 'temporal', temporalPid(c), c.ports.temporal);
  for (let i = 1; i <= c.zkNodes; i++)
    await add(zkHost(i), 'zookeeper', servicePid(c, zkHost(i)), c.ports.zkClient + i - 1);
  for (let i = 1; i <= c.brokers; i++) {
    await add(brokerHost(i), 'kafka', servicePid(c, brokerHost(i)), c.ports.kafkaClient + i - 1);
  }
  for (const h of labHosts(c)) await add(`ssh-${h.name}`, 'ssh', sshdPid(c, h.name), h.sshPort);
  return { components, inventory: paths.inventory(c) };
}

/** True when every component of a started lab is up. */
export async function isUp(): Promise<boolean> {
  const s = await status();
  return s.components.length > 0 && s.components.every((x) => x.up);
}

export async function down(
  c: LabConfig | undefined = savedConfig(),
  log: (s: string) => void = () => {},
): Promise<void> {
  if (!c) return;
  await withLock(join(c.stateDir, 'lab.lock'), async () => {
    for (const h of labHosts(c)) {
      if (existsSync(join(paths.hostDir(c, h.name), 'service.env'))) await svc(c, h.name, 'unisolate').catch(() => '');
    }
    await Promise.all(
      Array.from({ length: c.brokers }, (_, k) => brokerHost(k + 1)).map(async (h) => log(await svc(c, h, 'stop'))),
    );
    for (let i = 1; i <= c.zkNodes; i++) log(await svc(c, zkHost(i), 'stop'));
    await stopHosts(c);
    await stopTemporal(c);
    log('lab stopped');
  });
}

export async function reset(log: (s: string) => void = () => {}): Promise<void> {
  const c = savedConfig() ?? labConfig();
  await down(savedConfig(), log);
  rmSync(c.stateDir, { recursive: true, force: true });
  log(`wiped ${c.stateDir}`);
}

/** Restarts the Temporal dev server on the same database file (for crash tests). */
export async function restartTemporal(c: LabConfig | undefined = savedConfig()): Promise<void> {
  if (!c) throw new Error('the lab is not set up; run `npm run lab -- up` first');
  await stopTemporal(c);
  await startTemporal(c);
  await waitTemporalReady(c);
}

function checkPrerequisites(): void {
  const missing = ['java', 'ssh-keygen', 'iptables', 'setsid'].filter(
    (cmd) => spawnSync('sh', ['-c', `command -v ${cmd}`]).status !== 0,
  );
  if (!existsSync('/usr/sbin/sshd')) missing.push('/usr/sbin/sshd (apt-get install openssh-server)');
  if (missing.length)
    throw new Error(`the lab needs ${missing.join(', ')}; run .ci/run's install step or apt-get install them`);
}
