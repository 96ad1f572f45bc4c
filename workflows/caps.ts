/**
 * Size caps for what the engine keeps in workflow state (and so in queries and continue-as-new input).
 * Large evidence belongs in a file the activity writes; the output then carries a reference.
 */

/** Per step, in the state used by later expressions. */
export const OUTPUT_CAP_BYTES = 16 * 1024;
/** Per step once the run's kept outputs pass RUN_OUTPUT_BUDGET_BYTES (keeps continue-as-new input under 2 MB). */
export const OUTPUT_CAP_OVER_BUDGET_BYTES = 1024;
export const RUN_OUTPUT_BUDGET_BYTES = 1024 * 1024;
/** Per step, in the status query. */
export const STATUS_OUTPUT_CAP_BYTES = 4 * 1024;
/** Error messages and summaries. */
export const TEXT_CAP = 2000;

/**
 * Returns `value` when its JSON fits in `maxBytes`, else a marker with its size and a preview. Never throws.
 * The interpreter before the `outputs-by-field` patch; runs recorded without that patch still use it.
 */
export function capOutputs(value: Record<string, unknown>, maxBytes: number): Record<string, unknown> {
  let text: string;
  try {
    text = JSON.stringify(value) ?? 'null';
  } catch {
    return { $truncated: true, reason: 'not serialisable' };
  }
  if (text.length <= maxBytes) return value;
  return { $truncated: true, bytes: text.length, preview: text.slice(0, Math.min(512, maxBytes)) };
}

/** A field this small (JSON characters) is never dropped, whatever its siblings weigh. */
export const SMALL_FIELD_BYTES = 256;
/** Characters of a dropped field kept as a preview for the status view and the audit. */
const PREVIEW_CHARS = 120;

function jsonSize(v: unknown): number {
  try {
    return (JSON.stringify(v) ?? 'null').length;
  } catch {
    return Number.MAX_SAFE_INTEGER;
  }
}

/**
 * Fits `value` under `maxBytes` by replacing only its largest fields, one at a time, with a
 * `{ $dropped: { bytes, cap, preview } }` marker. Fields of at most SMALL_FIELD_BYTES, and evidence
 * references, are always kept, so a small output never vanishes because a sibling is large (the result
 * may then stay over `maxBytes`). Never throws.
 */
export function capFields(value: Record<string, unknown>, maxBytes: number): Record<string, unknown> {
  let total = jsonSize(value);
  if (total <= maxBytes) return value;
  const out: Record<string, unknown> = { ...value };
  const sizes = Object.keys(out)
    .map((k) => ({ k, n: jsonSize(out[k]) }))
    .filter(({ n }) => n > SMALL_FIELD_BYTES)
    .sort((a, b) => b.n - a.n || (a.k < b.k ? -1 : 1));
  for (const { k, n } of sizes) {
    if (total <= maxBytes) break;
    let text: string;
    try {
      text = JSON.stringify(out[k]) ?? 'null';
    } catch {
      text = '(not serialisable)';
    }
    const bytes = n === Number.MAX_SAFE_INTEGER ? 0 : n;
    out[k] = { $dropped: { bytes, cap: maxBytes, preview: text.slice(0, PREVIEW_CHARS) } };
    total = total - bytes + jsonSize(out[k]);
  }
  return out;
}

/** Cuts a string to `max` characters, marking the cut. */
export function capText(text: string, max = TEXT_CAP): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}
