/**
 * Step outputs that are not held inline: a value the activity stored in the evidence store (`$evidence`)
 * or one the engine's cap dropped (`$dropped`). Pure, so the workflow sandbox and the CLI share it.
 */
import type { DroppedOutput, EvidenceRef } from '../plan';

/** True when `v` is an evidence reference `{ $evidence: { path, bytes, sha256 } }`. */
export function isEvidenceRef(v: unknown): v is EvidenceRef {
  return isMarker(v, '$evidence');
}

/** True when `v` is a dropped-output marker `{ $dropped: { bytes, cap, preview } }`. */
export function isDroppedOutput(v: unknown): v is DroppedOutput {
  return isMarker(v, '$dropped');
}

function isMarker(v: unknown, key: string): boolean {
  if (typeof v !== 'object' || v === null || Array.isArray(v)) return false;
  const inner = (v as Record<string, unknown>)[key];
  return Object.keys(v).length === 1 && typeof inner === 'object' && inner !== null;
}

/** A byte count for people: `812 B`, `57.2 KB`, `3.1 MB`. */
export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 * 1024) return `${(n / 1024).toFixed(1)} KB`;
  return `${(n / 1024 / 1024).toFixed(1)} MB`;
}

/** One line saying where a non-inline output went, or undefined for an ordinary value. */
export function describeOutputMarker(v: unknown): string | undefined {
  if (isEvidenceRef(v)) {
    const e = v.$evidence;
    return `stored in ${e.path} (${formatBytes(e.bytes)}, sha256 ${e.sha256.slice(0, 12)}…)`;
  }
  if (isDroppedOutput(v)) {
    const d = v.$dropped;
    return `dropped by the engine's output cap (a ${formatBytes(d.bytes)} field of a step over its ${formatBytes(d.cap)} cap)`;
  }
  return undefined;
}

/** One output that is not held inline: its field path (e.g. `table`, `items[2].outputs.stdout`) and where it went. */
export interface OutputMarkerEntry {
  field: string;
  where: string;
}

/**
 * Every stored or dropped value among a step's outputs, including inside forEach items
 * (`items[i].outputs.<name>`), in field order.
 */
export function listOutputMarkers(outputs: Record<string, unknown> | null | undefined): OutputMarkerEntry[] {
  const found: OutputMarkerEntry[] = [];
  for (const [k, v] of Object.entries(outputs ?? {})) {
    const where = describeOutputMarker(v);
    if (where) found.push({ field: k, where });
    else if (k === 'items' && Array.isArray(v)) {
      v.forEach((item, i) => {
        const inner = (item as { outputs?: Record<string, unknown> } | null)?.outputs;
        if (inner && typeof inner === 'object') {
          for (const e of listOutputMarkers(inner))
            found.push({ field: `items[${i}].outputs.${e.field}`, where: e.where });
        }
      });
    }
  }
  return found;
}
