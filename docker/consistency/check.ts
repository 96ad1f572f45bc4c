/**
 * The consistency check of docker-compose.yml against the inventory runbooks use for it
 * (inventories/compose.yaml): services, healthchecks, dependencies, published ports, Temporal and the worker,
 * plus the hosts and cluster checks of ./hosts. Pure: files come through `read`. Used by test/unit/compose.test.ts.
 */
import { posix } from 'node:path';
import type { Inventory } from '../../compiler/inventory';
import type { ComposeFile, ReadFile } from './compose';
import { bindSource, dependsOf, envOf, exposedOf, healthcheckOf, mountsOf, publishedOf } from './compose';
import { checkCluster, checkHosts } from './hosts';
import { checkWorkerService } from './worker-service';

/** The compose service names and image the checks expect for the worker and the search-attribute job. */
export const WORKER = 'worker';
export const TEMPORAL_INIT = 'temporal-init';
export const WORKER_DOCKERFILE = 'docker/worker/Dockerfile';

export interface Expectations {
  /** The search attributes Rekindle sets (lab/config.ts SEARCH_ATTRIBUTES). */
  searchAttributes: string[];
  /** The Kafka version the lab runs (lab/config.ts KAFKA_VERSION). */
  kafkaVersion: string;
}

/** A service that runs once and exits (`restart: "no"`): it has no healthcheck, dependents await its success. */
const oneShot = (c: ComposeFile, name: string) => c.services[name]?.restart === 'no';

