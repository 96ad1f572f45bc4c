/** `rekindle validate FILE...`: compile each runbook and print its diagnostics. */
import { readFileSync } from 'node:fs';
import type { Diagnostic } from '../../compiler';
import { hasErrors } from '../../compiler';
import { diagnosticToJson, formatDiagnostic } from '../../compiler/format';
import { compileFile } from '../../compiler/load';
import { labInventoryFile } from '../../worker/config';
import type { Command } from '../command';
import { CliError } from '../command';

export const command: Command = {
  summary: 'Check runbooks; print file:line:col diagnostics (exit 0 when all are valid, 1 otherwise)',
  help: `Usage: rekindle validate FILE... [--format text|json] [--inventory FILE] [--param k=v ...] [--mode recovery|drill]

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
    const args = parseCompileArgs(argv, ['text', 'json']);
    if (args.files.length === 0)
      throw new CliError('name at least one runbook file: rekindle validate runbooks/x.yaml', 2);
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
        throw new CliError(`cannot read ${file}: ${(err as Error).message}`, 2);
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

/**
 * Parses `FILE... [--format F] [--inventory FILE] [--param k=v]... [--mode M] [--quiet]`.
 * @throws CliError (exit 2) on an unknown option or a malformed value.
 */
export function parseCompileArgs(argv: string[], formats: string[]): CompileArgs {
  const out: CompileArgs = { files: [], format: formats[0], params: {}, quiet: false };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] =
      a.startsWith('--') && a.includes('=')
        ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)]
        : [a, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined) throw new CliError(`${flag} needs a value`, 2);
      return v;
    };
    if (flag === '--format') {
      out.format = value();
      if (!formats.includes(out.format)) throw new CliError(`--format must be one of ${formats.join(', ')}`, 2);
    } else if (flag === '--inventory') out.inventory = value();
    else if (flag === '--param' || flag === '-p') {
      const kv = value();
      const eq = kv.indexOf('=');
      if (eq <= 0) throw new CliError(`--param needs k=v, got '${kv}'`, 2);
      out.params[kv.slice(0, eq)] = kv.slice(eq + 1);
    } else if (flag === '--mode') {
      const m = value();
      if (m !== 'recovery' && m !== 'drill') throw new CliError('--mode must be recovery or drill', 2);
      out.mode = m;
    } else if (flag === '--quiet' || flag === '-q') out.quiet = true;
    else if (flag === '--debug') continue;
    else if (a.startsWith('-')) throw new CliError(`unknown option ${a}`, 2);
    else out.files.push(a);
  }
  return out;
}
