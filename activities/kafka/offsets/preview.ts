/**
 * A short view of a reset table for approvers: the whole table can be megabytes on a real cluster
 * (it goes to the evidence store), the preview always fits in a gate's summary.
 */
import type { ResetRow } from './compute';
import { formatResetTable } from './compute';

/** Rows shown in the preview. */
export const PREVIEW_ROWS = 20;

/**
 * The first PREVIEW_ROWS rows that change (or, when none change, the first rows), as
 * kafka-consumer-groups prints them, and a last line counting the rest.
 */
export function resetPreview(rows: ResetRow[]): string {
  const moved = rows.filter((r) => r.current !== r.new);
  const shown = (moved.length ? moved : rows).slice(0, PREVIEW_ROWS);
  const rest = rows.length - shown.length;
  const tail =
    rest > 0 ? `… and ${rest} more row(s); ${moved.length} of ${rows.length} partition offsets change\n` : '';
  return `${formatResetTable(shown)}${tail}`;
}
