/**
 * The ZooKeeper part of the drill's cyber incident, destructively and for real: a topic deleted, a rogue
 * ACL added, a topic config altered. The scenario's steps (incident-steps.ts) run it among the others.
 */
import type { Inventory } from '../compiler/inventory';
import { ZkClient } from '../activities/zookeeper/client';
import { walkTree } from '../activities/zookeeper/walk';

export const DELETED_TOPIC = 'orders';
export const ROGUE_ACL_PATH = '/kafka-acl/Topic/payments';
export const ALTERED_CONFIG_PATH = '/config/topics/payments';
export const ROGUE_PRINCIPAL = 'User:mallory';

export interface IncidentFacts {
  at: string;
  brokersKilled: number[];
  logDirsWiped: Array<{ host: string; dir: string }>;
  znodesDeleted: string[];
  znodesAdded: string[];
  znodesAltered: string[];
}

async function ensurePath(zk: ZkClient, path: string, data: Buffer): Promise<void> {
  const parts = path.split('/').filter(Boolean);
  for (let k = 1; k <= parts.length; k++) {
    const p = `/${parts.slice(0, k).join('/')}`;
    if (!(await zk.exists(p))) await zk.create(p, k === parts.length ? data : Buffer.alloc(0));
  }
}

/** Tampers with Kafka's metadata under the chroot; returns what it changed (paths relative to the chroot). */
export async function tamperZookeeper(
  inventory: Inventory,
): Promise<Pick<IncidentFacts, 'znodesDeleted' | 'znodesAdded' | 'znodesAltered'>> {
  const zk = await ZkClient.open(`${inventory.zookeeper.connect}${inventory.zookeeper.chroot}`);
  try {
    const deleted: string[] = [];
    for (const root of [`/brokers/topics/${DELETED_TOPIC}`, `/config/topics/${DELETED_TOPIC}`]) {
      if (!(await zk.exists(root))) continue;
      const nodes = await walkTree(zk, root);
      for (const n of [...nodes].sort((a, b) => b.path.split('/').length - a.path.split('/').length)) {
        await zk.remove(n.path);
        deleted.push(n.path);
      }
    }
    const acl = {
      version: 1,
      acls: [{ principal: ROGUE_PRINCIPAL, permissionType: 'Allow', operation: 'All', host: '*' }],
    };
    await ensurePath(zk, ROGUE_ACL_PATH, Buffer.from(JSON.stringify(acl)));
    const config = { version: 1, config: { 'retention.ms': '1', 'min.insync.replicas': '1' } };
    await zk.setData(ALTERED_CONFIG_PATH, Buffer.from(JSON.stringify(config)));
    return { znodesDeleted: deleted, znodesAdded: [ROGUE_ACL_PATH], znodesAltered: [ALTERED_CONFIG_PATH] };
  } finally {
    zk.close();
  }
}
