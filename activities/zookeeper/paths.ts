/**
 * Path arithmetic and the Kafka-aware rules of what a restore must leave out. Paths in a backup are
 * relative to the exported root ('' is the root itself, '/brokers' a child), so a backup of `/kafka`
 * can be restored under another chroot.
 */
import type { Stat } from 'node-zookeeper-client';

/** Znodes under Kafka's chroot that a restore must never write (ephemeral, or re-triggering admin work). */
const EXCLUDED_SUBTREES = [
  '/controller',
  '/admin/delete_topics',
  '/admin/reassign_partitions',
  '/admin/preferred_replica_election',
  '/isr_change_notification',
  '/log_dir_event_notification',
  '/config/changes',
  '/delegation_token/token_changes',
];
const ACL_CHANGES = /^\/kafka-acl[^/]*-changes(\/|$)/;

/** Why `rel` (a path relative to the Kafka chroot) must not be restored, or undefined when it may be. */
export function restoreExclusion(rel: string): string | undefined {
  for (const s of EXCLUDED_SUBTREES) if (rel === s || rel.startsWith(`${s}/`)) return s;
  if (rel.startsWith('/brokers/ids/')) return '/brokers/ids/*';
  if (ACL_CHANGES.test(rel)) return '/kafka-acl*-changes';
  return undefined;
}

/** Normalises a root: leading slash, no trailing slash, '/' stays '/'. Throws on empty segments. */
export function normaliseRoot(root: string): string {
  const trimmed = root.trim();
  if (!trimmed.startsWith('/')) throw new Error(`ZooKeeper path must start with '/': ${root}`);
  const out = trimmed.length > 1 ? trimmed.replace(/\/+$/, '') : '/';
  if (
    out !== '/' &&
    out
      .split('/')
      .slice(1)
      .some((s) => s === '' || s === '.' || s === '..')
  ) {
    throw new Error(`invalid ZooKeeper path: ${root}`);
  }
  return out;
}

/** Absolute path of `rel` under `root`. */
export function absPath(root: string, rel: string): string {
  if (root === '/') return rel === '' ? '/' : rel;
  return `${root}${rel}`;
}

/** `abs` relative to `root` ('' for the root itself). */
export function relPath(root: string, abs: string): string {
  if (root === '/') return abs === '/' ? '' : abs;
  return abs === root ? '' : abs.slice(root.length);
}

/** Child path. */
export function childPath(parent: string, name: string): string {
  return parent === '/' ? `/${name}` : `${parent}/${name}`;
}

/** Depth of a relative path ('' is 0, '/a' is 1). */
export function depth(rel: string): number {
  return rel === '' ? 0 : rel.split('/').length - 1;
}

/** The ZooKeeper system subtree, never exported. */
export function isSystemPath(abs: string): boolean {
  return abs === '/zookeeper' || abs.startsWith('/zookeeper/');
}

/** An 8-byte big-endian long as a bigint. */
export function longOf(buf: Buffer): bigint {
  return buf.length === 8 ? buf.readBigInt64BE(0) : 0n;
}

/** True when the node belongs to a session (ephemeralOwner is not all zeros). */
export function isEphemeral(stat: Stat): boolean {
  return longOf(stat.ephemeralOwner) !== 0n;
}

/** Stat as plain JSON (zxids in hex, times in ms). */
export interface StatJson {
  czxid: string;
  mzxid: string;
  pzxid: string;
  ctime: number;
  mtime: number;
  version: number;
  cversion: number;
  aversion: number;
  dataLength: number;
  numChildren: number;
}

export function statToJson(stat: Stat): StatJson {
  const hex = (b: Buffer) => `0x${longOf(b).toString(16)}`;
  return {
    czxid: hex(stat.czxid),
    mzxid: hex(stat.mzxid),
    pzxid: hex(stat.pzxid),
    ctime: Number(longOf(stat.ctime)),
    mtime: Number(longOf(stat.mtime)),
    version: stat.version,
    cversion: stat.cversion,
    aversion: stat.aversion,
    dataLength: stat.dataLength,
    numChildren: stat.numChildren,
  };
}
