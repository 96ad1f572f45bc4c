/**
 * The run's evidence store: an output value too large to pass between steps (an offsets table, a reset
 * plan, a list of every group) is written by the activity to `<store>/evidence/<workflow>-<run>-<step>/`
 * and the output carries `{ $evidence: { path, bytes, sha256 } }` instead. History and workflow state
 * stay small; the file is the evidence, and its hash is recorded in the run's history.
 */
import { createHash, randomBytes } from 'node:crypto';
import { mkdir, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { ActionRequest, ActionResult, EvidenceRef } from '../compiler/plan';
import type { Inventory } from '../compiler/inventory';
import { stepArtifactName } from './inputs';

/** An output field whose JSON is larger than this is stored as evidence. */
export const EVIDENCE_INLINE_BYTES = 8 * 1024;

/** Where a step's evidence goes: one folder per run and step (and forEach item). */
export function evidenceDir(store: string, request: ActionRequest): string {
  const item =
    request.item === undefined
      ? ''
      : `-item-${createHash('sha256').update(JSON.stringify(request.item)).digest('hex').slice(0, 10)}`;
  return join(store, 'evidence', `${stepArtifactName(request)}${item}`);
}

/** Writes `value` (text as is, anything else as JSON) atomically and returns its reference. */
export async function storeEvidence(dir: string, field: string, value: unknown): Promise<EvidenceRef> {
  const text = typeof value === 'string' ? value : `${JSON.stringify(value, null, 1)}\n`;
  const name = `${field.replace(/[^A-Za-z0-9._-]/g, '_')}.${typeof value === 'string' ? 'txt' : 'json'}`;
  const path = join(dir, name);
  const body = Buffer.from(text, 'utf8');
  await mkdir(dir, { recursive: true });
  // Two attempts of one step may race here: each writes its own temporary file, and rename is atomic.
  const tmp = `${path}.${process.pid}.${randomBytes(6).toString('hex')}.tmp`;
  await writeFile(tmp, body);
  await rename(tmp, path);
  return { $evidence: { path, bytes: body.length, sha256: createHash('sha256').update(body).digest('hex') } };
}

function jsonSize(v: unknown): number {
  return (JSON.stringify(v) ?? 'null').length;
}

/**
 * Moves every output field larger than EVIDENCE_INLINE_BYTES into the evidence store and returns the
 * result with references in their place. Without a store (no inventory.backupStore and no worker
 * default) the result is returned unchanged and the engine's cap applies.
 */
export async function spillLargeOutputs(
  request: ActionRequest,
  result: ActionResult,
  fallbackStore: string | undefined,
): Promise<ActionResult> {
  const large = Object.entries(result.outputs ?? {}).filter(([, v]) => jsonSize(v) > EVIDENCE_INLINE_BYTES);
  const store = (request.inventory as Partial<Inventory>).backupStore ?? fallbackStore;
  if (large.length === 0 || !store) return result;
  const dir = evidenceDir(store, request);
  const outputs = { ...result.outputs };
  for (const [field, value] of large) outputs[field] = await storeEvidence(dir, field, value);
  return { ...result, outputs };
}
