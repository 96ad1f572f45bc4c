/**
 * The project's own depth-first tree walk. The library's listSubTreeBFS returns only the first level
 * with async 3.x (node-zookeeper-client#127), so it (and removeRecursive) are never used here.
 * Requests are pipelined on the one session, `concurrency` at a time, over an explicit stack.
 */
import type { ACL, Stat } from 'node-zookeeper-client';
import { ActionCancelledError } from '../errors';
import type { ZkClient } from './client';
import { ZkNoNodeError } from './errors';
import { childPath, isSystemPath } from './paths';

export interface WalkedNode {
  path: string;
  data: Buffer;
  stat: Stat;
  acl?: ACL[];
  children: string[];
}

export interface WalkOptions {
  withAcl?: boolean;
  concurrency?: number;
  /** Skip `/zookeeper` and below (default true). */
  skipSystem?: boolean;
  signal?: AbortSignal;
  /** Called every 1,000 nodes with the count so far (heartbeats). */
  onProgress?: (count: number) => void;
}

/** Visits `root` and all its descendants; nodes that vanish mid-walk are skipped. Throws ZK_NO_NODE when root is absent. */
export async function walkTree(client: ZkClient, root: string, opts: WalkOptions = {}): Promise<WalkedNode[]> {
  const out: WalkedNode[] = [];
  const stack = [root];
  const concurrency = opts.concurrency ?? 64;
  let inFlight = 0;
  let rootSeen = false;

  const visit = async (path: string): Promise<void> => {
    try {
      const [{ data, stat }, acl] = await Promise.all([
        client.getData(path),
        opts.withAcl ? client.getACL(path) : Promise.resolve(undefined),
      ]);
      // Leaves (most of a Kafka tree) need no getChildren round trip.
      const children = stat.numChildren > 0 ? await client.getChildren(path) : [];
      if (path === root) rootSeen = true;
      out.push({ path, data, stat, acl, children });
      for (const c of children.sort().reverse()) {
        const p = childPath(path, c);
        if (opts.skipSystem !== false && isSystemPath(p)) continue;
        stack.push(p);
      }
      if (out.length % 1000 === 0) opts.onProgress?.(out.length);
    } catch (err) {
      if (!(err instanceof ZkNoNodeError)) throw err;
    }
  };

  await new Promise<void>((resolve, reject) => {
    let failed = false;
    const pump = () => {
      if (failed) return;
      if (opts.signal?.aborted) {
        failed = true;
        reject(new ActionCancelledError('tree walk cancelled'));
        return;
      }
      while (inFlight < concurrency && stack.length > 0) {
        const path = stack.pop() as string;
        inFlight += 1;
        visit(path).then(
          () => {
            inFlight -= 1;
            pump();
          },
          (err) => {
            failed = true;
            reject(err);
          },
        );
      }
      if (inFlight === 0 && stack.length === 0) resolve();
    };
    pump();
  });
  if (!rootSeen) throw new ZkNoNodeError(root);
  return out;
}
