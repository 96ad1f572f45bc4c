/**
 * What tests need to find the lab: its inventory, Temporal address, hosts and brokers.
 * The lab is brought up by Jest's global setup (test/lab-setup.ts).
 */
import type { Inventory, InventoryBroker, InventoryHost } from '../../compiler/inventory';
import { labConfigOrThrow, readLabInventory } from '../../lab/inventory';

export { labConfigOrThrow };

/** The lab's inventory as written by `lab up`. */
export function labInventory(): Inventory {
  return readLabInventory();
}

export function temporalAddress(): string {
  return labInventory().temporal!.address;
}

export function labHost(name: string): InventoryHost {
  const h = labInventory().hosts.find((x) => x.name === name);
  if (!h) throw new Error(`no lab host named ${name}`);
  return h;
}

export function labBroker(id: number): InventoryBroker {
  const b = labInventory().kafka.brokers.find((x) => x.id === id);
  if (!b) throw new Error(`no lab broker ${id}`);
  return b;
}

/** ZooKeeper connect string including Kafka's chroot. */
export function kafkaZkConnect(): string {
  const inv = labInventory();
  return `${inv.zookeeper.connect}${inv.zookeeper.chroot}`;
}

/** A name unique to this test run, for topics, groups, chroots and workflow ids. */
export function uniqueName(prefix: string): string {
  return `${prefix}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
}
