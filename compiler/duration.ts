/**
 * The one duration grammar: `500ms`, `30s`, `5m`, `2h`, `1d`, or combined (`1h30m`), or a number of
 * milliseconds. The compiler checks runbooks with it, the registry's zDuration parses action inputs with it
 * (so activities receive milliseconds), and the workflow parses durations that expressions produce at run
 * time with it. Pure and dependency-free: it is part of the workflow bundle, so keep it sandbox-safe.
 */

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** The accepted syntax, anchored. */
export const DURATION_PATTERN = '^(\\d+(ms|s|m|h|d))+$';
const DURATION_RE = new RegExp(DURATION_PATTERN);
const PART_RE = /(\d+)(ms|s|m|h|d)/g;

/** True when `s` is a duration string. */
export function isDuration(s: string): boolean {
  return DURATION_RE.test(s);
}

/**
 * Converts a duration string (or a number of milliseconds) to milliseconds.
 * @throws RangeError when `s` is not a duration.
 */
export function parseDuration(s: string | number): number {
  if (typeof s === 'number') {
    if (!Number.isFinite(s) || s < 0) throw new RangeError(`invalid duration ${s}`);
    return Math.round(s);
  }
  if (!isDuration(s)) throw new RangeError(`invalid duration '${s}'`);
  let ms = 0;
  for (const m of s.matchAll(PART_RE)) ms += Number(m[1]) * UNIT_MS[m[2]];
  return ms;
}

/** parseDuration for values of unknown type (e.g. an expression's result); undefined when not a duration. */
export function durationOrUndefined(v: unknown): number | undefined {
  if (typeof v !== 'string' && typeof v !== 'number') return undefined;
  try {
    return parseDuration(v);
  } catch {
    return undefined;
  }
}

/** Renders milliseconds compactly: 90000 → `1m30s`. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0s';
  let rest = ms;
  let out = '';
  for (const [unit, size] of [
    ['d', 86_400_000],
    ['h', 3_600_000],
    ['m', 60_000],
    ['s', 1000],
    ['ms', 1],
  ] as const) {
    const n = Math.floor(rest / size);
    if (n > 0) {
      out += `${n}${unit}`;
      rest -= n * size;
    }
  }
  return out;
}
