/**
 * ZooKeeper's four-letter words (`srvr`, `mntr`, `ruok`) over a plain TCP socket, with a timeout.
 * They must be whitelisted (`4lw.commands.whitelist`).
 */
import { connect } from 'node:net';
import { ZkUnavailableError } from './errors';

/** Sends `word` to host:port and resolves with the reply text. Rejects with ZK_UNAVAILABLE on refusal or timeout. */
export function fourLetter(host: string, port: number, word: string, timeoutMs = 3000): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const sock = connect({ host, port });
    const timer = setTimeout(() => {
      sock.destroy();
      reject(new ZkUnavailableError(`'${word}' to ${host}:${port} timed out`, { host, port }));
    }, timeoutMs);
    sock.on('connect', () => sock.end(word));
    sock.on('data', (d) => chunks.push(d));
    sock.on('error', (err: NodeJS.ErrnoException) => {
      clearTimeout(timer);
      reject(
        new ZkUnavailableError(`'${word}' to ${host}:${port}: ${err.code ?? err.message}`, {
          host,
          port,
          errno: err.code,
        }),
      );
    });
    sock.on('close', () => {
      clearTimeout(timer);
      resolve(Buffer.concat(chunks).toString('utf8'));
    });
  });
}

export interface SrvrInfo {
  mode: string;
  zxid: string;
  nodeCount: number;
  version: string;
}

/** Parses a `srvr` reply; undefined fields when the word is not whitelisted. */
export function parseSrvr(text: string): Partial<SrvrInfo> & { raw: string } {
  const field = (name: string) => new RegExp(`^${name}:\\s*(.*)$`, 'm').exec(text)?.[1]?.trim();
  const count = field('Node count');
  return {
    mode: field('Mode'),
    zxid: field('Zxid'),
    nodeCount: count ? Number(count) : undefined,
    version: field('Zookeeper version'),
    raw: text,
  };
}

/** Parses a `mntr` reply into a key → value map. */
export function parseMntr(text: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const line of text.split('\n')) {
    const [k, ...rest] = line.split('\t');
    if (k && rest.length > 0) out[k.trim()] = rest.join('\t').trim();
  }
  return out;
}
