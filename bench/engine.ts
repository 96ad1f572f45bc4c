/**
 * Engine overhead benchmark: a 200-step sequential no-op runbook run by the engine vs a hand-written
 * workflow calling the same no-op activity 200 times, on the same Temporal server in the same process,
 * alternating, median of REPS. Writes the "Engine overhead" section of bench/RESULTS.md.
 * Target: engine wall time ≤ 1.25 × hand-written. Usage: npx tsx bench/engine.ts [--steps N] [--reps N]
 */

import { Client, Connection } from '@temporalio/client';
import { bundleWorkflowCode, DefaultLogger, NativeConnection, Runtime, Worker } from '@temporalio/worker';
import type { Plan, PlanStep } from '../compiler/plan';
import { startRun } from '../client/start';
import { loadConfig } from '../worker/config';
import { WORKFLOWS_PATH } from '../worker/create';
import { measuredOn, writeSection } from './results';

const SECTION = '## Engine overhead (bench/engine.ts)';

const noop = async () => ({ changed: false, outputs: {} });

function benchPlan(n: number, tag: string): Plan {
  const steps: PlanStep[] = Array.from({ length: n }, (_, i) => ({
    id: `s${i}`,
    action: 'bench.noop',
    kind: 'action',
    needs: i ? [`s${i - 1}`] : [],
    proceedIfNeedsSkipped: true,
    with: {},
    retry: {
      maxAttempts: 1,
      initialIntervalMs: 100,
      backoffCoefficient: 1,
      maxIntervalMs: 100,
      nonRetryableErrorTypes: [],
    },
    timeouts: { startToCloseMs: 30_000 },
    onFailure: 'pause',
    idempotent: true,
    readOnly: true,
    source: { file: 'bench.yaml', line: i + 1, column: 1 },
  }));
  return {
    planVersion: 1,
    runbook: { name: 'bench-noop', sha256: '0'.repeat(64), source: 'bench.yaml' },
    parameters: {},
    inventory: { cluster: `bench-${tag}` },
    maxParallel: 1,
    failFast: true,
    steps,
    rollback: [],
  };
}

function median(xs: number[]): number {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}

function arg(name: string, dflt: number): number {
  const i = process.argv.indexOf(name);
  return i > 0 ? Number(process.argv[i + 1]) : dflt;
}

async function main(): Promise<void> {
  const n = arg('--steps', 200);
  const reps = arg('--reps', 3);
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const { temporalAddress: address } = loadConfig();
  const quiet = { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} };
  const [engineBundle, baseBundle] = await Promise.all([
    bundleWorkflowCode({ workflowsPath: WORKFLOWS_PATH, logger: quiet }),
    bundleWorkflowCode({ workflowsPath: require.resolve('./engine-baseline-workflow'), logger: quiet }),
  ]);
  const native = await NativeConnection.connect({ address });
  const stamp = Date.now().toString(36);
  const qEngine = `bench-engine-${stamp}`;
  const qBase = `bench-base-${stamp}`;
  const activities = { 'bench.noop': noop };
  const engineWorker = await Worker.create({
    connection: native,
    taskQueue: qEngine,
    workflowBundle: engineBundle,
    activities,
  });
  const baseWorker = await Worker.create({
    connection: native,
    taskQueue: qBase,
    workflowBundle: baseBundle,
    activities,
  });
  const running = Promise.all([engineWorker.run(), baseWorker.run()]);
  const connection = await Connection.connect({ address });
  const client = new Client({ connection });

  const runEngine = async (tag: string) => {
    const t0 = performance.now();
    const { handle } = await startRun(client, {
      plan: benchPlan(n, `${stamp}-${tag}`),
      params: {},
      taskQueue: qEngine,
      options: { mode: 'drill', dryRun: false, initiator: 'bench' },
    });
    const r = await handle.result();
    if (r.phase !== 'succeeded') throw new Error(`engine run ended ${r.phase}`);
    return performance.now() - t0;
  };
  const runBase = async (tag: string) => {
    const t0 = performance.now();
    await client.workflow.execute('handWritten', {
      taskQueue: qBase,
      workflowId: `bench-base-${stamp}-${tag}`,
      args: [n],
    });
    return performance.now() - t0;
  };

  await runEngine('warm');
  await runBase('warm');
  const engine: number[] = [];
  const base: number[] = [];
  for (let i = 0; i < reps; i++) {
    // Alternate the order so drift in machine load hits both sides alike.
    if (i % 2 === 0) {
      engine.push(await runEngine(`e${i}`));
      base.push(await runBase(`b${i}`));
    } else {
      base.push(await runBase(`b${i}`));
      engine.push(await runEngine(`e${i}`));
    }
  }
  engineWorker.shutdown();
  baseWorker.shutdown();
  await running;
  await connection.close();
  await native.close();

  const e = median(engine);
  const b = median(base);
  const ratio = e / b;
  const fmt = (xs: number[]) => xs.map((x) => `${Math.round(x)}`).join(', ');
  const body = [
    SECTION,
    `${n}-step sequential no-op runbook through the engine vs a hand-written workflow calling the same no-op activity ${n} times; same server (${address}), same process, alternating, median of ${reps} after one warm-up each.`,
    `- Engine: **${Math.round(e)} ms** (runs: ${fmt(engine)})`,
    `- Hand-written: **${Math.round(b)} ms** (runs: ${fmt(base)})`,
    `- Ratio: **${ratio.toFixed(2)}×** (target ≤ 1.25×: ${ratio <= 1.25 ? 'met' : 'missed'})`,
    `- ${measuredOn()}.`,
  ].join('\n');
  writeSection(SECTION, body);
  console.log(body);
}

if (require.main === module) {
  main().catch((err) => {
    console.error(err);
    process.exitCode = 1;
  });
}
