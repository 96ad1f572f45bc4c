/**
 * The typed parameter values a run starts with: given values (CLI strings) converted to their declared
 * types, and defaults filled in. The client calls this before starting a run, so the history records
 * exactly the values the run used and the interpreter never applies defaults itself.
 */
import type { Plan } from './plan';
import { coerceParam } from './passes/params';

/** @throws Error naming the parameter when a value cannot be converted or a required one is missing. */
export function resolveParams(plan: Plan, given: Record<string, unknown>): Record<string, string | number | boolean> {
  const out: Record<string, string | number | boolean> = {};
  for (const [name, spec] of Object.entries(plan.parameters)) {
    if (given[name] === undefined) {
      if (spec.default !== undefined) out[name] = spec.default;
      else if (spec.required)
        throw new Error(`parameter '${name}' of ${plan.runbook.name} needs a value (--param ${name}=...)`);
      continue;
    }
    const value = coerceParam(spec.type, given[name]);
    if (value === undefined)
      throw new Error(`parameter '${name}' must be a ${spec.type}, not ${JSON.stringify(given[name])}`);
    out[name] = value;
  }
  return out;
}
