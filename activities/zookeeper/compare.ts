/**
 * Live tree vs backup: which znodes are missing, extra, or differ in data or ACL. Shared by restore
 * (what to write, then verification) and diff (scope identification).
 */
import type { ZkClient } from './client';
import { aclToJson } from './format';
import type { AclJson, ZkBackupNode } from './format';
import { isEphemeral, relPath } from './paths';
import { walkTree } from './walk';
import type { WalkOptions } from './walk';
import { ZkNoNodeError } from './errors';

export interface LiveNode {
  data: string;
  acl: AclJson[];
  ephemeral: boolean;
  version: number;
}

/** Reads the tree under `root` keyed by relative path; an absent root gives an empty map. */
export async function readLive(client: ZkClient, root: string, opts: WalkOptions = {}): Promise<Map<string, LiveNode>> {
  const live = new Map<string, LiveNode>();
  try {
    for (const n of await walkTree(client, root, { ...opts, withAcl: true })) {
      live.set(relPath(root, n.path), {
        data: n.data.toString('base64'),
        acl: (n.acl ?? []).map(aclToJson),
        ephemeral: isEphemeral(n.stat),
        version: n.stat.version,
      });
    }
  } catch (err) {
    if (!(err instanceof ZkNoNodeError)) throw err;
  }
  return live;
}

/** Order-insensitive ACL equality. */
export function sameAcl(a: AclJson[], b: AclJson[]): boolean {
  const key = (l: AclJson[]) =>
    l
      .map((x) => `${x.scheme}:${x.id}:${x.perms}`)
      .sort()
      .join(',');
  return key(a) === key(b);
}

export interface TreeDiff {
  /** In the backup, not live. */
  missing: string[];
  /** Live (persistent), not in the backup. */
  extra: string[];
  dataChanged: string[];
  aclChanged: string[];
}

/** Compares desired nodes with the live map; ephemeral live nodes are never "extra". Lists are sorted. */
export function diffTrees(desired: ZkBackupNode[], live: Map<string, LiveNode>): TreeDiff {
  const d: TreeDiff = { missing: [], extra: [], dataChanged: [], aclChanged: [] };
  const wanted = new Set<string>();
  for (const n of desired) {
    wanted.add(n.path);
    const l = live.get(n.path);
    if (!l) d.missing.push(n.path);
    else {
      if (l.data !== n.data) d.dataChanged.push(n.path);
      if (!sameAcl(l.acl, n.acl)) d.aclChanged.push(n.path);
    }
  }
  for (const [p, l] of live) if (!wanted.has(p) && !l.ephemeral) d.extra.push(p);
  for (const list of Object.values(d) as string[][]) list.sort();
  return d;
}
