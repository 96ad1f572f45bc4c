/**
 * The drill's own command-line options, kept apart from cli/ so other drill options (e.g. --size)
 * can sit beside them: `--scenario NAME|all`, `--interactive`, `--out DIR`.
 */
export interface DrillCliOptions {
  /** A scenario name, `all`, or undefined for `default`. */
  scenario?: string;
  interactive: boolean;
  outDir?: string;
}

/** A drill option that is wrong; the CLI turns it into exit code 2. */
export class DrillOptionError extends Error {}

/**
 * Reads the drill's options from `argv`, leaving any it does not know in `rest` for other parsers.
 * @throws DrillOptionError when a value is missing (`--scenario` or `--out` last) or given twice.
 */
export function parseDrillOptions(argv: string[]): { options: DrillCliOptions; rest: string[] } {
  const options: DrillCliOptions = { interactive: false };
  const rest: string[] = [];
  const value = (flag: string, i: number): string => {
    const v = argv[i + 1];
    if (v === undefined || v.startsWith('--')) throw new DrillOptionError(`${flag} needs a value`);
    return v;
  };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    const [flag, inline] = a.startsWith('--') && a.includes('=') ? [a.slice(0, a.indexOf('=')), a.slice(a.indexOf('=') + 1)] : [a, undefined];
    if (flag === '--scenario' || flag === '--out') {
      const key = flag === '--scenario' ? 'scenario' : 'outDir';
      if (options[key] !== undefined) throw new DrillOptionError(`${flag} given twice`);
      const v = inline ?? value(flag, i);
      if (inline === undefined) i++;
      if (!v) throw new DrillOptionError(`${flag} needs a value`);
      options[key] = v;
    } else if (a === '--interactive') {
      options.interactive = true;
    } else {
      rest.push(a);
    }
  }
  if (options.interactive && options.scenario === 'all') throw new DrillOptionError('--interactive runs one scenario at a time, not all');
  return { options, rest };
}
