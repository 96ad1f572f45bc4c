/**
 * The reachability evidence of a scope assessment: real TCP probes of a real local listener (open,
 * then refused once closed, "since" kept until it opens again), bad addresses, and how connection
 * errors are classified as TLS, authentication or plain unavailability.
 */
import { createServer } from 'node:net';
import type { AddressInfo, Server } from 'node:net';
import { classifyConnectError, describeFailedProbes, probePorts } from '../../../activities/kafka/reachability';

const listen = (port = 0): Promise<Server> =>
  new Promise((resolve) => {
    const s = createServer((c) => c.destroy());
    s.listen(port, '127.0.0.1', () => resolve(s));
  });
const close = (s: Server) => new Promise((r) => s.close(r));

describe('probePorts', () => {
  it('open while listening; refused once closed, failing since the first refusal until open again', async () => {
    let server = await listen();
    const port = (server.address() as AddressInfo).port;
    const addr = `127.0.0.1:${port}`;
    expect(await probePorts([addr])).toEqual([{ address: addr, state: 'open', checkedAt: expect.any(String) }]);
    await close(server);
    const [first] = await probePorts([addr]);
    await new Promise((r) => setTimeout(r, 20));
    const [second] = await probePorts([addr]);
    expect(first).toMatchObject({ state: 'refused', error: 'ECONNREFUSED' });
    expect(second.failingSince).toBe(first.failingSince);
    expect(second.checkedAt > first.checkedAt).toBe(true);
    expect(describeFailedProbes([second])).toBe(`${addr} refused since ${first.failingSince}`);
    server = await listen(port);
    expect((await probePorts([addr]))[0].failingSince).toBeUndefined();
    await close(server);
    expect((await probePorts([addr]))[0].failingSince).not.toBe(first.failingSince);
  });

  it.each([['no-port'], ['host:'], ['host:70000'], [':9092']])('refuses the address %j as bad input', async (addr) => {
    await expect(probePorts([addr])).rejects.toThrow(`'${addr}' is not host:port`);
  });
});

describe('classifyConnectError', () => {
  it.each([
    [{ name: 'KafkaJSConnectionError', message: 'Connection error: connect ECONNREFUSED 127.0.0.1:1' }, 'unavailable'],
    [{ name: 'KafkaJSSASLAuthenticationError', message: 'SASL SCRAM SHA256 authentication failed' }, 'auth'],
    [
      {
        name: 'KafkaJSNumberOfRetriesExceeded',
        originalError: {
          name: 'KafkaJSConnectionError',
          message: 'x',
          cause: { code: 'ERR_TLS_CERT_ALTNAME_INVALID', message: 'Hostname/IP does not match certificate' },
        },
      },
      'tls',
    ],
    [{ name: 'KafkaJSConnectionError', message: 'self-signed certificate in certificate chain' }, 'tls'],
    [new Error('socket hang up'), 'unavailable'],
  ])('%j is %s', (err, kind) => {
    expect(classifyConnectError(err)).toBe(kind);
  });
});
