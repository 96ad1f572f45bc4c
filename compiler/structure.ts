/**
 * Turns zod issues into diagnostics at the offending token, with messages that say what is wrong
 * and what would be right. Issues inside `${{ }}` values are dropped: their type is known at run time.
 */
import type { z } from 'zod';
import type { Diagnostic, DiagnosticCode } from './diagnostics';
import { hint } from './diagnostics';
import { hasTemplate } from './expr';
import type { Path, SourceFile } from './source';

/** Codes to use instead of the generic SCHEMA_* ones (e.g. INPUT_* for `with:`). */
export interface CodeSet {
  required: DiagnosticCode;
  unknownKey: DiagnosticCode;
  type: DiagnosticCode;
  value: DiagnosticCode;
}

export const SCHEMA_CODES: CodeSet = {
  required: 'SCHEMA_REQUIRED',
  unknownKey: 'SCHEMA_UNKNOWN_KEY',
  type: 'SCHEMA_TYPE',
  value: 'SCHEMA_VALUE',
};

/** Schemas whose issues are reported with their own codes (e.g. RETRY_INVALID), keyed by schema object. */
const OWN_CODES = new WeakMap<object, Partial<CodeSet>>();

/**
 * Marks `schema` so that issues inside it are reported with `codes` instead of the caller's. The schema
 * says how its problems are named; nothing matches on paths.
 */
export function reportAs<T extends z.ZodType>(schema: T, codes: Partial<CodeSet>): T {
  OWN_CODES.set(schema, codes);
  return schema;
}

/** The codes of the innermost schema along `path` that has its own (see reportAs), over `fallback`. */
function codesAlong(schema: z.ZodType, path: Path, fallback: CodeSet): CodeSet {
  let codes = fallback;
  let s: unknown = schema;
  const visit = (x: unknown) => {
    for (const candidate of [x, unwrap(x)]) {
      const own = candidate && typeof candidate === 'object' ? OWN_CODES.get(candidate) : undefined;
      if (own) codes = { ...codes, ...own };
    }
  };
  visit(s);
  for (const seg of path) {
    s = childSchema(s, seg);
    if (!s) break;
    visit(s);
  }
  return codes;
}

/** The value at `path` in plain data, or undefined. */
export function valueAt(data: unknown, path: Path): unknown {
  let v = data;
  for (const seg of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<string | number, unknown>)[seg];
  }
  return v;
}

/** True when the value at `path`, or any ancestor up to `stop` segments, is a string with `${{`. */
function underExpression(data: unknown, path: Path, stop: number): boolean {
  for (let n = path.length; n >= stop; n--) {
    const v = valueAt(data, path.slice(0, n));
    if (typeof v === 'string' && hasTemplate(v)) return true;
  }
  return false;
}

function describeValue(v: unknown): string {
  if (v === undefined) return 'nothing';
  if (v === null) return 'null';
  if (Array.isArray(v)) return 'a list';
  if (typeof v === 'object') return 'a map';
  return `${typeof v} ${JSON.stringify(v)}`;
}

function expectedText(issue: z.core.$ZodIssue): string {
  if (issue.code === 'invalid_type') {
    const e = String(issue.expected);
    return e === 'array' ? 'a list' : e === 'object' || e === 'record' ? 'a map' : `a ${e}`;
  }
  return 'another value';
}

/** Field names a strict object schema accepts, found by walking the schema along `path`. */
function knownKeys(schema: z.ZodType, path: Path): string[] {
  let s: unknown = schema;
  for (const seg of path) s = childSchema(s, seg);
  const shape = objectShape(s);
  return shape ? Object.keys(shape) : [];
}

function unwrap(s: unknown): unknown {
  let cur = s as { def?: { type?: string; innerType?: unknown; in?: unknown; options?: unknown[] } } | undefined;
  for (let i = 0; i < 10 && cur?.def; i++) {
    const t = cur.def.type;
    if (t === 'optional' || t === 'default' || t === 'prefault' || t === 'nullable')
      cur = cur.def.innerType as typeof cur;
    else if (t === 'pipe') cur = cur.def.in as typeof cur;
    else break;
  }
  return cur;
}

function objectShape(s: unknown): Record<string, unknown> | undefined {
  const u = unwrap(s) as { def?: { type?: string; shape?: Record<string, unknown>; options?: unknown[] } } | undefined;
  if (u?.def?.type === 'object') return u.def.shape;
  if (u?.def?.type === 'union') {
    for (const o of u.def.options ?? []) {
      const sh = objectShape(o);
      if (sh) return sh;
    }
  }
  return undefined;
}

