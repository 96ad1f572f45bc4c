/**
 * Input validation at the door for the Kafka actions. Every failure is INVALID_INPUT (non-retryable)
 * and names the field (and index).
 */
import { isAbsolute, join } from 'node:path';
import type { Inventory } from '../../compiler/inventory';
import type { ActionRequest } from '../../compiler/plan';
import { InvalidInputError } from '../errors';
import { stepArtifactName, storeDir } from '../inputs';

export { storeDir };

/** The inventory's Kafka section; throws INVALID_INPUT when it has no bootstrap list. */
export function kafkaInventory(request: ActionRequest): Inventory['kafka'] {
  const k = (request.inventory as Partial<Inventory>).kafka;
  if (!k || !Array.isArray(k.bootstrap) || k.bootstrap.length === 0) {
    throw new InvalidInputError('inventory.kafka.bootstrap is required', { field: 'inventory.kafka.bootstrap' });
  }
  // Isolation cuts the client listener; Rekindle's own calls go through the operators' one when there is one.
  return k.adminBootstrap?.length ? { ...k, bootstrap: k.adminBootstrap } : k;
}

/** A path input resolved against the store unless absolute. */
export function storePath(request: ActionRequest, ref: string, fallback: string | undefined): string {
  return isAbsolute(ref) ? ref : join(storeDir(request, fallback), ref);
}

/** A stable per-step artifact name (see activities/inputs.ts). */
export const stepFileName = stepArtifactName;

/** Kafka's znodes for state reads, when the inventory names ZooKeeper and a reader is wired; else undefined. */
export function zkLocation(
  request: ActionRequest,
  reader: import('./deps').ZnodeReader | undefined,
): { reader: import('./deps').ZnodeReader; connect: string; chroot: string } | undefined {
  const zk = (request.inventory as Partial<Inventory>).zookeeper;
  if (!reader || !zk?.connect) return undefined;
  return { reader, connect: zk.connect, chroot: zk.chroot ?? '/' };
}
