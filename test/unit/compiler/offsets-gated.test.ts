/**
 * Every offsets reset in the shipped runbooks applies an approved dry run: each execute (`dryRun: false`)
 * takes its `plan` only from dry-run steps of kafka.offsets-reset, and between each of those and the
 * execute stands an approval gate (the execute needs the gate, the gate needs the dry run).
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { collectPaths, isPlanExpr } from '../../../compiler/expr';
import type { PlanStep } from '../../../compiler/plan';
import { compileFixture, ROOT } from './golden';

const RUNBOOKS = join(ROOT, 'runbooks');
const files = readdirSync(RUNBOOKS).filter((f) => f.endsWith('.yaml'));

function ancestors(steps: Map<string, PlanStep>, id: string): Set<string> {
  const seen = new Set<string>();
  const walk = (s: string) =>
    steps.get(s)?.needs.forEach((n) => {
      if (!seen.has(n)) walk((seen.add(n), n));
    });
  walk(id);
  return seen;
}

test('the shipped runbooks reset offsets in four places, the edge reset included', () => {
  const ids = files.flatMap((f) =>
    (compileFixture(join(RUNBOOKS, f)).plan?.steps ?? [])
      .filter((s) => s.action === 'kafka.offsets-reset' && s.with.dryRun === false)
      .map((s) => s.id),
  );
  expect(ids.sort()).toEqual(['reset', 'reset-offsets', 'reset-offsets', 'reset-offsets-edge']);
});

describe.each(files)('%s', (file) => {
  const plan = compileFixture(join(RUNBOOKS, file)).plan;
  const steps = new Map((plan?.steps ?? []).map((s) => [s.id, s]));
  const executes = [...steps.values()].filter((s) => s.action === 'kafka.offsets-reset' && s.with.dryRun === false);

  test('compiles', () => expect(plan).toBeDefined());

  test(`every execute applies an approved dry run (${executes.map((s) => s.id).join(', ') || 'none'})`, () => {
    for (const exec of executes) checkExecute(steps, exec);
  });
});

function checkExecute(steps: Map<string, PlanStep>, exec: PlanStep): void {
  const given = exec.with.plan;
  expect(isPlanExpr(given)).toBe(true);
  const sources = isPlanExpr(given) ? collectPaths(given.$expr).map((p) => String(p.segments[0])) : [];
  expect(sources.length).toBeGreaterThan(0);
  const above = ancestors(steps, exec.id);
  for (const id of sources) {
    const dry = steps.get(id);
    expect(dry).toMatchObject({ action: 'kafka.offsets-reset' });
    expect(dry?.with.dryRun).not.toBe(false);
    const gates = [...above].filter((g) => steps.get(g)?.kind === 'approval' && ancestors(steps, g).has(id));
    expect(gates.length).toBeGreaterThan(0);
  }
}
