/**
 * A known_hosts reader (ssh2 has none): plain and hashed (`|1|salt|hmac`) host patterns, `[host]:port`,
 * wildcards and negation, and the `@revoked` marker. `@cert-authority` lines are ignored (no CA support).
 */
import { createHmac } from 'node:crypto';

export interface HostKey {
  /** `ssh-ed25519`, `ecdsa-sha2-nistp256`, `ssh-rsa`, ... */
  type: string;
  /** The raw public key blob (what ssh2's hostVerifier receives). */
  blob: Buffer;
}

export interface KnownHostsMatch {
  keys: HostKey[];
  revoked: HostKey[];
}

/** Parses one `type base64 [comment]` key (the inventory's pinned `hostKey`). Returns undefined when malformed. */
export function parseHostKey(text: string): HostKey | undefined {
  const [type, b64] = text.trim().split(/\s+/);
  if (!type || !b64 || !/^[A-Za-z0-9+/=]+$/.test(b64)) return undefined;
  const blob = Buffer.from(b64, 'base64');
  // The blob starts with its own type string: a cheap guard against a key pasted under the wrong type.
  const len = blob.length >= 4 ? blob.readUInt32BE(0) : -1;
  if (len <= 0 || blob.subarray(4, 4 + len).toString() !== type) return undefined;
  return { type, blob };
}

/** The name known_hosts uses for a host: `addr` on port 22, `[addr]:port` otherwise. */
export function knownHostsName(address: string, port: number): string {
  return port === 22 ? address : `[${address}]:${port}`;
}

function globMatch(pattern: string, name: string): boolean {
  const re = pattern
    .replace(/[.+^${}()|[\]\\]/g, '\\$&')
    .replace(/\*/g, '.*')
    .replace(/\?/g, '.');
  return new RegExp(`^${re}$`, 'i').test(name);
}

function hashedMatch(entry: string, name: string): boolean {
  const [, magic, salt, hash] = entry.split('|');
  if (magic !== '1' || !salt || !hash) return false;
  const mac = createHmac('sha1', Buffer.from(salt, 'base64')).update(name).digest('base64');
  return mac === hash;
}

/** True when a comma-separated pattern list matches `name` (a negated match wins, as in OpenSSH). */
export function hostPatternsMatch(patterns: string, name: string): boolean {
  if (patterns.startsWith('|')) return hashedMatch(patterns, name);
  let matched = false;
  for (const p of patterns.split(',')) {
    if (p.startsWith('!')) {
      if (globMatch(p.slice(1), name)) return false;
    } else if (globMatch(p, name)) {
      matched = true;
    }
  }
  return matched;
}

/** Finds the keys (and revoked keys) a known_hosts text lists for `address:port`. */
export function lookupKnownHosts(text: string, address: string, port: number): KnownHostsMatch {
  const name = knownHostsName(address, port);
  const out: KnownHostsMatch = { keys: [], revoked: [] };
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const fields = line.split(/\s+/);
    const marker = fields[0].startsWith('@') ? fields.shift() : undefined;
    if (marker === '@cert-authority' || fields.length < 3) continue;
    if (!hostPatternsMatch(fields[0], name)) continue;
    const key = parseHostKey(`${fields[1]} ${fields[2]}`);
    if (!key) continue;
    (marker === '@revoked' ? out.revoked : out.keys).push(key);
  }
  return out;
}
