/** A ZooKeeper four-letter-word probe (`ruok` → `imok`) over plain TCP, for service start/stop effects. */
import { connect } from 'node:net';

/** True when the server at address:port answers `ruok` with `imok` within timeoutMs; false otherwise. Never throws. */
export function zkAnswers(address: string, port: number, timeoutMs = 2_000): Promise<boolean> {
  return new Promise((resolve) => {
    let reply = '';
    const sock = connect({ host: address, port });
    const done = (ok: boolean) => {
      sock.destroy();
      resolve(ok);
    };
    sock.setTimeout(timeoutMs, () => done(false));
    sock.on('connect', () => sock.write('ruok'));
    sock.on('data', (d) => (reply += d.toString()));
    sock.on('end', () => done(reply.trim() === 'imok'));
    sock.on('error', () => done(false));
  });
}
