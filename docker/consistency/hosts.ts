/**
 * Consistency of the inventory's hosts, brokers and ZooKeeper nodes with the compose services that run them:
 * every name, address, port, file and directory the inventory gives must be what the stack provides. Pure.
 */
import type { Inventory, InventoryBroker, InventoryHost, InventoryZkNode } from '../../compiler/inventory';
import type { ComposeFile, ComposeService, ReadFile } from './compose';
import { bindSource, exposedOf, onVolume, parseProperties, parseServiceEnv } from './compose';

/** The host image every inventory host runs, and where it expects its SSH host key and authorized_keys. */
export const HOST_DOCKERFILE = 'docker/host/Dockerfile';
export const HOST_SSH_KEYS = '/run/rekindle/ssh';

interface HostFiles {
  service?: ComposeService;
  env: Map<string, string>;
  hostDir: string;
}

/** The compose service, service.env and control directory of an inventory host; problems go to `out`. */
function hostFiles(c: ComposeFile, h: InventoryHost, read: ReadFile, out: string[]): HostFiles {
  const service = c.services[h.name];
  const [, hostDir = ''] = h.control.trim().split(/\s+/);
  const src = service ? bindSource(service, `${hostDir}/service.env`) : undefined;
  const text = src ? read(src) : undefined;
  if (service && !src) out.push(`host ${h.name}: service ${h.name} does not mount ${hostDir}/service.env`);
  if (src && text === undefined) out.push(`host ${h.name}: ${src} does not exist`);
  return { service, env: parseServiceEnv(text ?? ''), hostDir };
}

/** A config file the service mounts into the host directory, parsed; undefined (with a problem) when absent. */
function mountedConfig(what: string, f: HostFiles, name: string, read: ReadFile, out: string[]) {
  const src = f.service ? bindSource(f.service, `${f.hostDir}/${name}`) : undefined;
  const text = src ? read(src) : undefined;
  if (f.service && text === undefined) out.push(`${what}: no ${f.hostDir}/${name} mounted from the repository`);
  return text === undefined ? undefined : parseProperties(text);
}

/** Problems with the inventory's hosts: services, SSH ports, image, NET_ADMIN, keys, control command, service.env. Never throws. */
export function checkHosts(c: ComposeFile, inv: Inventory, read: ReadFile): string[] {
  const out: string[] = [];
  const dockerfile = read(HOST_DOCKERFILE) ?? '';
  for (const h of inv.hosts) {
    const s = c.services[h.name];
    if (!s) {
      out.push(`host ${h.name}: no compose service named ${h.name}`);
      continue;
    }
    if (h.address !== h.name) out.push(`host ${h.name}: address ${h.address} is not its compose service name`);
    if (!exposedOf(s).has(h.port)) out.push(`host ${h.name}: ssh port ${h.port} is not exposed by service ${h.name}`);
    if (s.build?.dockerfile !== HOST_DOCKERFILE) out.push(`host ${h.name}: service does not build ${HOST_DOCKERFILE}`);
    if (!(s.cap_add ?? []).includes('NET_ADMIN'))
      out.push(`host ${h.name}: no cap_add NET_ADMIN (svc isolate needs it)`);
    if (!bindSource(s, HOST_SSH_KEYS)) out.push(`host ${h.name}: no SSH host key mounted at ${HOST_SSH_KEYS}`);
    const parts = h.control.trim().split(/\s+/);
    if (parts.length !== 2) {
      out.push(`host ${h.name}: control "${h.control}" is not "<svc> <host dir>"`);
      continue;
    }
    if (!new RegExp(`^COPY\\s+lab/bin/svc\\s+${parts[0]}\\s*$`, 'm').test(dockerfile)) {
      out.push(`host ${h.name}: ${HOST_DOCKERFILE} does not copy lab/bin/svc to ${parts[0]}`);
    }
    const f = hostFiles(c, h, read, out);
    if (f.env.size === 0) continue;
    if (f.env.get('HOST') !== h.name) out.push(`host ${h.name}: service.env HOST is ${f.env.get('HOST')}`);
    if (f.env.get('SERVICE') !== h.service) {
      out.push(`host ${h.name}: service.env SERVICE is ${f.env.get('SERVICE')}, expected ${h.service}`);
    }
  }
  return out;
}

