/**
 * Keeps secrets out of the worker's logs. Three nets, because a log line can carry a secret three ways:
 * - a field whose name says it is secret (`password`, `apiKey`, `privateKey`, `token`, ...), at any depth;
 * - a PEM private key pasted into a message or an error (an identity file read by mistake);
 * - a value the worker itself resolved from a secret reference (the codec key file, an API key variable),
 *   registered with `addValue`, wherever it appears in any string.
 */

/** Field names whose values are never logged. */
const SECRET_FIELD =
  /pass(word|phrase|wd)?$|secret|token|(api|private|access|signing)[-_]?key|credential|authorization|cookie/i;
const PEM_PRIVATE_KEY = /-----BEGIN [A-Z0-9 ]*PRIVATE KEY-----[\s\S]*?(-----END [A-Z0-9 ]*PRIVATE KEY-----|$)/g;
/** The end of a key whose BEGIN line was cut off (an output tail): the base64 lines before its END line. */
const PEM_KEY_TAIL = /(?:[A-Za-z0-9+/=]{8,}\r?\n)*[A-Za-z0-9+/=]*\r?\n?-----END [A-Z0-9 ]*PRIVATE KEY-----/g;
/** Shorter registered values would mask ordinary words. */
const MIN_SECRET_LENGTH = 8;
const MAX_DEPTH = 8;

export const REDACTED = '[redacted]';

/** Masks secrets in log messages and log fields. */
export class Redactor {
  private readonly values = new Set<string>();

  /** Registers a secret value (ignored when shorter than 8 characters); every later occurrence is masked. */
  addValue(value: string | undefined): void {
    const v = value?.trim();
    if (v && v.length >= MIN_SECRET_LENGTH) this.values.add(v);
  }

  /** The text with PEM private keys and registered values masked. */
  text(s: string): string {
    let out = s.includes('PRIVATE KEY-----') ? s.replace(PEM_PRIVATE_KEY, REDACTED).replace(PEM_KEY_TAIL, REDACTED) : s;
    for (const v of this.values) if (out.includes(v)) out = out.split(v).join(REDACTED);
    return out;
  }

  /** A copy of `value` with secret fields and secret text masked; errors become `{type, message, stack}`. */
  value(value: unknown, depth = 0): unknown {
    if (typeof value === 'string') return this.text(value);
    if (value === null || typeof value !== 'object') return value;
    if (depth >= MAX_DEPTH) return '[too deep]';
    if (Buffer.isBuffer(value)) return `[${value.length} bytes]`;
    if (value instanceof Error) {
      const out: Record<string, unknown> = { type: value.name, message: this.text(value.message) };
      if (value.stack) out.stack = this.text(value.stack);
      const extra = value as unknown as Record<string, unknown>;
      for (const k of ['code', 'type', 'nonRetryable'])
        if (extra[k] !== undefined) out[k] = this.value(extra[k], depth + 1);
      if (value.cause !== undefined) out.cause = this.value(value.cause, depth + 1);
      return out;
    }
    if (Array.isArray(value)) return value.map((v) => this.value(v, depth + 1));
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(value as Record<string, unknown>)) {
      out[k] = SECRET_FIELD.test(k) && v !== undefined && v !== null && v !== '' ? REDACTED : this.value(v, depth + 1);
    }
    return out;
  }
}

/** The lines of a secret file worth masking (a key file may hold a keyring, one key per line). */
export function secretFileValues(content: string): string[] {
  return content
    .split(/\r?\n/)
    .map((l) => l.trim())
    .concat(content.trim())
    .filter((l) => l.length >= MIN_SECRET_LENGTH);
}
