/**
 * Unknown flags and surplus arguments are refused with exit code 2 and a message that names them and lists
 * the known flags, through the installed `rekindle` and through the npm scripts' pass-through
 * (`npm run drill -- ...`, `npm run lab -- ...`). Every case is refused before anything connects anywhere.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exec, installedPackage, REPO } from '../support/installed';

jest.setTimeout(600_000);

const cwd = mkdtempSync(join(tmpdir(), 'rekindle-refusals-'));
// Nothing listens on port 1: were a case to get past argument parsing, it would fail with another exit code.
const env = { ...process.env, REKINDLE_TEMPORAL_ADDRESS: '127.0.0.1:1' };

describe('the installed rekindle refuses', () => {
  it.each([
    [
      'a typo of --dry-run',
      ['run', 'runbooks/dr-drill.yaml', '--dry-rn'],
      [
        /unknown option '--dry-rn' \(did you mean --dry-run\?\)/,
        /known options: .*--dry-run/,
        /usage: rekindle run FILE/,
      ],
    ],
    [
      'an unknown drill run flag',
      ['drill', 'run', '--kraft'],
      [/unknown option '--kraft'/, /known options: --scenario VALUE, --size VALUE, --interactive, --out VALUE/],
    ],
    ['an unknown drill list flag', ['drill', 'list', '--jsn'], [/did you mean --json\?/]],
    ['a surplus drill list argument', ['drill', 'list', 'extra'], [/unexpected argument 'extra'/]],
    [
      'a drill schedule without its runbook',
      ['drill', 'schedule', '--every', '1d'],
      [/missing argument/, /usage: rekindle drill schedule/],
    ],
    ['an unknown drill subcommand', ['drill', 'sechdule'], [/unknown drill command 'sechdule'; known: run, schedule/]],
    ['a surplus status argument', ['status', 'a', 'b'], [/unexpected argument 'b'/]],
    ['a surplus worker argument', ['worker', 'extra'], [/unexpected argument 'extra'/]],
    ['a typo of --format in validate', ['validate', 'x.yaml', '--formt', 'json'], [/did you mean --format\?/]],
    ['an unknown plan flag', ['plan', 'x.yaml', '--bogus'], [/unknown option '--bogus'/]],
    ['an unknown approve flag', ['approve', 'r', 'g', '--as', 'n', '--coment', 'x'], [/did you mean --comment\?/]],
    ['an unknown audit flag', ['audit', 'r', '--verfy'], [/did you mean --verify\?/]],
    ['an unknown command', ['rnu'], [/unknown command 'rnu'/]],
  ])('%s with exit code 2', async (_name, args, patterns) => {
    const { bin } = await installedPackage();
    const r = await exec(bin, args, { cwd, env, timeoutMs: 60_000 });
    expect({ code: r.code, out: r.out }).toEqual({ code: 2, out: '' });
    for (const p of patterns) expect(r.err).toMatch(p);
  });
});

describe('the npm scripts pass unknown flags through to a refusal', () => {
  it.each([
    [
      'npm run drill -- --bogus',
      ['run', 'drill', '--', '--bogus'],
      [/unknown option '--bogus'/, /known options: --scenario VALUE, --size VALUE, --interactive, --out VALUE/],
    ],
    [
      'npm run lab -- --bogus',
      ['run', 'lab', '--', '--bogus'],
      [/unknown option '--bogus'; known options: --zk-nodes, --json, --help/],
    ],
    ['npm run lab -- up --kraft', ['run', 'lab', '--', 'up', '--kraft'], [/unknown option '--kraft'/]],
    ['npm run lab -- up extra', ['run', 'lab', '--', 'up', 'extra'], [/unexpected argument 'extra'/]],
    [
      'npm run lab -- --zk-nodes 2 up',
      ['run', 'lab', '--', '--zk-nodes', '2', 'up'],
      [/--zk-nodes takes 1 or 3, not '2'/],
    ],
  ])('%s exits 2', async (_name, args, patterns) => {
    const r = await exec('npm', ['--silent', ...args], { cwd: REPO, env, timeoutMs: 120_000 });
    expect(r.code).toBe(2);
    for (const p of patterns) expect(r.err).toMatch(p);
  });
});
