/** `rekindle validate FILE...`: compile each runbook and print its diagnostics. */
import { readFileSync } from 'node:fs';
import type { Diagnostic } from '../../compiler';
import type { Command } from '../command';
import { CliError } from '../command';
import { fileProblem } from '../file-problem';
import { parseFlags } from '../flags';
import type { Flags } from '../flags';

const USAGE =
  'rekindle validate FILE... [--format text|json] [--inventory FILE] [--param k=v ...] [--mode recovery|drill] [--quiet]';

export const command: Command = {
  summary: 'Check runbooks; print file:line:col diagnostics (exit 0 when all are valid, 1 otherwise)',
  help: `Usage: ${USAGE}

Compiles each runbook and prints every diagnostic as
  file:line:col: error CODE: message
followed by a code frame. Exits 0 when every file is valid (warnings allowed), 1 otherwise.

Options:
  --format json     Print one JSON array of {file, line, column, endLine, endColumn, code, severity, message, path}
  --inventory FILE  Use this inventory instead of the runbook's 'inventory:'
  --param k=v       Parameter values (repeatable), e.g. to resolve 'inventory: \${{ params.cluster }}'
  --mode drill      Check as a drill run (allows onTimeout: approve)
  --quiet           Print nothing for valid files`,
  async run(argv) {
    const args = parseCompileArgs(argv, ['text', 'json'], USAGE);
    if (args.files.length === 0)
      throw new CliError('name at least one runbook file: rekindle validate runbooks/x.yaml', 2);
    const { hasErrors } = await import('../../compiler');
    const { diagnosticToJson, formatDiagnostic } = await import('../../compiler/format');
    const { compileFile } = await import('../../compiler/load');
    const { labInventoryFile } = await import('../../worker/config');
    const all: Diagnostic[] = [];
    let failed = false;
    for (const file of args.files) {
      let diagnostics: Diagnostic[];
      try {
        diagnostics = compileFile(file, {
          inventoryFile: args.inventory,
          params: args.params,
          mode: args.mode,
          namedInventories: { lab: labInventoryFile() },
        }).diagnostics;
      } catch (err) {
        throw new CliError(`cannot read ${file}: ${fileProblem(err)}`, 2);
      }
      failed ||= hasErrors(diagnostics);
      all.push(...diagnostics);
      if (args.format === 'text') {
        const text = readFileSync(file, 'utf8');
        for (const d of diagnostics) console.log(formatDiagnostic(d, text) + '\n');
        if (!args.quiet) {
          const errors = diagnostics.filter((d) => d.severity === 'error').length;
          const warnings = diagnostics.length - errors;
          console.log(
            errors
              ? `${file}: ${errors} error(s), ${warnings} warning(s)`
              : `${file}: valid${warnings ? ` (${warnings} warning(s))` : ''}`,
          );
        }
      }
    }
    if (args.format === 'json') console.log(JSON.stringify(all.map(diagnosticToJson), null, 2));
    return failed ? 1 : 0;
  },
};

export interface CompileArgs {
  files: string[];
  format: string;
  inventory?: string;
  params: Record<string, string>;
  mode?: 'recovery' | 'drill';
  quiet: boolean;
}

/** The flags of `validate` and `plan`, one line per flag. */
const COMPILE_FLAGS: Flags = {
  format: { type: 'string' },
  inventory: { type: 'string' },
  param: { type: 'string', multiple: true, short: 'p' },
  mode: { type: 'string' },
  quiet: { type: 'boolean', short: 'q' },
};

/**
 * Parses `FILE... [--format F] [--inventory FILE] [--param k=v]... [--mode M] [--quiet]`.
 * @throws CliError (exit 2) on an unknown option (naming the known ones) or a malformed value.
 */
export function parseCompileArgs(argv: string[], formats: string[], usage: string): CompileArgs {
  const { values, positionals } = parseFlags(argv, COMPILE_FLAGS, { min: 0, max: Infinity, usage });
  const format = (values.format as string | undefined) ?? formats[0];
  if (!formats.includes(format))
    throw new CliError(`--format must be one of ${formats.join(', ')}, not '${format}'`, 2);
  const mode = values.mode as string | undefined;
  if (mode !== undefined && mode !== 'recovery' && mode !== 'drill')
    throw new CliError(`--mode must be recovery or drill, not '${mode}'`, 2);
  const params: Record<string, string> = {};
  for (const kv of (values.param as string[] | undefined) ?? []) {
    const eq = kv.indexOf('=');
    if (eq <= 0) throw new CliError(`--param needs k=v, got '${kv}'`, 2);
    params[kv.slice(0, eq)] = kv.slice(eq + 1);
  }
  return {
    files: positionals,
    format,
    ...(values.inventory !== undefined ? { inventory: values.inventory as string } : {}),
    params,
    ...(mode !== undefined ? { mode } : {}),
    quiet: !!values.quiet,
  };
}
