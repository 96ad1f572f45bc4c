/** `rekindle plan FILE`: compile a runbook and print its Plan as text, JSON or Mermaid. */
import { readFileSync } from 'node:fs';
import type { Command } from '../command';
import { CliError } from '../command';
import { fileProblem } from '../file-problem';
import { parseCompileArgs } from './validate';

const USAGE =
  'rekindle plan FILE [--param k=v ...] [--format text|json|mermaid] [--inventory FILE] [--mode recovery|drill]';

export const command: Command = {
  summary: 'Compile a runbook and print its plan (text by DAG level, json, or mermaid)',
  help: `Usage: ${USAGE}

Prints the compiled plan. The text form shows the DAG by levels, with every step's retry, timeout,
approval policy and fan-out, then, for each step, how the run can end there (cancelled, rejected,
aborted, failed) and which rollback steps would run. Diagnostics go to stderr; exits 1 when the
runbook has errors.

Options:
  --param k=v       Parameter value (repeatable); required parameters without a default must be given
  --format F        text (default), json (the Plan the workflow receives, plus rollbackEndings) or mermaid
  --inventory FILE  Use this inventory instead of the runbook's 'inventory:'
  --mode drill      Compile for a drill run (allows onTimeout: approve)`,
  async run(argv) {
    const args = parseCompileArgs(argv, ['text', 'json', 'mermaid'], USAGE);
    if (args.files.length !== 1) throw new CliError('name exactly one runbook: rekindle plan runbooks/x.yaml', 2);
    const file = args.files[0];
    const { hasErrors } = await import('../../compiler');
    const { formatDiagnostic, formatPlanMermaid, formatPlanText } = await import('../../compiler/format');
    const { compileFile } = await import('../../compiler/load');
    const { labInventoryFile } = await import('../../worker/config');
    const { rollbackEndings } = await import('../../compiler/rollback-endings');
    let result;
    try {
      result = compileFile(file, {
        inventoryFile: args.inventory,
        params: args.params,
        mode: args.mode,
        requireParams: true,
        namedInventories: { lab: labInventoryFile() },
      });
    } catch (err) {
      throw new CliError(`cannot read ${file}: ${fileProblem(err)}`, 2);
    }
    const text = readFileSync(file, 'utf8');
    for (const d of result.diagnostics) console.error(formatDiagnostic(d, text) + '\n');
    if (hasErrors(result.diagnostics) || !result.plan) return 1;
    const plan = result.plan;
    if (args.format === 'json')
      console.log(JSON.stringify({ ...plan, rollbackEndings: rollbackEndings(plan) }, null, 2));
    else if (args.format === 'mermaid') console.log(formatPlanMermaid(plan));
    else console.log(formatPlanText(plan));
    return 0;
  },
};
