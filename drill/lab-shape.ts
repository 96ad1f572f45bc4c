/**
 * The lab a scenario needs: the ZooKeeper ensemble size is fixed when the lab is created, so a scenario
 * that needs another size resets the lab (its state directory, Temporal's database included) first.
 */
import { reset, up } from '../lab';
import { savedConfig } from '../lab/config';

/** Brings the lab up with `zkNodes` ZooKeeper nodes, resetting it first when it has another size. */
export async function ensureLab(zkNodes: 1 | 3, log: (s: string) => void): Promise<void> {
  const saved = savedConfig();
  if (saved && saved.zkNodes !== zkNodes) {
    log(`the lab has ${saved.zkNodes} ZooKeeper node(s) and this scenario needs ${zkNodes}: resetting it`);
    await reset(log);
  }
  await up({ zkNodes }, log);
}
