/**
 * Carries out a scenario's incident, step by step, destructively and for real, over SSH through each
 * host's own control command: kill brokers, wipe their log dirs, tamper with ZooKeeper's metadata,
 * wipe every ZooKeeper node's data (keeping only `myid`, as a re-provisioned host would have it), and
 * start brokers again on the damage.
 */
import type { Inventory } from '../compiler/inventory';
import type { SshShell } from '../activities/ssh';
import { shellQuote } from '../activities/ssh';
import { fourLetter } from '../activities/zookeeper/four-letter';
import { tamperZookeeper } from './incident';
import type { IncidentFacts } from './incident';
import type { IncidentStep } from './scenario';

const inv = (i: Inventory) => i as unknown as Record<string, unknown>;

function pick(inventory: Inventory, which: 'all' | number[]): Inventory['kafka']['brokers'] {
  if (which === 'all') return inventory.kafka.brokers;
  return which.map((id) => {
    const b = inventory.kafka.brokers.find((x) => x.id === id);
    if (!b) throw new Error(`the scenario names broker ${id}, which the inventory does not have`);
    return b;
  });
}

async function waitQuorum(inventory: Inventory, timeoutMs = 60_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const modes = await Promise.all(
      inventory.zookeeper.nodes.map((n) => fourLetter(n.address, n.clientPort, 'srvr', 2000).catch(() => '')),
    );
    if (modes.some((m) => /Mode: (leader|standalone)/.test(m))) return;
    if (Date.now() > deadline)
      throw new Error(`ZooKeeper did not regain a quorum within ${timeoutMs / 1000} s after the wipe`);
    await new Promise((r) => setTimeout(r, 1000));
  }
}

/** Runs the steps in order. Throws if a host cannot be reached or a command fails. */
export async function runIncident(
  steps: IncidentStep[],
  inventory: Inventory,
  shell: SshShell,
  log: (s: string) => void,
): Promise<IncidentFacts> {
  const facts: IncidentFacts = {
    at: new Date().toISOString(),
    brokersKilled: [],
    logDirsWiped: [],
    znodesDeleted: [],
    znodesAdded: [],
    znodesAltered: [],
  };
  const control = (host: string) => inventory.hosts.find((h) => h.name === host)!.control;
  const run = (host: string, command: string) => shell.run(inv(inventory), host, command);
  for (const step of steps) {
    if ('kill-brokers' in step) {
      for (const b of pick(inventory, step['kill-brokers'])) {
        await run(b.host, `${control(b.host)} kill`);
        facts.brokersKilled.push(b.id);
      }
      log(`killed brokers ${facts.brokersKilled.join(', ')} (SIGKILL)`);
    } else if ('wipe-log-dirs' in step) {
      for (const b of pick(inventory, step['wipe-log-dirs'])) {
        for (const dir of b.logDirs) {
          await run(b.host, `find ${shellQuote(dir)} -mindepth 1 -delete`);
          facts.logDirsWiped.push({ host: b.host, dir });
        }
      }
      log(`wiped ${facts.logDirsWiped.length} broker log dirs over SSH`);
    } else if ('tamper-zookeeper' in step) {
      Object.assign(facts, await tamperZookeeper(inventory));
      log(
        `ZooKeeper: deleted ${facts.znodesDeleted.length} znodes, added ${facts.znodesAdded.join(', ')}, altered ${facts.znodesAltered.join(', ')}`,
      );
    } else if ('wipe-zookeeper' in step) {
      for (const n of inventory.zookeeper.nodes) await run(n.host, `${control(n.host)} kill`);
      for (const n of inventory.zookeeper.nodes) {
        for (const dir of new Set([n.dataDir, n.dataLogDir])) {
          await run(n.host, `find ${shellQuote(dir)} -mindepth 1 ! -name myid -delete`);
          facts.logDirsWiped.push({ host: n.host, dir });
        }
      }
      for (const n of inventory.zookeeper.nodes) await run(n.host, `${control(n.host)} start`);
      await waitQuorum(inventory);
      facts.znodesDeleted.push('/');
      log(
        `wiped the data of all ${inventory.zookeeper.nodes.length} ZooKeeper nodes (myid kept) and restarted them empty`,
      );
    } else {
      const started = pick(inventory, step['start-brokers']);
      for (const b of started) await run(b.host, `${control(b.host)} start`);
      log(`restarted brokers ${started.map((b) => b.id).join(', ')} on the damaged state`);
    }
  }
  return facts;
}
