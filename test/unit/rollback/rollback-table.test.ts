/**
 * Every shipped runbook, stopped at every step in every way it can stop there (a rejected gate, an
 * operator's abort, an onFailure: abort, a cancellation), against the hand-reviewed table in
 * test/fixtures/rollback-table.json. The rollback set comes from the engine's own choice
 * (workflows/rollback-select.ts) and each step's `when:` as the engine evaluates it, for a run that
 * reached the step the normal way with default parameters. `plan`'s prediction must agree with it.
 * UPDATE_GOLDEN=1 rewrites the table: review every changed line by hand before committing it.
 */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { evaluateExpr, isTruthy } from '../../../compiler/expr';
import type { ExprContext } from '../../../compiler/expr';
import type { Plan, PlanStep, RunOutcome } from '../../../compiler/plan';
import { endingsAt, rollbackEndings } from '../../../compiler/rollback-endings';
import { selectRollback, touched } from '../../../workflows/rollback-select';
import type { StepStatus } from '../../../workflows/types';
import { compileFixture, expectGolden, ROOT } from '../compiler/golden';

const RUNBOOKS = join(ROOT, 'runbooks');
const TABLE = join(ROOT, 'test/fixtures/rollback-table.json');
/** Parameters without a default, set to what a run would give. */
const REQUIRED: Record<string, Record<string, unknown>> = { 'broker-replace': { broker: 'kafka-2' } };

type Table = Record<string, Record<string, Record<string, string[]>>>;

function planOf(file: string): Plan {
  const name = file.replace(/\.yaml$/, '');
  const { plan, diagnostics } = compileFixture(join(RUNBOOKS, file), { params: REQUIRED[name] });
  if (!plan) throw new Error(`${file}: ${JSON.stringify(diagnostics)}`);
  return plan;
}

function ancestors(plan: Plan, id: string): Set<string> {
  const byId = new Map(plan.steps.map((s) => [s.id, s]));
  const out = new Set<string>();
  const visit = (s: PlanStep) =>
    s.needs.forEach((n) => {
      if (!out.has(n)) {
        out.add(n);
        visit(byId.get(n)!);
      }
    });
  visit(byId.get(id)!);
  return out;
}

/** The rollback steps that run when the run stops at `at` with `outcome`, in order. */
function rollbackAt(plan: Plan, at: PlanStep, outcome: RunOutcome): string[] {
  const records = new Map<string, StepStatus>();
  const params = Object.fromEntries(Object.entries(plan.parameters).map(([k, p]) => [k, p.default]));
  const ctx = (): ExprContext => ({
    params: { ...params, ...REQUIRED[plan.runbook.name] },
    inventory: plan.inventory as Record<string, unknown>,
    steps: Object.fromEntries([...records.values()].map((r) => [r.id, { outputs: {}, state: r.state }])),
    run: { mode: 'recovery', dryRun: false, workflowId: 'table', outcome },
  });
  const before = ancestors(plan, at.id);
  let seq = 0;
  for (const s of plan.steps) records.set(s.id, { id: s.id, state: 'pending' } as StepStatus);
  for (const s of plan.steps) {
    const rec = records.get(s.id)!;
    if (before.has(s.id)) {
      const admitted = !s.when || isTruthy(evaluateExpr(s.when.$expr, ctx()));
      rec.state = admitted ? 'succeeded' : 'skipped';
      if (admitted) rec.completedSeq = ++seq;
    } else if (s.id === at.id) {
      rec.state = 'failed';
      rec.completedSeq = ++seq;
    }
  }
  const ran: string[] = [];
  // As workflows/rollback.ts runs them: when: is read just before each step, after earlier ones rolled back.
  for (const r of selectRollback(plan.rollback, records, outcome)) {
    if (r.when && !isTruthy(evaluateExpr(r.when.$expr, ctx()))) continue;
    ran.push(r.id);
    for (const n of r.needs) if (touched(records.get(n))) records.get(n)!.state = 'rolled-back';
  }
  return ran;
}

const files = readdirSync(RUNBOOKS)
  .filter((f) => f.endsWith('.yaml'))
  .sort();

function buildTable(): Table {
  const table: Table = {};
  for (const file of files) {
    const plan = planOf(file);
    const byOutcome: Record<string, Record<string, string[]>> = {};
    for (const at of plan.steps)
      for (const outcome of endingsAt(at)) (byOutcome[outcome] ??= {})[at.id] = rollbackAt(plan, at, outcome);
    table[plan.runbook.name] = byOutcome;
  }
  return table;
}

/** One line per step, so a reviewer reads the table as a table. */
function render(table: Table): string {
  const lines = ['{'];
  const names = Object.keys(table);
  names.forEach((name, i) => {
    lines.push(`  ${JSON.stringify(name)}: {`);
    const outcomes = Object.keys(table[name]);
    outcomes.forEach((o, j) => {
      lines.push(`    ${JSON.stringify(o)}: {`);
      const steps = Object.entries(table[name][o]);
      steps.forEach(([step, ran], k) =>
        lines.push(`      ${JSON.stringify(step)}: ${JSON.stringify(ran)}${k < steps.length - 1 ? ',' : ''}`),
      );
      lines.push(`    }${j < outcomes.length - 1 ? ',' : ''}`);
    });
    lines.push(`  }${i < names.length - 1 ? ',' : ''}`);
  });
  return `${lines.join('\n')}\n}\n`;
}

describe('rollback table', () => {
  const table = buildTable();

  it('matches the hand-reviewed table for every runbook, step and ending', () => {
    expectGolden(TABLE, render(table));
  });

  it('runs no rollback step after a rejected gate unless the runbook names rejected', () => {
    for (const file of files) {
      const plan = planOf(file);
      const allowed = new Set(plan.rollback.filter((r) => r.outcomes?.includes('rejected')).map((r) => r.id));
      for (const ran of Object.values(table[plan.runbook.name].rejected ?? {}))
        for (const id of ran) expect(allowed).toContain(id);
    }
  });

  it('leaves client traffic cut when an approver rejects reopening it in zk-kafka-cyber-recovery', () => {
    const plan = planOf('zk-kafka-cyber-recovery.yaml');
    expect(table['zk-kafka-cyber-recovery'].rejected['approve-reintroduce']).toEqual([]);
    for (const ran of Object.values(table['zk-kafka-cyber-recovery'].rejected)) expect(ran).toEqual([]);
    expect(plan.rollback.some((r) => r.action === 'host.unisolate')).toBe(true);
  });

  it('never starts the broker in broker-replace once its data was touched (preflight failed, or later)', () => {
    const ends = table['broker-replace'];
    expect(ends.failed.preflight).toEqual([]);
    for (const step of ['restore-logs', 'preflight', 'start', 'rejoin', 'in-sync', 'unisolate'])
      for (const outcome of Object.keys(ends)) expect(ends[outcome][step] ?? []).not.toContain('rollback-start');
    // Before the data is touched, the broker is put back as it was.
    expect(ends.cancelled.stop).toEqual(['rollback-start', 'rollback-unisolate']);
  });

  it("agrees with plan's prediction: what surely runs does, and nothing runs that plan did not list", () => {
    for (const file of files) {
      const plan = planOf(file);
      for (const e of rollbackEndings(plan)) {
        const ran = table[plan.runbook.name][e.outcome][e.step];
        for (const id of e.runs) expect({ at: e, ran }).toEqual({ at: e, ran: expect.arrayContaining([id]) });
        for (const id of ran) expect([...e.runs, ...e.mayRun]).toContain(id);
      }
    }
  });
});
