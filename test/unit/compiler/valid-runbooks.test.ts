/**
 * The shipped runbooks compile without a diagnostic, and each has a golden Plan under
 * test/fixtures/runbooks/plans/, so any change to lowering shows up in review (UPDATE_GOLDEN=1 rewrites).
 */
import { execFileSync } from 'node:child_process';
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateExpr, resolveValue } from '../../../compiler/expr';
import type { PlanExpr, PlanStep } from '../../../compiler/plan';
import { compileFixture, expectGolden, FIXTURES, ROOT } from './golden';

const RUNBOOKS = join(ROOT, 'runbooks');
const files = readdirSync(RUNBOOKS)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

describe('shipped runbooks', () => {
  it('are the five the product promises', () => {
    expect(files).toEqual([
      'broker-replace.yaml',
      'dr-drill.yaml',
      'kafka-backup.yaml',
      'offsets-reset.yaml',
      'zk-kafka-cyber-recovery.yaml',
    ]);
  });

  it.each(files)('%s compiles cleanly and matches its golden plan', (file) => {
    const { plan, diagnostics } = compileFixture(join(RUNBOOKS, file));
    expect(diagnostics).toEqual([]);
    expect(plan).toBeDefined();
    expectGolden(join(FIXTURES, 'plans', file.replace(/\.yaml$/, '.plan.json')), JSON.stringify(plan, null, 2) + '\n');
  });

  it('orders every step after its needs, has rollback steps undo main steps, and gives each a source line', () => {
    for (const file of files) {
      const plan = compileFixture(join(RUNBOOKS, file)).plan;
      const seen = new Set<string>();
      for (const s of plan?.steps ?? []) {
        for (const n of s.needs) expect(seen.has(n)).toBe(true);
        seen.add(s.id);
        expect(s.source.line).toBeGreaterThan(0);
      }
      for (const r of plan?.rollback ?? []) {
        expect(r.needs.length).toBeGreaterThan(0);
        for (const n of r.needs) expect(seen.has(n)).toBe(true);
        expect(r.outcomes?.length).toBeGreaterThan(0);
        expect(r.source.line).toBeGreaterThan(0);
      }
    }
  });

  it('quotes forEach item values in ssh.exec commands for a real shell', () => {
    const plan = compileFixture(join(RUNBOOKS, 'dr-drill.yaml')).plan;
    const step = plan?.steps.find((s) => s.id === 'simulate-incident') as PlanStep;
    const item = { logDirs: ["/tmp/it's here", '/tmp/$(touch /tmp/pwned)'] };
    const ctx = {
      params: {},
      inventory: {},
      steps: {},
      item,
      run: { mode: 'drill' as const, dryRun: false, workflowId: 'w' },
    };
    const command = resolveValue(step.with.command, ctx) as string;
    const echoed = execFileSync('/bin/sh', [
      '-c',
      command.replace(/find "\$d".*?;/, 'printf "%s\\n" "$d";'),
    ]).toString();
    expect(echoed).toBe(`${item.logDirs[0]}\n${item.logDirs[1]}\n`);
    expect(evaluateExpr((step.when as PlanExpr).$expr, ctx)).toBe(true);
  });
});
