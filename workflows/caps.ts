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

/** Returns `value` when its JSON fits in `maxBytes`, else a marker with its size and a preview. Never throws. */
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

/** Cuts a string to `max` characters, marking the cut. */
export function capText(text: string, max = TEXT_CAP): string {
  return text.length <= max ? text : `${text.slice(0, max)}… (${text.length - max} more characters)`;
}
