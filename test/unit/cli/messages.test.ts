/**
 * What the CLI prints when a command fails: operator errors as their sentence, anything else as its kind only
 * (the text stays behind --debug); unreadable files in words; list's time flags and its visibility query.
 */
import { CliError } from '../../../cli/command';
import { internalError, isOperatorError } from '../../../cli/exit-codes';
import { fileProblem } from '../../../cli/file-problem';
import { timeFlag } from '../../../cli/commands/list';
import { RunNotFoundError } from '../../../client/errors';
import { listQuery } from '../../../client/list-runs';
import { isRunId } from '../../../client/handle';

class ConfigError extends Error {
  name = 'ConfigError';
}

describe('errors shown without --debug', () => {
  it.each([
    ['a CliError', new CliError('say who you are'), true],
    ['a client error', new RunNotFoundError('x'), true],
    ['a config error', new ConfigError('rekindle.yaml: taskQueue must be a string'), true],
    ['a TypeError', new TypeError("Cannot read properties of undefined (reading 'steps')"), false],
    ['a RangeError', new RangeError('Maximum call stack size exceeded'), false],
    ['a string', 'boom', false],
  ])('%s is an operator error: %s', (_what, err, operator) => {
    expect(isOperatorError(err)).toBe(operator);
  });

  it('names an internal error by its kind, never its text', () => {
    const text = internalError('status', new TypeError("Cannot read properties of undefined (reading 'steps')"));
    expect(text).toBe(
      'rekindle status: the command failed on an internal error (TypeError); run it again with --debug to see the details',
    );
    expect(internalError('x', Object.assign(new Error('m'), { name: 'E\u001b[2J' }))).not.toContain('\u001b');
  });

  it.each([
    ['ENOENT', 'no such file'],
    ['EISDIR', 'it is a directory, not a file'],
    ['EACCES', 'permission denied'],
  ])('an unreadable file (%s) is said in words', (code, words) => {
    expect(fileProblem(Object.assign(new Error(`${code}: raw system text`), { code }))).toBe(words);
  });
});

describe('list filters', () => {
  const now = Date.parse('2026-11-28T12:00:00Z');
  it.each([
    ['24h', '2026-11-27T12:00:00.000Z'],
    ['7d', '2026-11-21T12:00:00.000Z'],
    ['2026-11-01', '2026-11-01T00:00:00.000Z'],
    ['2026-11-01T08:30:00Z', '2026-11-01T08:30:00.000Z'],
  ])('--since %s is %s', (value, iso) => {
    expect(timeFlag('since', value, now).toISOString()).toBe(iso);
  });

  it.each(['yesterday', '1 day', '12', '2026-13-45'])('refuses --since %s with exit 2', (value) => {
    expect(() => timeFlag('since', value, now)).toThrow(expect.objectContaining({ exitCode: 2 }));
  });

  it('quotes every value, so a filter cannot change the query', () => {
    const q = listQuery({ cluster: "x' OR WorkflowType != 'y", runbook: 'r', mode: 'drill', status: 'cancelled' });
    expect(q).toBe(
      "WorkflowType = 'runRunbook' AND RekindleRunbook = 'r' AND RekindleCluster = 'x\\' OR WorkflowType != \\'y' AND RekindleMode = 'drill' AND ExecutionStatus = 'Canceled'",
    );
  });

  it('tells run ids from workflow ids and cluster names', () => {
    expect(isRunId('0193a1b2-7c3d-7e4f-8a9b-0c1d2e3f4a5b')).toBe(true);
    expect(isRunId('rekindle-prod-eu')).toBe(false);
    expect(isRunId('prod-eu')).toBe(false);
  });
});
