/**
 * Reachability evidence for assessing a dead or half-dead cluster: a plain TCP probe of each address
 * (open, refused, timed out, unreachable), and since when this worker has seen it fail. A scope
 * assessment reports these as findings instead of failing: a cluster that is down is the most common
 * starting point of a recovery.
 */
import { Socket } from 'node:net';
import { InvalidInputError } from '../errors';

export type PortState = 'open' | 'refused' | 'timeout' | 'unreachable';

/** One probe of one `host:port`. */
export interface PortProbe {
  address: string;
  state: PortState;
  /** The socket error code (ECONNREFUSED, EHOSTUNREACH, ...) when it failed. */
  error?: string;
  /** When the probe ran. */
  checkedAt: string;
  /**
   * Since when this worker process has seen the address fail without an open probe in between: "since
   * at least", as a worker restart forgets. Absent while the port is open.
   */
  failingSince?: string;
}

/** What kind of thing an assessment could not reach or read. */
export type FindingKind =
  | 'no-broker-reachable'
  | 'some-brokers-unreachable'
  | 'zookeeper-unreachable'
  | 'kafka-tls-failure'
  | 'kafka-auth-failure'
  | 'kafka-unavailable';

/** Something an assessment could not reach, with its evidence. */
export interface Finding {
  kind: FindingKind;
  message: string;
  evidence: Record<string, unknown>;
}

// Per worker process: the first failed probe of each address since it was last seen open.
const failingSince = new Map<string, string>();

function splitAddress(address: string): { host: string; port: number } {
  const i = address.lastIndexOf(':');
  const port = Number(address.slice(i + 1));
  if (i <= 0 || !Number.isInteger(port) || port <= 0 || port > 65535) {
    throw new InvalidInputError(`'${address}' is not host:port`, { field: 'address', address });
  }
  return { host: address.slice(0, i).replace(/^\[|\]$/g, ''), port };
}

function connectOnce(host: string, port: number, timeoutMs: number): Promise<{ state: PortState; error?: string }> {
  return new Promise((resolve) => {
    const socket = new Socket();
    const done = (r: { state: PortState; error?: string }) => {
      socket.destroy();
      resolve(r);
    };
    socket.setTimeout(timeoutMs, () => done({ state: 'timeout', error: `no answer within ${timeoutMs} ms` }));
    socket.once('connect', () => done({ state: 'open' }));
    socket.once('error', (err: NodeJS.ErrnoException) =>
      done({ state: err.code === 'ECONNREFUSED' ? 'refused' : 'unreachable', error: err.code ?? err.message }),
    );
    socket.connect(port, host);
  });
}

/**
 * Probes each `host:port` once, in parallel. Never rejects for an unreachable address.
 * @throws InvalidInputError when an address is not `host:port` (e.g. a bad inventory bootstrap entry).
 */
export async function probePorts(addresses: string[], timeoutMs = 2000): Promise<PortProbe[]> {
  const parsed = addresses.map((a) => ({ address: a, ...splitAddress(a) }));
  return Promise.all(
    parsed.map(async ({ address, host, port }) => {
      const r = await connectOnce(host, port, timeoutMs);
      const checkedAt = new Date().toISOString();
      if (r.state === 'open') {
        failingSince.delete(address);
        return { address, state: r.state, checkedAt };
      }
      if (!failingSince.has(address)) failingSince.set(address, checkedAt);
      return { address, ...r, checkedAt, failingSince: failingSince.get(address) };
    }),
  );
}

/** "127.0.0.1:19494 refused since 10:02:03Z" for each failed probe. */
export function describeFailedProbes(probes: PortProbe[]): string {
  return probes
    .filter((p) => p.state !== 'open')
    .map((p) => `${p.address} ${p.state}${p.failingSince ? ` since ${p.failingSince}` : ''}`)
    .join(', ');
}

/** Whether a kafkajs connection error was TLS or authentication trouble rather than a dead port. */
export function classifyConnectError(err: unknown): 'tls' | 'auth' | 'unavailable' {
  const seen: string[] = [];
  let e: unknown = err;
  for (let depth = 0; e && depth < 5; depth++) {
    const x = e as { name?: string; message?: string; code?: string; originalError?: unknown; cause?: unknown };
    seen.push(`${x.name ?? ''} ${x.code ?? ''} ${x.message ?? ''}`);
    e = x.originalError ?? x.cause;
  }
  const text = seen.join(' | ');
  if (/SASL|Authentication|SaslAuthenticate|ILLEGAL_SASL_STATE|UNSUPPORTED_SASL_MECHANISM/i.test(text)) return 'auth';
  if (/ERR_TLS|ERR_SSL|certificate|self[- ]signed|SSL routines|handshake|EPROTO/i.test(text)) return 'tls';
  return 'unavailable';
}
