/**
 * Scenario files: every shipped scenario loads; mistakes are reported with file:line:column and the
 * field; names cannot point outside the scenario folder; the order runs default first and the
 * three-node ZooKeeper scenarios last. Also the drill's own option parsing.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { loadScenario, parseScenario, ScenarioError, scenarioNames } from '../../../drill/scenario';

const VALID = `description: d
incident:
  - kill-brokers: all
recovery:
  runbook: runbooks/zk-kafka-cyber-recovery.yaml
expected:
  outcome: recovered
`;

describe('scenario files', () => {
  it('loads every shipped scenario, default first and zk-loss (three nodes) last', () => {
    const names = scenarioNames();
    expect(names[0]).toBe('default');
    expect(names[names.length - 1]).toBe('zk-loss');
    expect(names).toEqual(
      expect.arrayContaining(['total-outage', 'partial', 'corrupt-backup', 'corrupt-backup-only', 'worker-chaos']),
    );
    for (const n of names) expect(loadScenario(n).name).toBe(n);
  });

  it('applies defaults and converts deadlines to milliseconds', () => {
    const s = parseScenario(VALID, 'x.yaml', 'x');
    expect(s).toMatchObject({
      seed: true,
      lab: { zkNodes: 1 },
      backups: { count: 1, damageNewest: false },
      chaos: { workerKills: 0 },
    });
    expect([s.decisionDeadlineMs, s.runDeadlineMs]).toEqual([120_000, 1_200_000]);
  });

  it.each([
    ['an unknown incident step', VALID.replace('kill-brokers: all', 'burn-it-down: all'), /x\.yaml:3:5: incident\.0: /],
    [
      'a bad deadline',
      `${VALID}deadlines: { decision: soon }\n`,
      /x\.yaml:8:24: deadlines\.decision: expected a duration/,
    ],
    [
      'a refused outcome without refusedAt',
      VALID.replace('outcome: recovered', 'outcome: refused'),
      /x\.yaml:7:3: expected: a refused outcome needs refusedAt/,
    ],
    [
      'a runbook outside the repository',
      VALID.replace('runbooks/zk-kafka-cyber-recovery.yaml', '../../etc/x.yaml'),
      /x\.yaml:5:12: recovery\.runbook: expected a runbook path inside/,
    ],
    ['an unknown field', `${VALID}surprise: 1\n`, /x\.yaml:1:1: \(root\): Unrecognized key: "surprise"/],
    ['a four-node ensemble', `${VALID}lab: { zkNodes: 4 }\n`, /x\.yaml:8:17: lab\.zkNodes: /],
    ['a YAML syntax error', 'description: [unclosed', /x\.yaml:1:\d+: /],
    ['not a map', '- a\n- b\n', /x\.yaml:1:1: a scenario is a map/],
  ])('reports %s with file:line:column and the field', (_l, text, message) => {
    expect(() => parseScenario(text, 'x.yaml', 'x')).toThrow(message);
  });

  it.each([['../default'], ['/etc/passwd'], ['Default'], ['']])('refuses the name %j', (name) => {
    expect(() => loadScenario(name)).toThrow(ScenarioError);
  });

  it('names the known scenarios when one is missing', () => {
    const dir = mkdtempSync(join(tmpdir(), 'rekindle-scenarios-'));
    writeFileSync(join(dir, 'only-one.yaml'), VALID);
    expect(() => loadScenario('nope', dir)).toThrow(/no scenario 'nope' in .* \(known: only-one, or all\)/);
  });
});
