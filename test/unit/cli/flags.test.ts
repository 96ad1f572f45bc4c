/** cli/flags.ts: every refusal is exit 2 and names what was wrong; the accepted forms parse. */
import { CliError } from '../../../cli/command';
import { knownFlags, nearestFlag, parseFlags } from '../../../cli/flags';
import type { Flags } from '../../../cli/flags';

const FLAGS: Flags = {
  param: { type: 'string', multiple: true },
  mode: { type: 'string', default: 'recovery' },
  'dry-run': { type: 'boolean', default: false },
  json: { type: 'boolean', default: false },
};
const SHAPE = { min: 1, max: 1, usage: 'rekindle run FILE [--dry-run]' };

function refusal(argv: string[]): CliError {
  try {
    parseFlags(argv, FLAGS, SHAPE);
  } catch (err) {
    return err as CliError;
  }
  throw new Error(`${argv.join(' ')} was accepted`);
}

describe('parseFlags refuses', () => {
  it.each([
    [
      'a typo of a known flag',
      ['x.yaml', '--dry-rn'],
      [/unknown option '--dry-rn'/, /did you mean --dry-run\?/, /known options: .*--dry-run/],
    ],
    [
      'a flag nothing resembles',
      ['x.yaml', '--kraft'],
      [/unknown option '--kraft'\n/, /known options: --param VALUE, --mode VALUE, --dry-run, --json, --debug, --help/],
    ],
    ['an unknown short flag', ['x.yaml', '-z'], [/unknown option '-z'/]],
    [
      'an unknown flag with an inline value',
      ['x.yaml', '--moed=drill'],
      [/unknown option '--moed'/, /did you mean --mode\?/],
    ],
    ['a surplus argument', ['x.yaml', 'y.yaml'], [/unexpected argument 'y.yaml'/]],
    ['two surplus arguments', ['x.yaml', 'y', 'z'], [/unexpected arguments 'y' 'z'/]],
    ['a missing argument', ['--json'], [/missing argument/]],
    ['a flag without its value', ['x.yaml', '--mode'], [/--mode <value>' argument missing/]],
    ['a value given to a boolean flag', ['x.yaml', '--json=yes'], [/'--json' does not take an argument/]],
  ])('%s, with exit code 2 and the usage line', (_name, argv, patterns) => {
    const err = refusal(argv);
    expect(err).toBeInstanceOf(CliError);
    expect(err.exitCode).toBe(2);
    for (const p of patterns) expect(err.message).toMatch(p);
    expect(err.message).toMatch(/usage: rekindle run FILE \[--dry-run\]$/);
  });
});

describe('parseFlags accepts', () => {
  it('known flags, repeated flags, inline values and --debug', () => {
    const { values, positionals } = parseFlags(
      ['x.yaml', '--param', 'a=1', '--param=b=2', '--mode=drill', '--dry-run', '--debug'],
      FLAGS,
      SHAPE,
    );
    expect(positionals).toEqual(['x.yaml']);
    expect(values).toMatchObject({ param: ['a=1', 'b=2'], mode: 'drill', 'dry-run': true, json: false, debug: true });
  });

  it('any number of positionals when max is Infinity', () => {
    expect(parseFlags(['a', 'b', 'c'], {}, { min: 0, max: Infinity, usage: 'u' }).positionals).toEqual(['a', 'b', 'c']);
  });
});

describe('nearestFlag', () => {
  it.each([
    ['--dry-rn', '--dry-run'],
    ['--jsn', '--json'],
    ['--params', '--param'],
    ['--kraft', undefined],
    ['--m', undefined],
  ])('%s → %s', (given, expected) => {
    expect(nearestFlag(given, FLAGS)).toBe(expected);
  });

  it('lists the common flags after the command flags', () => {
    expect(knownFlags({ out: { type: 'string' } })).toBe('--out VALUE, --debug, --help');
  });
});
