/**
 * Flag parsing for every `rekindle` command: node:util parseArgs in strict mode, with refusals an operator
 * can act on. An unknown flag names itself, suggests the nearest known one and lists them all; a missing or
 * surplus argument names it. All of them exit 2 (usage), before anything touches a cluster.
 */
import { parseArgs } from 'node:util';
import type { ParseArgsConfig } from 'node:util';
import { CliError } from './command';

/** A command's flags, one line per flag: `{ 'dry-run': { type: 'boolean', default: false }, ... }`. */
export type Flags = NonNullable<ParseArgsConfig['options']>;

/** What `parseFlags` returns: flag values by long name, and the positional arguments in order. */
export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** Flags every command accepts besides its own. */
const COMMON: Flags = { debug: { type: 'boolean' }, help: { type: 'boolean', short: 'h' } };

/** `--name` for a flag; `--name VALUE` when it takes a value. */
function shown(name: string, flags: Flags): string {
  return flags[name]?.type === 'string' ? `--${name} VALUE` : `--${name}`;
}

/** The known flags, as one line for a refusal message. */
export function knownFlags(flags: Flags): string {
  return Object.keys({ ...flags, ...COMMON })
    .map((n) => shown(n, { ...flags, ...COMMON }))
    .join(', ');
}

/** Edit distance where swapping two neighbouring letters counts as one typo (`--moed` → `--mode`). */
function distance(a: string, b: string): number {
  const d = Array.from({ length: a.length + 1 }, (_, i) =>
    Array.from({ length: b.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)),
  );
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1])
        d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
    }
  }
  return d[a.length][b.length];
}

/** The known flag nearest to `given` (`--dry-rn` → `--dry-run`), when one is close enough to be a typo. */
export function nearestFlag(given: string, flags: Flags): string | undefined {
  const name = given.replace(/^-+/, '').split('=')[0];
  let best: { n: string; d: number } | undefined;
  for (const n of Object.keys(flags)) {
    const d = distance(name, n);
    if (d <= Math.max(1, Math.floor(n.length / 3)) && (!best || d < best.d)) best = { n, d };
  }
  return best && `--${best.n}`;
}

/** The flag named in one of parseArgs' unknown-option errors. */
function unknownIn(message: string): string | undefined {
  return /Unknown option '([^']+)'/.exec(message)?.[1];
}

/**
 * Parses `argv` against `flags` and checks the number of positionals.
 * @throws CliError (exit code 2) naming an unknown flag (with the known ones), a flag without its value,
 * a missing argument or a surplus one; every message ends with the command's usage line.
 */
export function parseFlags(
  argv: string[],
  flags: Flags,
  positionals: { min: number; max: number; usage: string },
): Parsed {
  const usage = `usage: ${positionals.usage}`;
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: { ...flags, ...COMMON }, allowPositionals: true, strict: true });
  } catch (err) {
    const message = (err as Error).message;
    const flag = unknownIn(message);
    if (flag === undefined) throw new CliError(`${message.split('. ')[0]}\n${usage}`, 2);
    const near = nearestFlag(flag, flags);
    throw new CliError(
      `unknown option '${flag}'${near ? ` (did you mean ${near}?)` : ''}\nknown options: ${knownFlags(flags)}\n${usage}`,
      2,
    );
  }
  const n = parsed.positionals.length;
  if (n > positionals.max) {
    const surplus = parsed.positionals.slice(positionals.max).map((p) => `'${p}'`);
    throw new CliError(`unexpected argument${surplus.length > 1 ? 's' : ''} ${surplus.join(' ')}\n${usage}`, 2);
  }
  if (n < positionals.min) throw new CliError(`missing argument${positionals.min - n > 1 ? 's' : ''}\n${usage}`, 2);
  return { values: parsed.values as Parsed['values'], positionals: parsed.positionals };
}
