/**
 * Turns `rekindle run FILE` into a Plan: a runbook (YAML) goes through the compiler; a `.json` file is
 * taken as an already compiled Plan (what `rekindle plan --format json` prints).
 */
import { readFileSync } from 'node:fs';
import type { Plan } from '../../compiler/plan';
import { CliError } from '../command';

interface CompilerApi {
  compileRunbook(input: { file: string; text: string; inventory?: unknown; params?: Record<string, unknown> }): {
    plan?: Plan;
    diagnostics: Array<{ file: string; line: number; column: number; code: string; severity: string; message: string }>;
  };
}

interface LoaderApi {
  loadRunbook?: (file: string, opts: { params?: Record<string, unknown>; inventoryFile?: string }) => unknown;
}

/** The compiler, loaded lazily so commands that do not compile start fast. */
function compiler(): CompilerApi & LoaderApi {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return require('../../compiler') as CompilerApi & LoaderApi;
}

/**
 * Reads and compiles `file` with `params`.
 * @throws CliError listing the diagnostics (file:line:col: severity CODE: message) when compilation fails.
 */
export function planFrom(file: string, params: Record<string, unknown>, inventoryFile?: string): Plan {
  let text: string;
  try {
    text = readFileSync(file, 'utf8');
  } catch (err) {
    throw new CliError(`cannot read ${file}: ${(err as Error).message}`);
  }
  if (file.endsWith('.json')) {
    const plan = JSON.parse(text) as Plan;
    if (plan?.planVersion !== 1 || !Array.isArray(plan.steps)) throw new CliError(`${file} is not a compiled plan (planVersion 1)`);
    return plan;
  }
  const c = compiler();
  const inventory = inventoryFile ? readInventory(inventoryFile) : undefined;
  const { plan, diagnostics } = c.compileRunbook({ file, text, ...(inventory ? { inventory } : {}), params });
  const errors = diagnostics.filter((d) => d.severity === 'error');
  for (const d of diagnostics.filter((x) => x.severity !== 'error')) {
    process.stderr.write(`${d.file}:${d.line}:${d.column}: ${d.severity} ${d.code}: ${d.message}\n`);
  }
  if (!plan || errors.length) {
    const lines = errors.map((d) => `${d.file}:${d.line}:${d.column}: error ${d.code}: ${d.message}`);
    throw new CliError(`${file} does not compile:\n${lines.join('\n')}`);
  }
  return plan;
}

function readInventory(file: string): unknown {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const { parse } = require('yaml') as typeof import('yaml');
  try {
    return parse(readFileSync(file, 'utf8'));
  } catch (err) {
    throw new CliError(`cannot read inventory ${file}: ${(err as Error).message}`);
  }
}
