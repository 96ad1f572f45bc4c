/**
 * The `rekindle` command. Each subcommand lives in cli/commands/<name>.ts and exports a `command`
 * (see cli/command.ts), so commands are added without touching this file.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Command } from './command';
import { safeLines } from '../compiler/code-frame';
import { exitCodeOf, internalError, isOperatorError } from './exit-codes';

function commandNames(): string[] {
  // .ts when run from source (tsx, jest), .js when run compiled from dist/ (bin/rekindle.js).
  return readdirSync(join(__dirname, 'commands'))
    .filter((f) => /^[a-z][a-z-]*\.(ts|js)$/.test(f) && !f.endsWith('.d.ts'))
    .map((f) => f.slice(0, -3))
    .sort();
}

function load(name: string): Command | undefined {
  if (!/^[a-z][a-z-]*$/.test(name) || !commandNames().includes(name)) return undefined;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  return (require(join(__dirname, 'commands', name)) as { command: Command }).command;
}

function usage(): string {
  const lines = commandNames().map((n) => {
    const c = load(n);
    return `  ${n.padEnd(10)} ${c?.summary ?? ''}`;
  });
  return `Usage: rekindle <command> [options]\n\nCommands:\n${lines.join('\n')}\n\nRun 'rekindle <command> --help' for a command's options.`;
}

async function main(argv: string[]): Promise<number> {
  const [name, ...rest] = argv;
  if (!name || name === '--help' || name === '-h' || name === 'help') {
    console.log(usage());
    return 0;
  }
  const command = load(name);
  if (!command) {
    console.error(`rekindle: unknown command '${name}'.\n\n${usage()}`);
    return 2;
  }
  if (rest.includes('--help') || rest.includes('-h')) {
    console.log(command.help);
    return 0;
  }
  try {
    return await command.run(rest);
  } catch (err) {
    if (rest.includes('--debug')) console.error(err);
    else if (isOperatorError(err)) console.error(`rekindle ${name}: ${safeLines(err.message)}`);
    else console.error(internalError(name, err));
    return exitCodeOf(err);
  }
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    console.error(process.argv.includes('--debug') ? err : internalError(process.argv[2] ?? '', err));
    process.exitCode = 1;
  },
);
