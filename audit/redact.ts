/**
 * Keeps secrets out of reports: values under secret-looking keys are replaced. Runbooks pass
 * references (key files, variable names), so this is a second line of defence, not the first.
 */
const SECRET_KEY = /(pass(word|phrase)?|secret|token|private[-_]?key|api[-_]?key|credential|auth)$/i;
export const REDACTED = '***redacted***';

/** A deep copy of `value` with secret-looking keys redacted. Never throws. */
export function redact(value: unknown, depth = 0): unknown {
  if (depth > 20 || value === null || typeof value !== 'object') return value;
  if (Array.isArray(value)) return value.map((v) => redact(v, depth + 1));
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
    out[k] = SECRET_KEY.test(k) && v !== null && typeof v !== 'object' ? REDACTED : redact(v, depth + 1);
  }
  return out;
}

/** The last `lines` lines of stdout and stderr in `outputs`, when it has them. */
export function outputTail(outputs: Record<string, unknown> | null | undefined, lines = 20): string | undefined {
  if (!outputs) return undefined;
  const parts: string[] = [];
  for (const key of ['stdout', 'stderr']) {
    const v = outputs[key];
    if (typeof v !== 'string' || !v.trim()) continue;
    const tail = v.replace(/\n+$/, '').split('\n').slice(-lines);
    parts.push(`[${key}]`, ...tail);
  }
  return parts.length ? parts.join('\n') : undefined;
}
