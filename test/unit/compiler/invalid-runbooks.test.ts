/**
 * Every runbook under test/fixtures/runbooks/invalid/ against its golden `.expected` file: one line
 * per diagnostic, `line:column-endLine:endColumn severity CODE path`. Regenerate with UPDATE_GOLDEN=1 and review.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { compileRunbook } from '../../../compiler';
import { compileFixture, expectGolden, FIXTURES } from './golden';

const DIR = join(FIXTURES, 'invalid');
const files = readdirSync(DIR)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('invalid runbooks', () => {
  it('has at least 40 fixtures', () => {
    expect(files.length).toBeGreaterThanOrEqual(40);
  });

  it.each(files)('%s', (file) => {
    const { plan, diagnostics } = compileFixture(join(DIR, file));
    expect(plan).toBeUndefined();
    expect(diagnostics.some((d) => d.severity === 'error')).toBe(true);
    const lines = diagnostics.map(
      (d) => `${d.line}:${d.column}-${d.endLine}:${d.endColumn} ${d.severity} ${d.code} ${d.path}`,
    );
    expectGolden(join(DIR, file.replace(/\.yaml$/, '.expected')), lines.join('\n') + '\n');
    for (const d of diagnostics) {
      expect(d.message.length).toBeGreaterThan(10);
      expect(d.line).toBeGreaterThanOrEqual(1);
      expect(d.column).toBeGreaterThanOrEqual(1);
    }
  });

  it('reports only the syntax error after a YAML syntax error', () => {
    const { diagnostics } = compileFixture(join(DIR, 'syntax-tab-and-semantic.yaml'));
    expect(diagnostics.map((d) => d.code)).toEqual(['YAML_SYNTAX']);
  });

  it('refuses the billion-laughs alias bomb quickly', () => {
    const text = readFileSync(join(DIR, 'billion-laughs.yaml'), 'utf8');
    const t0 = performance.now();
    const { diagnostics } = compileRunbook({ file: 'bomb.yaml', text });
    expect(performance.now() - t0).toBeLessThan(500);
    expect(diagnostics.map((d) => d.code)).toEqual(['YAML_ALIAS_BOMB']);
  });

  it('names the path of a 4-cycle and reports it at the edge that closes it', () => {
    const { diagnostics } = compileFixture(join(DIR, 'cycle-4.yaml'));
    const cycle = diagnostics.find((d) => d.code === 'DEPENDENCY_CYCLE');
    expect(cycle?.message).toContain('a → d → c → b → a');
    expect(cycle?.path).toBe('steps[2].needs[0]');
  });

  it('hints at the closest action name', () => {
    const { diagnostics } = compileFixture(join(DIR, 'unknown-action.yaml'));
    expect(diagnostics[0].message).toContain("did you mean 'kafka.health'?");
  });
});
