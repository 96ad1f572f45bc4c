/**
 * The worker's HTTP endpoint, off unless an address is configured, and bound to 127.0.0.1 unless another
 * host is written out (it has no authentication):
 * - `GET /healthz`: 200 when the worker polls (state RUNNING) and Temporal answers, else 503; a JSON body
 *   says which part is wrong. systemd, Kubernetes and the compose healthcheck probe it.
 * - `GET /metrics`: Prometheus text: Rekindle's metrics, then the Temporal SDK's runtime metrics scraped
 *   from Core's exporter on a private loopback port.
 */
import { createServer, get } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { WorkerMetrics } from './metrics';

/** What /healthz reports. */
export interface Health {
  ok: boolean;
  worker: string;
  temporal: 'connected' | 'unreachable';
  error?: string;
}

export interface EndpointOptions {
  /** `host:port`; port 0 picks a free one (tests). */
  address: string;
  metrics: WorkerMetrics;
  health: () => Promise<Health>;
  /** Where Core's Prometheus exporter listens (`127.0.0.1:port`), when runtime metrics are on. */
  coreMetricsAddress?: string;
}

/** A running endpoint. */
export interface Endpoint {
  /** `http://host:port`, with the port actually bound. */
  url: string;
  close(): Promise<void>;
}

/** Fetches Core's Prometheus text; resolves to a comment line when it cannot (the scrape still succeeds). */
export function scrapeText(url: string, timeoutMs = 2000): Promise<string> {
  return new Promise((resolve) => {
    const req = get(url, { timeout: timeoutMs }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () =>
        resolve(res.statusCode === 200 ? body : `# temporal runtime metrics: HTTP ${res.statusCode}\n`),
      );
    });
    req.on('timeout', () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', (err) => resolve(`# temporal runtime metrics unavailable: ${err.message}\n`));
  });
}

function send(res: ServerResponse, status: number, type: string, body: string): void {
  res.writeHead(status, { 'content-type': type, 'cache-control': 'no-store' });
  res.end(body);
}

async function handle(opts: EndpointOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const path = (req.url ?? '/').split('?')[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') return send(res, 405, 'text/plain', 'only GET\n');
  if (path === '/healthz') {
    const h = await opts.health();
    return send(res, h.ok ? 200 : 503, 'application/json', `${JSON.stringify(h)}\n`);
  }
  if (path === '/metrics') {
    const [own, core] = await Promise.all([
      opts.metrics.text(),
      opts.coreMetricsAddress ? scrapeText(`http://${opts.coreMetricsAddress}/metrics`) : Promise.resolve(''),
    ]);
    return send(res, 200, opts.metrics.registry.contentType, `${own}\n${core}`);
  }
  send(res, 404, 'text/plain', 'not found: try /healthz or /metrics\n');
}

/**
 * Starts the endpoint.
 * @throws when the address cannot be bound (in use, not a local interface).
 */
export async function startEndpoint(opts: EndpointOptions): Promise<Endpoint> {
  const i = opts.address.lastIndexOf(':');
  const host = opts.address.slice(0, i).replace(/^\[|\]$/g, '');
  const port = Number(opts.address.slice(i + 1));
  const server: Server = createServer((req, res) => {
    handle(opts, req, res).catch((err: Error) => send(res, 500, 'text/plain', `${err.message}\n`));
  });
  server.keepAliveTimeout = 1000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (err) =>
      reject(new Error(`cannot listen on ${opts.address} for /healthz and /metrics: ${err.message}`)),
    );
    server.listen(port, host, () => resolve());
  });
  const bound = server.address() as AddressInfo;
  const shown = bound.family === 'IPv6' ? `[${bound.address}]` : bound.address;
  return {
    url: `http://${shown}:${bound.port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

/** A free port on 127.0.0.1 (for Core's exporter, which needs a fixed address). */
export async function freeLoopbackPort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve, reject) => {
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => resolve());
  });
  const port = (s.address() as AddressInfo).port;
  await new Promise<void>((resolve) => s.close(() => resolve()));
  return port;
}
