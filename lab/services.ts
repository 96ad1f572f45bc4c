/**
 * ZooKeeper and Kafka as host services: writes each host's config and the service.env its control
 * command (lab/bin/svc) reads, so the lab and a runbook over SSH start and stop them the same way.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import type { LabConfig } from './config';
import { brokerHost, paths, zkHost } from './config';

export const ZK_CHROOT = '/kafka';
const JVM_FLAGS = '-XX:+UseSerialGC -XX:TieredStopAtLevel=1 -Djava.awt.headless=true';

export const zkDataDir = (c: LabConfig, i: number) => join(paths.hostDir(c, zkHost(i)), 'data', 'zookeeper');
export const zkLogDir = (c: LabConfig, i: number) => join(paths.hostDir(c, zkHost(i)), 'data', 'zookeeper-txlog');
export const brokerLogDir = (c: LabConfig, i: number) => join(paths.hostDir(c, brokerHost(i)), 'data', 'kafka-logs');
export const svcCommand = (c: LabConfig, host: string) =>
  `${join(c.repoDir, 'lab', 'bin', 'svc')} ${paths.hostDir(c, host)}`;
export const zkConnect = (c: LabConfig) =>
  Array.from({ length: c.zkNodes }, (_, k) => `127.0.0.1:${c.ports.zkClient + k}`).join(',');

function log4j(c: LabConfig): string {
  const file = join(c.stateDir, 'log4j.properties');
  writeFileSync(
    file,
    [
      'log4j.rootLogger=INFO, stdout',
      'log4j.appender.stdout=org.apache.log4j.ConsoleAppender',
      'log4j.appender.stdout.layout=org.apache.log4j.PatternLayout',
      'log4j.appender.stdout.layout.ConversionPattern=[%d] %p %m (%c)%n',
      'log4j.logger.kafka.request.logger=WARN',
      'log4j.logger.state.change.logger=WARN',
      '',
    ].join('\n'),
  );
  return file;
}

/**
 * Broker heap: 256m, or REKINDLE_LAB_KAFKA_HEAP (e.g. `768m`; `npm run drill:large` sets it, since 256m runs
 * out with 2,000 partitions). Brokers pick it up when they (re)start.
 * @throws Error when the variable is not a JVM size like 512m or 1g.
 */
export function kafkaHeap(): string {
  const heap = process.env.REKINDLE_LAB_KAFKA_HEAP ?? '256m';
  if (!/^\d+[mg]$/.test(heap))
    throw new Error(`REKINDLE_LAB_KAFKA_HEAP must be a JVM size like 512m or 1g, not '${heap}'`);
  return heap;
}

function java(c: LabConfig, heap: string, mainClass: string, arg: string): string {
  const cp = join(paths.kafkaLibs(c), '*');
  return `java -Xms${heap} -Xmx${heap} ${JVM_FLAGS} -Dlog4j.configuration=file:${log4j(c)} -cp ${cp} ${mainClass} ${arg}`;
}

function serviceEnv(dir: string, vars: Record<string, string | number>): void {
  const lines = Object.entries(vars).map(([k, v]) => `${k}=${JSON.stringify(String(v))}`);
  writeFileSync(join(dir, 'service.env'), `${lines.join('\n')}\n`);
}

