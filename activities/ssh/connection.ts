/**
 * Opens one verified ssh2 connection. Host key verification is always on: a key that is not among the
 * target's accepted keys fails with SSH_HOST_KEY_MISMATCH, before authentication.
 */
import { createHash } from 'node:crypto';
import { Client, type ConnectConfig } from 'ssh2';
import { SshConnectError, SshHostKeyMismatchError, mapConnectError } from './errors';
import type { SshTarget } from './target';

export interface ConnectOptions {
  readyTimeoutMs: number;
  keepaliveIntervalMs: number;
  keepaliveCountMax: number;
}

export const DEFAULT_CONNECT_OPTIONS: ConnectOptions = {
  readyTimeoutMs: 15_000,
  keepaliveIntervalMs: 10_000,
  keepaliveCountMax: 3,
};

/** SHA256 fingerprint as OpenSSH prints it, for messages. */
export function fingerprint(blob: Buffer): string {
  return `SHA256:${createHash('sha256').update(blob).digest('base64').replace(/=+$/, '')}`;
}

/** Host key algorithms to offer, restricted to the pinned key types so the server presents one of them. */
function hostKeyAlgorithms(target: SshTarget): string[] | undefined {
  const types = new Set(target.keys.map((k) => k.type));
  if (types.has('ssh-rsa')) return undefined; // rsa-sha2-* negotiate under the ssh-rsa blob type; keep defaults
  return [...types];
}

/**
 * Connects and authenticates. Resolves with a ready Client; rejects with SshHostKeyMismatchError,
 * SshAuthError or SshConnectError (retryable).
 */
export function connect(target: SshTarget, opts: ConnectOptions = DEFAULT_CONNECT_OPTIONS): Promise<Client> {
  return new Promise((resolve, reject) => {
    const client = new Client();
    let rejected: Error | undefined;
    let settled = false;
    const fail = (err: Error) => {
      if (settled) return;
      settled = true;
      client.end();
      reject(err);
    };
    const algorithms = hostKeyAlgorithms(target);
    const config: ConnectConfig = {
      host: target.address,
      port: target.port,
      username: target.user,
      privateKey: target.privateKey,
      readyTimeout: opts.readyTimeoutMs,
      keepaliveInterval: opts.keepaliveIntervalMs,
      keepaliveCountMax: opts.keepaliveCountMax,
      ...(algorithms ? { algorithms: { serverHostKey: algorithms as never } } : {}),
      // Mandatory: without a hostVerifier ssh2 accepts any key.
      hostVerifier: (key: Buffer) => {
        const ok = target.keys.some((k) => k.blob.equals(key)) && !target.revoked.some((k) => k.blob.equals(key));
        if (!ok) {
          rejected = new SshHostKeyMismatchError(target.host, {
            presented: fingerprint(key),
            expected: target.keys.map((k) => fingerprint(k.blob)),
          });
        }
        return ok;
      },
    };
    client.once('ready', () => {
      settled = true;
      resolve(client);
    });
    client.on('error', (err) => fail(rejected ?? mapConnectError(target.host, err)));
    client.once('close', () =>
      fail(rejected ?? new SshConnectError(target.host, 'connection closed during handshake')),
    );
    try {
      client.connect(config);
    } catch (err) {
      fail(mapConnectError(target.host, err));
    }
  });
}