function childSchema(s: unknown, seg: string | number): unknown {
  const u = unwrap(s) as
    { def?: { type?: string; element?: unknown; valueType?: unknown; options?: unknown[] } } | undefined;
  if (!u?.def) return undefined;
  if (u.def.type === 'array') return u.def.element;
  if (u.def.type === 'record') return u.def.valueType;
  if (u.def.type === 'union') {
    for (const o of u.def.options ?? []) {
      const c = childSchema(o, seg);
      if (c) return c;
    }
    return undefined;
  }
  return objectShape(u)?.[String(seg)];
}

/**
 * Maps the issues of `schema.safeParse(data)` to diagnostics. `base` is where `data` sits in the
 * document; `what` names the thing for messages ("a step", "the inputs of service.stop").
 */
export function issuesToDiagnostics(
  issues: readonly z.core.$ZodIssue[],
  opts: {
    source: SourceFile;
    schema: z.ZodType;
    data: unknown;
    base: Path;
    codes?: CodeSet;
    what: (path: Path) => string;
  },
): Diagnostic[] {
  const { source, schema, data, base } = opts;
  const out: Diagnostic[] = [];
  for (const issue of issues) {
    const rel = issue.path.filter((p): p is string | number => typeof p !== 'symbol');
    const codes = codesAlong(schema, rel, opts.codes ?? SCHEMA_CODES);
    const at = [...base, ...rel];
    if (underExpression(data, rel, 1)) continue;
    const field = rel.length ? String(rel[rel.length - 1]) : '';
    const parent = opts.what(rel.slice(0, -1));
    const custom = issue.code === 'custom' ? (issue.params as { code?: DiagnosticCode } | undefined)?.code : undefined;
    const actual = valueAt(data, rel);
    if (custom) {
      out.push(source.diag(custom, at, `'${field}': ${issue.message}`));
    } else if (issue.code === 'unrecognized_keys') {
      const known = knownKeys(schema, rel);
      for (const key of issue.keys) {
        const msg = `unknown field '${key}' in ${opts.what(rel)}${hint(key, known)}${known.length ? ` (known: ${known.join(', ')})` : ''}`;
        out.push(source.diag(codes.unknownKey, [...at, key], msg, 'key'));
      }
    } else if (issue.code === 'invalid_type' && actual === undefined) {
      out.push(
        source.diag(
          codes.required,
          at,
          `missing required field '${field}' (${expectedText(issue)}) in ${parent}; add it`,
          'key',
        ),
      );
    } else if (typeof actual === 'number' && !Number.isFinite(actual)) {
      // YAML reads 1e309 and .inf as Infinity; say so in the file's own words.
      const [start, end] = source.offsets(at, 'value');
      out.push(source.diag(codes.type, at, `'${field}': ${source.text.slice(start, end)} is not a finite number`));
    } else if (issue.code === 'invalid_type' || issue.code === 'invalid_union') {
      const expected = issue.code === 'invalid_union' ? 'another type' : expectedText(issue);
      out.push(
        source.diag(codes.type, at, `'${field || opts.what(rel)}' must be ${expected}, not ${describeValue(actual)}`),
      );
    } else if (issue.code === 'invalid_value') {
      const allowed = issue.values.map((v) => JSON.stringify(v));
      const h = typeof actual === 'string' ? hint(actual, issue.values.map(String)) : '';
      out.push(
        source.diag(
          codes.value,
          at,
          `'${field}' is ${describeValue(actual)}; it must be one of ${allowed.join(', ')}${h}`,
        ),
      );
    } else if (issue.code === 'too_small' || issue.code === 'too_big') {
      const bound = issue.code === 'too_small' ? `at least ${issue.minimum}` : `at most ${issue.maximum}`;
      const unit = issue.origin === 'array' ? ' item(s)' : issue.origin === 'string' ? ' character(s)' : '';
      const what =
        issue.origin === 'array'
          ? `has ${(actual as unknown[] | undefined)?.length ?? 0} item(s)`
          : `is ${describeValue(actual)}`;
      out.push(
        source.diag(
          codes.value,
          at,
          `'${field}' ${what}; it must ${issue.origin === 'array' ? 'have' : 'be'} ${bound}${unit}`,
        ),
      );
    } else {
      out.push(source.diag(codes.value, at, `'${field}': ${issue.message}`));
    }
  }
  return out;
}
