/**
 * Parameters: defaults and enums must match the declared type, and values given for this compile
 * (e.g. `--param k=v`) must be declared and valid. Fills ctx.paramValues (given values over defaults).
 */
import { hint } from '../diagnostics';
import type { PassContext } from './context';
import { isRecord } from './context';

type ParamType = 'string' | 'number' | 'boolean';

/** Converts a given value (CLI values are strings) to the declared type, or undefined when it cannot. */
export function coerceParam(type: ParamType, v: unknown): string | number | boolean | undefined {
  if (type === 'string')
    return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
  if (type === 'number') {
    if (typeof v === 'number') return v;
    return typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : undefined;
  }
  if (typeof v === 'boolean') return v;
  return v === 'true' ? true : v === 'false' ? false : undefined;
}

/** Checks declarations and given values; `given` are the caller's values, `requireAll` reports missing ones. */
export function checkParams(ctx: PassContext, given: Record<string, unknown> | undefined, requireAll: boolean): void {
  const decls = isRecord(ctx.data.parameters) ? ctx.data.parameters : {};
  for (const [name, decl] of Object.entries(decls)) {
    if (!isRecord(decl)) continue;
    ctx.params[name] = decl;
    const type = (typeof decl.type === 'string' ? decl.type : 'string') as ParamType;
    const enumValues = Array.isArray(decl.enum) ? decl.enum : undefined;
    const path = ['parameters', name];
    if (decl.default !== undefined) {
      if (typeof decl.default !== type) {
        ctx.report(
          'PARAM_DEFAULT_INVALID',
          [...path, 'default'],
          `default of '${name}' must be a ${type}, not ${typeof decl.default}`,
        );
      } else if (enumValues && !enumValues.includes(decl.default as string | number)) {
        ctx.report(
          'PARAM_DEFAULT_INVALID',
          [...path, 'default'],
          `default of '${name}' must be one of ${enumValues.join(', ')}`,
        );
      } else {
        ctx.paramValues[name] = decl.default;
      }
    }
    enumValues?.forEach((e, i) => {
      if (typeof e !== type)
        ctx.report(
          'PARAM_DEFAULT_INVALID',
          [...path, 'enum', i],
          `enum value ${JSON.stringify(e)} of '${name}' must be a ${type}`,
        );
    });
    const value = given?.[name];
    if (value !== undefined) {
      const v = coerceParam(type, value);
      if (v === undefined || (enumValues && !enumValues.includes(v as string | number))) {
        const want = enumValues ? `one of ${enumValues.join(', ')}` : `a ${type}`;
        ctx.report(
          'PARAM_VALUE_INVALID',
          path,
          `value ${JSON.stringify(value)} for parameter '${name}' must be ${want}`,
          'key',
        );
      } else {
        ctx.paramValues[name] = v;
      }
    } else if (requireAll && decl.default === undefined && decl.required !== false) {
      ctx.report(
        'PARAM_MISSING',
        path,
        `parameter '${name}' is required and has no default; pass --param ${name}=...`,
        'key',
      );
    }
  }
  for (const name of Object.keys(given ?? {})) {
    if (!(name in decls)) {
      ctx.report(
        'PARAM_UNKNOWN',
        ['parameters'],
        `a value was given for '${name}', which the runbook does not declare${hint(name, Object.keys(decls))}`,
        'key',
      );
    }
  }
}