function checkServices(c: ComposeFile, read: ReadFile): string[] {
  const out: string[] = [];
  const awaited = new Set(Object.values(c.services).flatMap((s) => Object.keys(dependsOf(s))));
  for (const [name, s] of Object.entries(c.services)) {
    if (!oneShot(c, name) && !healthcheckOf(s)) out.push(`service ${name}: no healthcheck`);
    // `docker compose up --wait` counts an exited container as a failure unless a service waits for it.
    if (oneShot(c, name) && !awaited.has(name)) out.push(`service ${name}: a one-shot that no service waits for`);
    for (const [dep, condition] of Object.entries(dependsOf(s))) {
      if (!c.services[dep]) {
        out.push(`service ${name}: depends_on ${dep}, which is no service`);
        continue;
      }
      const expected = oneShot(c, dep) ? 'service_completed_successfully' : 'service_healthy';
      if (condition !== expected) out.push(`service ${name}: depends_on ${dep} must have condition ${expected}`);
    }
    for (const p of publishedOf(s)) {
      if (p.hostIp !== '127.0.0.1') out.push(`service ${name}: publishes ${p.spec} beyond 127.0.0.1`);
    }
    for (const m of mountsOf(s)) {
      const src = m.source.replace(/^\.\//, '');
      if (m.bind && !src.startsWith('docker/keys/') && read(src) === undefined) {
        out.push(`service ${name}: mounts ${m.source}, which does not exist`);
      }
      if (!m.bind && !(c.volumes ?? {})[m.source]) out.push(`service ${name}: volume ${m.source} is not declared`);
    }
  }
  return out;
}

/** `host:port` split; port NaN when absent. */
function hostPort(address: string): [string, number] {
  const i = address.lastIndexOf(':');
  return i < 0 ? [address, NaN] : [address.slice(0, i), Number(address.slice(i + 1))];
}

function checkTemporal(c: ComposeFile, inv: Inventory, x: Expectations): string[] {
  const out: string[] = [];
  const t = inv.temporal;
  if (!t) return ['temporal: the inventory names no Temporal address'];
  const [host, port] = hostPort(t.address);
  const s = c.services[host];
  if (!s) out.push(`temporal: address ${t.address} names no compose service`);
  else if (!exposedOf(s).has(port)) out.push(`temporal: port ${port} is not exposed by service ${host}`);
  else if (!(healthcheckOf(s) ?? '').includes(t.address))
    out.push(`temporal: ${host}'s healthcheck does not ask ${t.address}`);
  if (t.uiPort !== undefined) {
    const ui = Object.entries(c.services).find(([, u]) => (u.image ?? '').startsWith('temporalio/ui:'));
    if (!ui) out.push('temporal: no temporalio/ui service');
    else if (!exposedOf(ui[1]).has(t.uiPort)) out.push(`temporal: UI port ${t.uiPort} is not exposed by ${ui[0]}`);
    else if (envOf(ui[1]).TEMPORAL_ADDRESS !== t.address) out.push(`temporal: ${ui[0]} does not use ${t.address}`);
  }
  const init = c.services[TEMPORAL_INIT];
  if (!init) return [...out, `temporal: no ${TEMPORAL_INIT} service registers the search attributes`];
  const env = envOf(init);
  if (env.TEMPORAL_ADDRESS !== t.address) out.push(`temporal: ${TEMPORAL_INIT} TEMPORAL_ADDRESS is not ${t.address}`);
  if (env.NAMESPACE !== t.namespace) out.push(`temporal: ${TEMPORAL_INIT} NAMESPACE is not ${t.namespace}`);
  const attrs = (env.SEARCH_ATTRIBUTES ?? '').split(/\s+/).filter(Boolean).sort().join(' ');
  const wanted = [...x.searchAttributes].sort().join(' ');
  if (attrs !== wanted) out.push(`temporal: ${TEMPORAL_INIT} registers "${attrs}", expected "${wanted}"`);
  return out;
}

function checkWorker(c: ComposeFile, inv: Inventory): string[] {
  const w = c.services[WORKER];
  if (!w) return [`worker: no compose service named ${WORKER}`];
  const out: string[] = [];
  const env = envOf(w);
  const expect = (key: string, value: string | undefined) => {
    if (env[key] !== value) out.push(`worker: ${key} is ${env[key]}, expected ${value}`);
  };
  if (w.build?.dockerfile !== WORKER_DOCKERFILE) out.push(`worker: does not build ${WORKER_DOCKERFILE}`);
  expect('REKINDLE_TEMPORAL_ADDRESS', inv.temporal?.address);
  expect('REKINDLE_NAMESPACE', inv.temporal?.namespace);
  expect('REKINDLE_BACKUP_STORE', inv.backupStore);
  if (!mountsOf(w).some((m) => !m.bind && m.target === inv.backupStore)) {
    out.push(`worker: backupStore ${inv.backupStore} is not a volume`);
  }
  if (!env.REKINDLE_KEYS_SOURCE || !bindSource(w, env.REKINDLE_KEYS_SOURCE)) {
    out.push(`worker: REKINDLE_KEYS_SOURCE ${env.REKINDLE_KEYS_SOURCE} is not a bind mount`);
  }
  for (const h of inv.hosts) {
    for (const file of [h.identityFile, h.knownHostsFile ?? h.identityFile]) {
      if (posix.dirname(file) !== env.REKINDLE_KEYS_DIR) {
        out.push(`host ${h.name}: ${file} is not in the worker's REKINDLE_KEYS_DIR ${env.REKINDLE_KEYS_DIR}`);
      }
    }
  }
  return out;
}

function checkImages(read: ReadFile, x: Expectations): string[] {
  const host = read('docker/host/Dockerfile') ?? '';
  const m = /^ARG KAFKA_VERSION=(\S+)$/m.exec(host);
  return m?.[1] === x.kafkaVersion
    ? []
    : [`docker/host/Dockerfile: KAFKA_VERSION is ${m?.[1]}, expected ${x.kafkaVersion}`];
}

/**
 * Every inconsistency between the compose file and the inventory, as one message each (empty when none).
 * Never throws on well-typed input; a missing field shows up as a problem.
 */
export function composeProblems(c: ComposeFile, inv: Inventory, read: ReadFile, x: Expectations): string[] {
  return [
    ...checkServices(c, read),
    ...checkHosts(c, inv, read),
    ...checkCluster(c, inv, read),
    ...checkTemporal(c, inv, x),
    ...checkWorker(c, inv),
    ...(c.services[WORKER] ? checkWorkerService(c.services[WORKER], read) : []),
    ...checkImages(read, x),
  ];
}
