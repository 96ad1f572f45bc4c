/**
 * A minimal ssh2 exec for lab tests, with the host key pinned (ssh2 accepts any key when no
 * hostVerifier is set, so the test always sets one).
 */
import { readFileSync } from 'node:fs';
import { Client } from 'ssh2';
import type { InventoryHost } from '../../compiler/inventory';

export interface ExecResult {
  code: number;
  stdout: string;
  stderr: string;
}

export function sshExec(host: InventoryHost, command: string, pinnedKey = host.hostKey!): Promise<ExecResult> {
  const expected = Buffer.from(pinnedKey.split(/\s+/)[1], 'base64');
  return new Promise((resolve, reject) => {
    const conn = new Client();
    conn
      .on('ready', () => {
        conn.exec(command, (err, stream) => {
          if (err) return reject(err);
          let stdout = '';
          let stderr = '';
          stream.on('data', (d: Buffer) => (stdout += d.toString()));
          stream.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
          stream.on('close', (code: number) => {
            conn.end();
            resolve({ code, stdout, stderr });
          });
        });
      })
      .on('error', reject)
      .connect({
        host: host.address,
        port: host.port,
        username: host.user,
        privateKey: readFileSync(host.identityFile),
        readyTimeout: 10_000,
        hostVerifier: (key: Buffer) => key.equals(expected),
      });
  });
}
