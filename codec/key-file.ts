/**
 * Loads the AES-256 key of the payload codec from a key file (a reference, never the key itself, is
 * what configuration carries). The file holds 32 bytes written as 64 hex digits, as base64, or raw.
 * Generate one with: `openssl rand -hex 32 > rekindle.key && chmod 600 rekindle.key`.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { CodecError } from './errors';

export interface CodecKey {
  /** 32 bytes. */
  key: Buffer;
  /** A short public id (SHA-256 prefix of the key), stored beside each encrypted payload. */
  id: string;
}

/** Parses key material. @throws CodecError CODEC_KEY_INVALID when it is not 32 bytes in a known spelling. */
export function parseKey(raw: Buffer, origin = 'key'): CodecKey {
  const text = raw.toString('utf8').trim();
  let key: Buffer | undefined;
  if (/^[0-9a-fA-F]{64}$/.test(text)) key = Buffer.from(text, 'hex');
  else if (/^[A-Za-z0-9+/]{43}=?$/.test(text)) key = Buffer.from(text, 'base64');
  else if (raw.length === 32) key = Buffer.from(raw);
  if (!key || key.length !== 32) {
    throw new CodecError(
      'CODEC_KEY_INVALID',
      `${origin} must hold a 32-byte key as 64 hex digits or base64 (openssl rand -hex 32)`,
    );
  }
  return { key, id: createHash('sha256').update(key).digest('hex').slice(0, 16) };
}

/** Reads and parses the key file at `path`. @throws CodecError CODEC_KEY_INVALID when unreadable or malformed. */
export function loadKeyFile(path: string): CodecKey {
  let raw: Buffer;
  try {
    raw = readFileSync(path);
  } catch (err) {
    throw new CodecError(
      'CODEC_KEY_INVALID',
      `cannot read codec key file ${path}: ${(err as NodeJS.ErrnoException).code ?? (err as Error).message}`,
    );
  }
  return parseKey(raw, `codec key file ${path}`);
}
