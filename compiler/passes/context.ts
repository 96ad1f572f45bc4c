/**
 * What the semantic passes share: the source, the plain data, the steps read defensively (a step
 * with structural errors still takes part where it can), and the diagnostics collected so far.
 */
import type { ActionSpec } from '../actions';
import { getAction } from '../actions';
import type { Diagnostic, DiagnosticCode } from '../diagnostics';
import type { Anchor, Path, SourceFile } from '../source';

export type Section = 'steps' | 'rollback';

/** One step as written, with the pieces the passes need. */
export interface StepInfo {
  section: Section;
  index: number;
  path: Path;
  id?: string;
  uses?: string;
  action?: ActionSpec;
  raw: Record<string, unknown>;
  /** Valid needs (known, not self), with where each was written. */
  needs: Array<{ id: string; path: Path }>;
}

export interface CompileOptions {
  /** Compile for this run mode; `drill` accepts `onTimeout: approve`. */
  mode?: 'recovery' | 'drill';
}

export interface PassContext {
  source: SourceFile;
  data: Record<string, unknown>;
  diagnostics: Diagnostic[];
  steps: StepInfo[];
  rollback: StepInfo[];
  byId: Map<string, StepInfo>;
  /** Valid needs per step id (query transitive needs with graph.dependsOn). */
  needsGraph: Map<string, string[]>;
  /** Declared parameter names → declaration (raw). */
  params: Record<string, Record<string, unknown>>;
  /** Parameter values for this compile: given values over defaults. */
  paramValues: Record<string, unknown>;
  /** The resolved inventory, when there is one. */
  inventory?: Record<string, unknown>;
  options: CompileOptions;
  report(
    code: DiagnosticCode,
    path: Path,
    message: string,
    anchor?: Anchor,
    sub?: { start: number; end: number },
  ): void;
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** Reads the steps of one section defensively (non-map entries are skipped; structure reported them). */
export function readSteps(data: Record<string, unknown>, section: Section): StepInfo[] {
  const list = data[section];
  if (!Array.isArray(list)) return [];
  const out: StepInfo[] = [];
  list.forEach((raw, index) => {
    if (!isRecord(raw)) return;
    const id = typeof raw.id === 'string' ? raw.id : undefined;
    const uses = typeof raw.uses === 'string' ? raw.uses : undefined;
    out.push({
      section,
      index,
      path: [section, index],
      id,
      uses,
      action: uses ? getAction(uses) : undefined,
      raw,
      needs: [],
    });
  });
  return out;
}

/** The `needs` entries of a step as (name, path) pairs; a single string counts as a list of one. */
export function needsOf(step: StepInfo): Array<{ name: string; path: Path }> {
  const n = step.raw.needs;
  if (typeof n === 'string') return [{ name: n, path: [...step.path, 'needs'] }];
  if (!Array.isArray(n)) return [];
  return n.flatMap((name, i) => (typeof name === 'string' ? [{ name, path: [...step.path, 'needs', i] }] : []));
}

export { isRecord };
