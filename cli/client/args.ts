/** Argument parsing shared by the engine's CLI commands (node:util parseArgs, strict). */
import { userInfo } from 'node:os';
import { CliError } from '../command';
import { parseFlags } from '../flags';
import type { Flags as Options, Parsed } from '../flags';

/** What a RUN argument may be, for every command's help (resolved by client/handle.ts). */
export const RUN_FORMS =
  'a cluster name, a workflow id (rekindle-<cluster>: its latest run), WORKFLOW_ID/RUN_ID, or a bare run id (as run --json and list print)';

/**
 * Parses `argv` with `options` and checks the number of positionals (see cli/flags.ts).
 * @throws CliError (exit code 2) on an unknown option, naming it and the known ones, or a wrong number of positionals.
 */
export function parse(
  argv: string[],
  options: Options,
  positionals: { min: number; max: number; usage: string },
): Parsed {
  return parseFlags(argv, options, positionals);
}

/** Who is acting: `--as NAME`, else $REKINDLE_USER, else $USER. @throws CliError when none is known and `required`. */
export function actor(values: Record<string, unknown>, required: boolean): string {
  const name = (values.as as string | undefined) || process.env.REKINDLE_USER || (required ? undefined : whoami());
  if (!name) throw new CliError('say who you are with --as NAME', 2);
  return name;
}

function whoami(): string | undefined {
  try {
    return process.env.USER || userInfo().username;
  } catch {
    return undefined;
  }
}

/** `--param k=v` (repeatable) as a map; values stay strings (the compiler types them). @throws CliError on a malformed pair. */
export function paramsOf(values: string[] | undefined): Record<string, string> {
  const out: Record<string, string> = {};
  for (const kv of values ?? []) {
    const i = kv.indexOf('=');
    if (i <= 0) throw new CliError(`--param expects k=v, not '${kv}'`, 2);
    out[kv.slice(0, i)] = kv.slice(i + 1);
  }
  return out;
}
