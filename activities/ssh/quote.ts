/** POSIX sh quoting: the only way values reach a remote shell. */

/** Quotes one word for POSIX sh, so it is passed as a single literal argument whatever it contains. */
export function shellQuote(word: string): string {
  if (word !== '' && /^[A-Za-z0-9_@%+=:,./-]+$/.test(word)) return word;
  return `'${word.replace(/'/g, `'\\''`)}'`;
}

/** Joins a command and literal arguments into one shell line, quoting every argument. */
export function shellJoin(command: string, args: readonly string[] = []): string {
  return [command, ...args.map(shellQuote)].join(' ');
}