/** zoo.cfg, myid and service.env for ZooKeeper node i (1-based). */
export function prepareZookeeper(c: LabConfig, i: number): void {
  const host = zkHost(i);
  const dir = paths.hostDir(c, host);
  mkdirSync(zkDataDir(c, i), { recursive: true });
  mkdirSync(zkLogDir(c, i), { recursive: true });
  writeFileSync(join(zkDataDir(c, i), 'myid'), `${i}\n`);
  const cfg = [
    'tickTime=2000',
    'initLimit=10',
    'syncLimit=5',
    `dataDir=${zkDataDir(c, i)}`,
    `dataLogDir=${zkLogDir(c, i)}`,
    `clientPort=${c.ports.zkClient + i - 1}`,
    'clientPortAddress=127.0.0.1',
    'maxClientCnxns=200',
    'admin.enableServer=false',
    '4lw.commands.whitelist=ruok,srvr,mntr,stat',
    'autopurge.snapRetainCount=3',
    'autopurge.purgeInterval=0',
  ];
  if (c.zkNodes > 1) {
    for (let k = 1; k <= c.zkNodes; k++) {
      cfg.push(`server.${k}=127.0.0.1:${c.ports.zkPeer + k - 1}:${c.ports.zkElection + k - 1}`);
    }
  }
  const cfgFile = join(dir, 'zoo.cfg');
  writeFileSync(cfgFile, `${cfg.join('\n')}\n`);
  serviceEnv(dir, {
    SERVICE: 'zookeeper',
    HOST: host,
    PORT: c.ports.zkClient + i - 1,
    CMD: java(c, '128m', 'org.apache.zookeeper.server.quorum.QuorumPeerMain', cfgFile),
    LOG: join(paths.logs(c), `${host}.log`),
    STOP_TIMEOUT: 30,
  });
}

/**
 * Broker i's operators' listener: isolation cuts CLIENT only, so the recovery can still verify data,
 * reset offsets and smoke-test an isolated cluster before it is reintroduced.
 */
export const opsPort = (c: LabConfig, i: number) => c.ports.kafkaClient + 400 + i - 1;

/** server.properties and service.env for broker i (1-based), with separate client and internal listeners. */
export function prepareBroker(c: LabConfig, i: number): void {
  const host = brokerHost(i);
  const dir = paths.hostDir(c, host);
  mkdirSync(brokerLogDir(c, i), { recursive: true });
  const client = c.ports.kafkaClient + i - 1;
  const internal = c.ports.kafkaInternal + i - 1;
  const ops = opsPort(c, i);
  const props = [
    `broker.id=${i}`,
    `listeners=CLIENT://127.0.0.1:${client},INTERNAL://127.0.0.1:${internal},OPS://127.0.0.1:${ops}`,
    `advertised.listeners=CLIENT://127.0.0.1:${client},INTERNAL://127.0.0.1:${internal},OPS://127.0.0.1:${ops}`,
    'listener.security.protocol.map=CLIENT:PLAINTEXT,INTERNAL:PLAINTEXT,OPS:PLAINTEXT',
    'inter.broker.listener.name=INTERNAL',
    `log.dirs=${brokerLogDir(c, i)}`,
    `zookeeper.connect=${zkConnect(c)}${ZK_CHROOT}`,
    // A killed broker's ephemeral /brokers/ids entry lingers this long; keep it short for the lab.
    'zookeeper.session.timeout.ms=6000',
    'num.partitions=3',
    'default.replication.factor=3',
    'min.insync.replicas=2',
    'offsets.topic.replication.factor=3',
    'offsets.topic.num.partitions=10',
    'transaction.state.log.replication.factor=3',
    'transaction.state.log.min.isr=2',
    'group.initial.rebalance.delay.ms=0',
    'auto.create.topics.enable=false',
    'delete.topic.enable=true',
    'controlled.shutdown.enable=true',
    'unclean.leader.election.enable=false',
    'num.network.threads=2',
    'num.io.threads=2',
    'background.threads=2',
    'num.recovery.threads.per.data.dir=1',
    'log.retention.hours=-1',
    'log.segment.bytes=16777216',
    '',
  ];
  const propsFile = join(dir, 'server.properties');
  writeFileSync(propsFile, props.join('\n'));
  serviceEnv(dir, {
    SERVICE: 'kafka',
    HOST: host,
    PORT: client,
    CMD: java(c, kafkaHeap(), 'kafka.Kafka', propsFile),
    LOG: join(paths.logs(c), `${host}.log`),
    STOP_TIMEOUT: 60,
  });
}
