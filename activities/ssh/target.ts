/**
 * Which host an action talks to, and how: resolves a host name (or a forEach item naming one) against
 * the inventory, reads the identity file and the expected host keys. Refuses hosts it cannot verify.
 */
import { readFileSync } from 'node:fs';
import type { InventoryHost } from '../../compiler/inventory';
import { InvalidInputError } from '../errors';
import { requireTargetHost } from '../inputs';
import { SshUnknownHostError } from './errors';
import { lookupKnownHosts, parseHostKey, type HostKey } from './known-hosts';

/** Everything needed to open (and pool) one SSH connection. */
export interface SshTarget {
  host: string;
  address: string;
  port: number;
  user: string;
  privateKey: Buffer;
  /** Accepted host keys; never empty. */
  keys: HostKey[];
  revoked: HostKey[];
  /** Identifies the connection in the pool: differs whenever anything above differs. */
  poolKey: string;
  /** The inventory entry, for callers that need `control` or `service`. */
  entry: InventoryHost;
}

/** Resolves file references (identityFile, knownHostsFile) to readable paths; the worker supplies it. */
export type PathResolver = (ref: string) => string;

/**
 * The host name an action targets: `inputs.host`, else `item.host` (a broker or ZooKeeper node), else
 * `item.name` (an inventory host), else the item itself when it is a host name. Throws InvalidInputError when none is given.
 */
export function targetHostName(inputs: Record<string, unknown>, item: unknown): string {
  return requireTargetHost(inputs.host, item);
}

/** Finds a host in the inventory. Throws SshUnknownHostError when it is not there. */
export function inventoryHost(inventory: Record<string, unknown>, name: string): InventoryHost {
  const hosts = (inventory.hosts ?? []) as InventoryHost[];
  const entry = Array.isArray(hosts) ? hosts.find((h) => h.name === name) : undefined;
  if (!entry) throw new SshUnknownHostError(name, 'not in the inventory');
  return entry;
}

/**
 * Builds the connection target for a host. Throws SshUnknownHostError when no key is pinned and
 * known_hosts has no entry (ssh2 would otherwise accept any key), InvalidInputError on unreadable files.
 */
export function resolveTarget(entry: InventoryHost, resolvePath: PathResolver = (p) => p): SshTarget {
  let keys: HostKey[] = [];
  let revoked: HostKey[] = [];
  if (entry.hostKey) {
    const key = parseHostKey(entry.hostKey);
    if (!key) throw new SshUnknownHostError(entry.name, 'pinned hostKey is malformed');
    keys = [key];
  } else if (entry.knownHostsFile) {
    const found = lookupKnownHosts(
      readRef(entry.knownHostsFile, resolvePath, 'knownHostsFile'),
      entry.address,
      entry.port,
    );
    keys = found.keys;
    revoked = found.revoked;
  }
  keys = keys.filter((k) => !revoked.some((r) => r.blob.equals(k.blob)));
  if (keys.length === 0) throw new SshUnknownHostError(entry.name, 'no pinned host key and no known_hosts entry');
  const privateKey = Buffer.from(readRef(entry.identityFile, resolvePath, 'identityFile'));
  const poolKey = [
    `${entry.user}@${entry.address}:${entry.port}`,
    entry.identityFile,
    ...keys.map((k) => k.blob.toString('base64')).sort(),
  ].join('|');
  return {
    host: entry.name,
    address: entry.address,
    port: entry.port,
    user: entry.user,
    privateKey,
    keys,
    revoked,
    poolKey,
    entry,
  };
}

function readRef(ref: string, resolvePath: PathResolver, field: string): string {
  try {
    return readFileSync(resolvePath(ref), 'utf8');
  } catch (err) {
    throw new InvalidInputError(`cannot read ${field} ${ref}: ${(err as Error).message}`, { field, ref });
  }
}
