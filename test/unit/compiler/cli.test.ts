/**
 * `rekindle validate` and `rekindle plan` as real processes: exit codes, the text format with code
 * frames, the stable JSON shape, and the plan's text/mermaid forms.
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';
import { ROOT } from './golden';

const INVENTORY = 'test/fixtures/runbooks/inventory.yaml';

function rekindle(...args: string[]): { code: number | null; stdout: string; stderr: string } {
  const r = spawnSync(process.execPath, [join(ROOT, 'bin/rekindle.js'), ...args], {
    cwd: ROOT,
    encoding: 'utf8',
    timeout: 60_000,
  });
  return { code: r.status, stdout: r.stdout, stderr: r.stderr };
}

describe('rekindle validate', () => {
  it('exits 0 when every file is valid', () => {
    const r = rekindle(
      'validate',
      '--inventory',
      INVENTORY,
      'runbooks/zk-kafka-cyber-recovery.yaml',
      'runbooks/dr-drill.yaml',
    );
    expect(r.stderr).toBe('');
    expect(r.stdout).toContain('runbooks/dr-drill.yaml: valid');
    expect(r.code).toBe(0);
  });

  it('exits 1 and prints file:line:col: error CODE: message with a code frame', () => {
    const r = rekindle(
      'validate',
      '--inventory',
      INVENTORY,
      'runbooks/kafka-backup.yaml',
      'test/fixtures/runbooks/invalid/cycle-2.yaml',
    );
    expect(r.code).toBe(1);
    expect(r.stdout).toContain(
      'test/fixtures/runbooks/invalid/cycle-2.yaml:10:13: error DEPENDENCY_CYCLE: dependency cycle a → b → a',
    );
    expect(r.stdout).toMatch(/> 10 \| {5}needs: \[a\]\n\s+\|\s{13}\^\n/);
  });

  it('--format json prints the stable diagnostic shape', () => {
    const r = rekindle('validate', '--format', 'json', 'test/fixtures/runbooks/invalid/raw-and-error.yaml');
    expect(r.code).toBe(1);
    const ds = JSON.parse(r.stdout) as Array<Record<string, unknown>>;
    expect(ds.map((d) => Object.keys(d))).toEqual(
      ds.map(() => ['file', 'line', 'column', 'endLine', 'endColumn', 'code', 'severity', 'message', 'path']),
    );
    expect(ds.map((d) => [d.code, d.severity, d.line, d.column, d.path])).toEqual([
      ['INVENTORY_UNAVAILABLE', 'warning', 10, 5, 'steps[0].forEach'],
      ['RAW_INTERPOLATION', 'warning', 12, 23, 'steps[0].with.command'],
      ['NEEDS_UNKNOWN', 'error', 16, 13, 'steps[1].needs[0]'],
    ]);
  });
});

describe('rekindle plan', () => {
  it('prints the DAG by levels with retry, timeout, approval and fan-out', () => {
    const r = rekindle('plan', '--inventory', INVENTORY, 'runbooks/broker-replace.yaml', '--param', 'broker=kafka-2');
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('level 0 (2 in parallel)');
    expect(r.stdout).toMatch(
      /approve {2}approval\n.*timeout 30m.*\n.*needs select-backup, status\n\s+approval 1 of \[oncall-lead\] within 30m, on timeout fail/,
    );
  });

  it('shows, for each step and each way the run can end there, which rollback steps would run', () => {
    const r = rekindle('plan', '--inventory', INVENTORY, 'runbooks/zk-kafka-cyber-recovery.yaml');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(
      /rollback-unisolate .*\n\s+retry .*\n\s+undoes isolate\n\s+on cancelled, aborted, failed\n/,
    );
    expect(r.stdout).toMatch(/\n {2}isolate +cancelled: rollback-unisolate; aborted: rollback-unisolate\n/);
    expect(r.stdout).toMatch(/\n {2}approve-reintroduce +cancelled: none; rejected: none; aborted: none\n/);
    const json = rekindle(
      'plan',
      '--inventory',
      INVENTORY,
      'runbooks/zk-kafka-cyber-recovery.yaml',
      '--format',
      'json',
    );
    const printed = JSON.parse(json.stdout) as { rollbackEndings: Array<Record<string, unknown>> };
    expect(printed.rollbackEndings).toContainEqual({
      step: 'approve-restore',
      outcome: 'rejected',
      runs: [],
      mayRun: [],
    });
    expect(printed.rollbackEndings).toContainEqual({
      step: 'approve-restore',
      outcome: 'cancelled',
      runs: ['rollback-unisolate'],
      mayRun: [],
    });
  });

  it('requires parameters without defaults and refuses unknown ones', () => {
    const r = rekindle(
      'plan',
      '--inventory',
      INVENTORY,
      'runbooks/broker-replace.yaml',
      '--param',
      'brokr=kafka-2',
      '--format',
      'mermaid',
    );
    expect(r.code).toBe(1);
    expect(r.stderr).toContain("error PARAM_MISSING: parameter 'broker' is required");
    expect(r.stderr).toContain("error PARAM_UNKNOWN: a value was given for 'brokr'");
  });
});
