/** The shape every `cli/commands/<name>.ts` exports as `command`. */
export interface Command {
  /** One line for `rekindle --help`. */
  summary: string;
  /** Full text for `rekindle <name> --help`: usage, options, examples. */
  help: string;
  /** Runs with the arguments after the command name; resolves to the exit code. */
  run(argv: string[]): Promise<number>;
}

/** An error meant for the operator: one clear sentence plus the fix. Printed without a stack trace. */
export class CliError extends Error {
  constructor(
    message: string,
    readonly exitCode = 1,
  ) {
    super(message);
    this.name = 'CliError';
  }
}