function checkBroker(c: ComposeFile, inv: Inventory, b: InventoryBroker, read: ReadFile, out: string[]): void {
  const what = `broker ${b.id}`;
  const h = inv.hosts.find((x) => x.name === b.host);
  if (!h || h.service !== 'kafka') return void out.push(`${what}: host ${b.host} is not a kafka host of the inventory`);
  if (b.address !== h.address) out.push(`${what}: address ${b.address} differs from host ${h.name}'s ${h.address}`);
  const f = hostFiles(c, h, read, []);
  if (!f.service) return;
  for (const p of [b.port, b.internalPort]) {
    if (!exposedOf(f.service).has(p)) out.push(`${what}: port ${p} is not exposed by service ${h.name}`);
  }
  if (f.env.get('PUBLIC_PORT') !== String(b.port)) {
    out.push(`${what}: service.env PUBLIC_PORT is ${f.env.get('PUBLIC_PORT')}, expected ${b.port}`);
  }
  if (!(f.env.get('CMD') ?? '').includes(`kafka.Kafka ${f.hostDir}/server.properties`)) {
    out.push(`${what}: service.env CMD does not run kafka.Kafka ${f.hostDir}/server.properties`);
  }
  for (const d of b.logDirs) if (!onVolume(f.service, d)) out.push(`${what}: log dir ${d} is not on a volume`);
  const props = mountedConfig(what, f, 'server.properties', read, out);
  if (!props) return;
  const expect = (key: string, value: string) => {
    if (props.get(key) !== value) out.push(`${what}: ${key} is ${props.get(key)}, expected ${value}`);
  };
  expect('broker.id', String(b.id));
  expect('inter.broker.listener.name', 'INTERNAL');
  expect('zookeeper.connect', `${inv.zookeeper.connect}${inv.zookeeper.chroot}`);
  expect('log.dirs', b.logDirs.join(','));
  expect('advertised.listeners', `CLIENT://${b.address}:${b.port},INTERNAL://${b.address}:${b.internalPort}`);
  // CLIENT binds loopback on svc's PORT, behind the relay, so that `svc isolate` (-i lo) cuts it.
  expect('listeners', `CLIENT://127.0.0.1:${f.env.get('PORT')},INTERNAL://0.0.0.0:${b.internalPort}`);
}

function checkZkNode(c: ComposeFile, inv: Inventory, n: InventoryZkNode, read: ReadFile, out: string[]): void {
  const what = `zookeeper node ${n.id}`;
  const h = inv.hosts.find((x) => x.name === n.host);
  if (!h || h.service !== 'zookeeper') return void out.push(`${what}: host ${n.host} is not a zookeeper host`);
  if (n.address !== h.address) out.push(`${what}: address ${n.address} differs from host ${h.name}'s ${h.address}`);
  const f = hostFiles(c, h, read, []);
  if (!f.service) return;
  if (!exposedOf(f.service).has(n.clientPort)) {
    out.push(`${what}: client port ${n.clientPort} is not exposed by service ${h.name}`);
  }
  if (f.env.get('PUBLIC_PORT') !== String(n.clientPort)) {
    out.push(`${what}: service.env PUBLIC_PORT is ${f.env.get('PUBLIC_PORT')}, expected ${n.clientPort}`);
  }
  if (f.env.get('MYID') !== String(n.id)) out.push(`${what}: service.env MYID is ${f.env.get('MYID')}`);
  if (!(f.env.get('CMD') ?? '').includes(`QuorumPeerMain ${f.hostDir}/zoo.cfg`)) {
    out.push(`${what}: service.env CMD does not run QuorumPeerMain ${f.hostDir}/zoo.cfg`);
  }
  for (const d of [n.dataDir, n.dataLogDir]) if (!onVolume(f.service, d)) out.push(`${what}: ${d} is not on a volume`);
  const cfg = mountedConfig(what, f, 'zoo.cfg', read, out);
  if (!cfg) return;
  const expect = (key: string, value: string | undefined) => {
    if (cfg.get(key) !== value) out.push(`${what}: zoo.cfg ${key} is ${cfg.get(key)}, expected ${value}`);
  };
  expect('dataDir', n.dataDir);
  expect('dataLogDir', n.dataLogDir);
  expect('clientPort', f.env.get('PORT'));
  expect('clientPortAddress', '127.0.0.1');
  if (f.env.get('MYID_FILE') !== `${n.dataDir}/myid`) out.push(`${what}: service.env MYID_FILE is not dataDir/myid`);
}

/** Problems with the brokers and ZooKeeper nodes against their hosts' configs, and with bootstrap/connect. Never throws. */
export function checkCluster(c: ComposeFile, inv: Inventory, read: ReadFile): string[] {
  const out: string[] = [];
  for (const b of inv.kafka.brokers) checkBroker(c, inv, b, read, out);
  for (const n of inv.zookeeper.nodes) checkZkNode(c, inv, n, read, out);
  const bootstrap = inv.kafka.brokers.map((b) => `${b.address}:${b.port}`).join(',');
  if (inv.kafka.bootstrap.join(',') !== bootstrap) {
    out.push(`kafka.bootstrap is ${inv.kafka.bootstrap.join(',')}, expected ${bootstrap}`);
  }
  const connect = inv.zookeeper.nodes.map((n) => `${n.address}:${n.clientPort}`).join(',');
  if (inv.zookeeper.connect !== connect) out.push(`zookeeper.connect is ${inv.zookeeper.connect}, expected ${connect}`);
  return out;
}
