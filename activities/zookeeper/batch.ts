/**
 * Batched multi-op writes. Each `transaction()` is one request, so a batch is cut before its estimated
 * size reaches `maxBytes` (default 512 KiB, well under the server's jute.maxbuffer of ~1 MiB) or
 * `maxOps` operations.
 */
import { ACL, Id } from 'node-zookeeper-client';
import type { Transaction } from 'node-zookeeper-client';
import { CreateMode } from 'node-zookeeper-client';
import { ActionCancelledError } from '../errors';
import type { ActionContext } from '../errors';
import type { ZkClient } from './client';
import type { AclJson } from './format';

export type WriteOp =
  | { kind: 'create'; path: string; data: Buffer; acl: AclJson[] }
  | { kind: 'setData'; path: string; data: Buffer }
  | { kind: 'remove'; path: string };

export interface BatchLimits {
  maxBytes?: number;
  maxOps?: number;
}

/** ACL JSON to the library's classes; an empty list means world:anyone:all. */
export function toAcl(list: AclJson[]): ACL[] {
  const l = list.length > 0 ? list : [{ perms: 31, scheme: 'world', id: 'anyone' }];
  return l.map((a) => new ACL(a.perms, new Id(a.scheme, a.id)));
}

/** Rough wire size of one op: header, path, data and ACLs. */
export function opBytes(op: WriteOp): number {
  const base = 32 + Buffer.byteLength(op.path);
  if (op.kind === 'remove') return base;
  const acl = op.kind === 'create' ? op.acl.reduce((s, a) => s + 16 + a.scheme.length + a.id.length, 0) : 0;
  return base + op.data.length + acl;
}

/** Splits ops into batches under the limits, keeping order (parents before children). */
export function planBatches(ops: WriteOp[], limits: BatchLimits = {}): WriteOp[][] {
  const maxBytes = limits.maxBytes ?? 512 * 1024;
  const maxOps = limits.maxOps ?? 1000;
  const batches: WriteOp[][] = [];
  let cur: WriteOp[] = [];
  let size = 0;
  for (const op of ops) {
    const b = opBytes(op);
    if (cur.length > 0 && (size + b > maxBytes || cur.length >= maxOps)) {
      batches.push(cur);
      cur = [];
      size = 0;
    }
    cur.push(op);
    size += b;
  }
  if (cur.length > 0) batches.push(cur);
  return batches;
}

function addOp(tx: Transaction, op: WriteOp): void {
  if (op.kind === 'create') tx.create(op.path, op.data, toAcl(op.acl), CreateMode.PERSISTENT);
  else if (op.kind === 'setData') tx.setData(op.path, op.data, -1);
  else tx.remove(op.path, -1);
}

/** Commits every batch in order, heartbeating after each; stops between batches when cancelled. */
export async function commitBatches(client: ZkClient, batches: WriteOp[][], ctx?: ActionContext): Promise<number> {
  let done = 0;
  for (const batch of batches) {
    if (ctx?.signal.aborted) throw new ActionCancelledError('restore cancelled between batches', { opsDone: done });
    await client.commit(
      (tx) => batch.forEach((op) => addOp(tx, op)),
      `transaction of ${batch.length} ops at ${batch[0].path}`,
    );
    done += batch.length;
    ctx?.heartbeat({ phase: 'write', ops: done });
  }
  return done;
}
