/**
 * Turns `rekindle run FILE` into a Plan: a runbook (YAML) goes through the compiler (named inventories
 * resolved from the current directory, `lab` → the lab's); a `.json` file is taken as an already
 * compiled Plan (what `rekindle plan --format json` prints).
 */
import { existsSync, readFileSync } from 'node:fs';
import { compileFile } from '../../compiler/load';
import { labInventoryFile } from '../../worker/config';
import type { Plan } from '../../compiler/plan';
import { CliError } from '../command';

/**
 * Reads and compiles `file` with `params` for `mode`. Warnings go to stderr.
 * @throws CliError listing the diagnostics (file:line:col: error CODE: message) when compilation fails.
 */
export function planFrom(
  file: string,
  params: Record<string, unknown>,
  mode: 'recovery' | 'drill' = 'recovery',
  inventoryFile?: string,
): Plan {
  if (!existsSync(file)) throw new CliError(`${file} does not exist`);
  if (file.endsWith('.json')) {
    let plan: Plan;
    try {
      plan = JSON.parse(readFileSync(file, 'utf8')) as Plan;
    } catch (err) {
      throw new CliError(`${file} is not JSON: ${(err as Error).message}`);
    }
    if (plan?.planVersion !== 1 || !Array.isArray(plan.steps))
      throw new CliError(`${file} is not a compiled plan (planVersion 1)`);
    // `plan --format json` adds the rollback prediction for people; the engine takes the Plan alone.
    const { rollbackEndings: _shown, ...bare } = plan as Plan & { rollbackEndings?: unknown };
    return bare;
  }
  let result;
  try {
    const namedInventories = { lab: labInventoryFile() };
    result = compileFile(file, {
      params,
      mode,
      requireParams: true,
      namedInventories,
      ...(inventoryFile ? { inventoryFile } : {}),
    });
  } catch (err) {
    throw new CliError((err as Error).message);
  }
  const { plan, diagnostics } = result;
  for (const d of diagnostics.filter((x) => x.severity !== 'error')) {
    process.stderr.write(`${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}\n`);
  }
  const errors = diagnostics.filter((d) => d.severity === 'error');
  if (!plan || errors.length) {
    const lines = errors.map((d) => `${d.file}:${d.line}:${d.column}: error ${d.code}: ${d.message}`);
    throw new CliError(`${file} does not compile:\n${lines.join('\n')}`);
  }
  return plan;
}
