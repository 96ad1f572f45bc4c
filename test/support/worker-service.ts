/**
 * `rekindle worker` as a child process for service tests: its stdout lines kept (JSON when piped), its
 * health and metrics endpoint found from its log, and a clock on how it ends after a signal.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { get } from 'node:http';
import { join } from 'node:path';

const bin = join(__dirname, '..', '..', 'bin', 'rekindle.js');

export interface ServiceWorker {
  child: ChildProcess;
  /** Every stdout and stderr line so far. */
  lines: string[];
  /** The endpoint's base URL, e.g. http://127.0.0.1:41234. */
  url: string;
  /** Resolves when the process ends. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>;
}

/**
 * Starts `rekindle worker` with `env` on top of this process's, and resolves once it polls. With
 * `terminal`, its output is a pseudo-terminal (util-linux `script`), as when an operator runs it by hand;
 * the lines kept are then stripped of colour codes and carriage returns. Stop it with `child.kill()`: in a
 * terminal it leads a process group of its own, and the signal goes to the whole group.
 */
export function startServiceWorker(
  env: Record<string, string>,
  opts: { terminal?: boolean } = {},
): Promise<ServiceWorker> {
  const command = opts.terminal
    ? ['script', ['-qfec', `exec '${process.execPath}' '${bin}' worker`, '/dev/null']]
    : [process.execPath, [bin, 'worker']];
  const child = spawn(command[0] as string, command[1] as string[], {
    env: { ...process.env, REKINDLE_HTTP_ADDRESS: '127.0.0.1:0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    detached: opts.terminal,
  });
  if (opts.terminal) {
    const kill = child.kill.bind(child);
    child.kill = (signal?: NodeJS.Signals | number) => {
      try {
        process.kill(-child.pid!, signal ?? 'SIGTERM');
        return true;
      } catch {
        return kill(signal);
      }
    };
  }
  const lines: string[] = [];
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; at: number }>((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal, at: Date.now() })),
  );
  return new Promise((resolve, reject) => {
    let url = '';
    const onLine = (raw: string) => {
      // eslint-disable-next-line no-control-regex
      const line = raw.replace(/\x1b\[[0-9;]*m/g, '').replace(/\r$/, '');
      lines.push(line);
      url ||= /(http:\/\/127\.0\.0\.1:\d+)\/healthz/.exec(line)?.[1] ?? '';
      if (line.includes('rekindle worker ready')) resolve({ child, lines, url, exited });
    };
    for (const stream of [child.stdout!, child.stderr!]) {
      let buf = '';
      stream.setEncoding('utf8');
      stream.on('data', (d: string) => {
        buf += d;
        const parts = buf.split('\n');
        buf = parts.pop()!;
        parts.forEach(onLine);
      });
    }
    void exited.then(({ code }) =>
      reject(new Error(`the worker exited during start-up (${code}):\n${lines.join('\n')}`)),
    );
  });
}

/** Waits until the worker has logged a JSON line matching `pred`. */
export async function waitForLog(
  w: ServiceWorker,
  pred: (l: Record<string, unknown>) => boolean,
  timeoutMs = 30_000,
): Promise<void> {
  const end = Date.now() + timeoutMs;
  while (Date.now() < end) {
    if (jsonLines(w.lines).some(pred)) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`the worker never logged the line awaited; its log:\n${w.lines.join('\n')}`);
}

/** GETs a URL with node's HTTP client. */
export function httpGet(url: string): Promise<{ status: number; type: string; body: string }> {
  return new Promise((resolve, reject) => {
    get(url, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, type: String(res.headers['content-type']), body }));
    }).on('error', reject);
  });
}

/** One sample of a Prometheus text: the value of `name{labels}` where every given label matches, summed. */
export function sample(text: string, name: string, labels: Record<string, string> = {}): number | undefined {
  let found: number | undefined;
  for (const line of text.split('\n')) {
    const m = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(\{(.*)\})? (\S+)$/.exec(line);
    if (!m || m[1] !== name) continue;
    const have = Object.fromEntries([...(m[3] ?? '').matchAll(/(\w+)="((?:[^"\\]|\\.)*)"/g)].map((x) => [x[1], x[2]]));
    if (Object.entries(labels).every(([k, v]) => have[k] === v)) found = (found ?? 0) + Number(m[4]);
  }
  return found;
}

/** The JSON log lines (throws on a line that is not JSON: piped output must be JSON only). */
export function jsonLines(lines: string[]): Array<Record<string, unknown>> {
  return lines
    .filter((l) => l.trim() !== '')
    .map((l) => {
      try {
        return JSON.parse(l) as Record<string, unknown>;
      } catch {
        throw new Error(`not a JSON log line: ${l}`);
      }
    });
}
