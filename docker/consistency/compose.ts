/**
 * Reading docker-compose.yml as plain data: the fields the consistency checks need, with compose's own
 * conventions resolved (short volume syntax, `${VAR:-default}`, list or map environments). Pure.
 */

export interface ComposeService {
  image?: string;
  build?: { context?: string; dockerfile?: string };
  hostname?: string;
  restart?: string;
  expose?: Array<string | number>;
  ports?: Array<string | number>;
  environment?: Record<string, string | number | boolean | null> | string[];
  volumes?: string[];
  depends_on?: string[] | Record<string, { condition?: string }>;
  healthcheck?: { test?: string | string[]; disable?: boolean };
  cap_add?: string[];
  stop_grace_period?: string;
}

export interface ComposeFile {
  services: Record<string, ComposeService>;
  volumes?: Record<string, unknown>;
}

/** A repository path (relative to its root): a file's text, '' for a directory, undefined when nothing is there. */
export type ReadFile = (path: string) => string | undefined;

export interface Mount {
  source: string;
  target: string;
  /** A bind mount of a repository path (`./...`), not a named volume. */
  bind: boolean;
}

/** `${VAR:-default}` and `${VAR-default}` become the default; `$$` becomes `$`. */
export function interpolate(text: string): string {
  return text.replace(/\$\{[A-Za-z_][A-Za-z0-9_]*:?-([^}]*)\}/g, '$1').replace(/\$\$/g, '$');
}

/** The service's environment as a map, whichever form compose was given. */
export function envOf(s: ComposeService): Record<string, string> {
  const out: Record<string, string> = {};
  if (Array.isArray(s.environment)) {
    for (const item of s.environment) {
      const i = item.indexOf('=');
      if (i > 0) out[item.slice(0, i)] = interpolate(item.slice(i + 1));
    }
  } else {
    for (const [k, v] of Object.entries(s.environment ?? {})) out[k] = v === null ? '' : interpolate(String(v));
  }
  return out;
}

/** Volumes in short syntax (`source:target[:mode]`). */
export function mountsOf(s: ComposeService): Mount[] {
  return (s.volumes ?? []).map((v) => {
    const [source, target] = v.split(':');
    return { source, target: target ?? source, bind: source.startsWith('./') || source.startsWith('/') };
  });
}

/** The repository path (without `./`) bind-mounted at `target`, if any. */
export function bindSource(s: ComposeService, target: string): string | undefined {
  const m = mountsOf(s).find((x) => x.bind && x.target === target);
  return m ? m.source.replace(/^\.\//, '') : undefined;
}

/** True when `path` lies on a mounted volume of the service (so it survives the container). */
export function onVolume(s: ComposeService, path: string): boolean {
  return mountsOf(s).some((m) => !m.bind && (path === m.target || path.startsWith(`${m.target}/`)));
}

export interface Published {
  spec: string;
  hostIp?: string;
  containerPort: number;
}

/** `ports:` entries as host IP and container port. */
export function publishedOf(s: ComposeService): Published[] {
  return (s.ports ?? []).map((p) => {
    const spec = interpolate(String(p));
    const parts = spec.split(':');
    const containerPort = Number(parts[parts.length - 1].split('/')[0]);
    return { spec, hostIp: parts.length === 3 ? parts[0] : undefined, containerPort };
  });
}

/** Container ports the service offers on the compose network: `expose:` plus published container ports. */
export function exposedOf(s: ComposeService): Set<number> {
  const ports = new Set((s.expose ?? []).map((p) => Number(p)));
  for (const p of publishedOf(s)) ports.add(p.containerPort);
  return ports;
}

/** The depends_on map, with the short list form read as `service_started`. */
export function dependsOf(s: ComposeService): Record<string, string> {
  if (Array.isArray(s.depends_on)) return Object.fromEntries(s.depends_on.map((d) => [d, 'service_started']));
  return Object.fromEntries(Object.entries(s.depends_on ?? {}).map(([d, v]) => [d, v?.condition ?? 'service_started']));
}

/** The healthcheck command as one string, or undefined when there is none (or it is disabled). */
export function healthcheckOf(s: ComposeService): string | undefined {
  const hc = s.healthcheck;
  if (!hc || hc.disable || hc.test === undefined) return undefined;
  const test = Array.isArray(hc.test) ? hc.test : [hc.test];
  if (test.length === 0 || test[0] === 'NONE') return undefined;
  return interpolate(test.join(' '));
}

/** `KEY=value` lines (properties, zoo.cfg); comments and blank lines skipped. */
export function parseProperties(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const raw of text.split('\n')) {
    const line = raw.trim();
    if (!line || line.startsWith('#')) continue;
    const i = line.indexOf('=');
    if (i > 0) out.set(line.slice(0, i).trim(), line.slice(i + 1).trim());
  }
  return out;
}

/** A service.env as svc sources it: `KEY="value"` lines, quotes removed. */
export function parseServiceEnv(text: string): Map<string, string> {
  const out = new Map<string, string>();
  for (const [k, v] of parseProperties(text)) out.set(k, v.replace(/^"(.*)"$/, '$1').replace(/^'(.*)'$/, '$1'));
  return out;
}
