/**
 * An AES-256-GCM PayloadCodec: every payload (workflow input, activity input and result, update
 * arguments, failures' details, memo) is replaced by an encrypted one before it reaches Temporal.
 * Search attributes are not payload-coded by Temporal; they must never carry sensitive values.
 *
 * Encrypted payload: metadata {encoding: "binary/encrypted", "encryption-key-id": <id>}, data =
 * 12-byte IV ‖ ciphertext ‖ 16-byte tag, where the plaintext is the original payload as JSON
 * ({metadata: {k: base64}, data: base64}). The key id is authenticated as additional data.
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import type { Payload, PayloadCodec } from '@temporalio/common';
import { CodecError } from './errors';
import type { CodecKey } from './key-file';

export const ENCRYPTED_ENCODING = 'binary/encrypted';
export const KEY_ID_METADATA = 'encryption-key-id';
const IV_BYTES = 12;
const TAG_BYTES = 16;

const utf8 = (s: string) => new TextEncoder().encode(s);
const text = (b: Uint8Array | null | undefined) => (b ? Buffer.from(b).toString('utf8') : '');

function serialise(p: Payload): Buffer {
  const metadata: Record<string, string> = {};
  for (const [k, v] of Object.entries(p.metadata ?? {})) metadata[k] = Buffer.from(v).toString('base64');
  return Buffer.from(JSON.stringify({ metadata, data: Buffer.from(p.data ?? new Uint8Array()).toString('base64') }));
}

function deserialise(b: Buffer): Payload {
  try {
    const o = JSON.parse(b.toString('utf8')) as { metadata: Record<string, string>; data: string };
    const metadata: Record<string, Uint8Array> = {};
    for (const [k, v] of Object.entries(o.metadata)) metadata[k] = new Uint8Array(Buffer.from(v, 'base64'));
    return { metadata, data: new Uint8Array(Buffer.from(o.data, 'base64')) };
  } catch (err) {
    throw new CodecError(
      'CODEC_PAYLOAD_MALFORMED',
      `decrypted payload is not a serialised payload: ${(err as Error).message}`,
    );
  }
}

/** Encrypts and decrypts payloads with one key; payloads that are not encrypted pass through decode unchanged. */
export class AesGcmCodec implements PayloadCodec {
  constructor(private readonly codecKey: CodecKey) {}

  get keyId(): string {
    return this.codecKey.id;
  }

  /** Encrypts every payload. Never throws for valid payloads. */
  async encode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      const iv = randomBytes(IV_BYTES);
      const cipher = createCipheriv('aes-256-gcm', this.codecKey.key, iv);
      cipher.setAAD(Buffer.from(this.codecKey.id));
      const body = Buffer.concat([cipher.update(serialise(p)), cipher.final()]);
      return {
        metadata: { encoding: utf8(ENCRYPTED_ENCODING), [KEY_ID_METADATA]: utf8(this.codecKey.id) },
        data: new Uint8Array(Buffer.concat([iv, body, cipher.getAuthTag()])),
      };
    });
  }

  /**
   * Decrypts encrypted payloads, passes others through.
   * @throws CodecError CODEC_KEY_UNKNOWN (encrypted with another key) or CODEC_DECRYPT_FAILED (wrong key, tampered bytes).
   */
  async decode(payloads: Payload[]): Promise<Payload[]> {
    return payloads.map((p) => {
      if (text(p.metadata?.encoding) !== ENCRYPTED_ENCODING) return p;
      const id = text(p.metadata?.[KEY_ID_METADATA]);
      if (id !== this.codecKey.id) {
        throw new CodecError(
          'CODEC_KEY_UNKNOWN',
          `payload was encrypted with key ${id || '(none)'}, but the configured key is ${this.codecKey.id}`,
        );
      }
      const data = Buffer.from(p.data ?? new Uint8Array());
      if (data.length < IV_BYTES + TAG_BYTES)
        throw new CodecError('CODEC_PAYLOAD_MALFORMED', 'encrypted payload is too short');
      try {
        const decipher = createDecipheriv('aes-256-gcm', this.codecKey.key, data.subarray(0, IV_BYTES));
        decipher.setAAD(Buffer.from(id));
        decipher.setAuthTag(data.subarray(data.length - TAG_BYTES));
        return deserialise(
          Buffer.concat([decipher.update(data.subarray(IV_BYTES, data.length - TAG_BYTES)), decipher.final()]),
        );
      } catch (err) {
        if (err instanceof CodecError) throw err;
        throw new CodecError(
          'CODEC_DECRYPT_FAILED',
          `cannot decrypt a payload (wrong key or tampered data): ${(err as Error).message}`,
        );
      }
    });
  }
}
