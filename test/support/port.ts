/** Whether a TCP port on the lab's loopback accepts connections (a broker's client listener, say). */
import { connect } from 'node:net';

/** Resolves true when a TCP connection to 127.0.0.1:port is accepted within 3 s. */
export function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const s = connect({ host: '127.0.0.1', port });
    s.setTimeout(3_000, () => (s.destroy(), resolve(false)));
    s.on('connect', () => (s.destroy(), resolve(true)));
    s.on('error', () => resolve(false));
  });
}
