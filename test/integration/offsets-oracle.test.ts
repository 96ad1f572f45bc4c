/**
 * The differential test of kafka.offsets-reset, with Kafka 3.9.1's own `kafka-consumer-groups
 * --reset-offsets --dry-run` as the oracle, run in one JVM (test/oracle/ResetOracle.java). Worlds of
 * generated data (test/support/oracle-world.ts) and cases (oracle-cases.ts) come from a fixed seed;
 * every case must give the same new offset per partition as the tool, both must refuse it, or Rekindle
 * must refuse it for a documented reason (docs/actions.md). A case that does neither is written to
 * test/fixtures/oracle/ and replayed first on every later run.
 *
 * `npm test` runs a smoke-sized run (ORACLE_CASES, default 60); `npm run test:oracle` runs 2,400 cases
 * and records the result in bench/RESULTS.md.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeSection } from '../../bench/results';
import { kafkaHarness } from '../support/kafka';
import { Oracle } from '../support/oracle';
import type { OracleCase } from '../support/oracle-cases';
import { generateCase } from '../support/oracle-cases';
import type { Verdict } from '../support/oracle-compare';
import { judge } from '../support/oracle-compare';
import type { World, WorldSpec } from '../support/oracle-world';
import { seedWorld, worldSpec } from '../support/oracle-world';

const CASES = Number(process.env.ORACLE_CASES ?? 60);
const PER_WORLD = Number(process.env.ORACLE_CASES_PER_WORLD ?? 300);
const SEED = Number(process.env.ORACLE_SEED ?? 18);
const FIXTURES = join(__dirname, '..', 'fixtures', 'oracle');

const store = mkdtempSync(join(tmpdir(), 'rekindle-oracle-'));
const h = kafkaHarness(store);
const bootstrap = h.inventory.kafka.adminBootstrap?.length
  ? h.inventory.kafka.adminBootstrap
  : h.inventory.kafka.bootstrap;
let oracle: Oracle;

interface Fixture {
  note: string;
  world: WorldSpec;
  case: OracleCase;
}

beforeAll(async () => {
  oracle = await Oracle.start(bootstrap.join(','));
}, 60_000);

afterAll(async () => {
  await oracle?.stop();
  await h.close();
});

async function withWorld<T>(spec: WorldSpec, fn: (w: World) => Promise<T>): Promise<T> {
  const w = await seedWorld(h.pool, bootstrap, spec);
  // Transaction markers carry the seeding time: let the clock move clear of them before time lookups.
  await new Promise((r) => setTimeout(r, 3000));
  try {
    return await fn(w);
  } finally {
    await w.close();
  }
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)] ?? 0;

const describeVerdict = (v: Verdict) =>
  `${v.id} ${v.case.mode}${v.expect ? ` (${v.expect})` : ''}: tool ${JSON.stringify(v.tool)} vs rekindle ${JSON.stringify(v.rekindle)}\n  args: ${v.rendered.args.slice(4).join(' ')}`;

test('kept failing cases (test/fixtures/oracle) now agree with the tool', async () => {
  const files = existsSync(FIXTURES) ? readdirSync(FIXTURES).filter((f) => f.endsWith('.json')) : [];
  const fixtures = files.map((f) => JSON.parse(readFileSync(join(FIXTURES, f), 'utf8')) as Fixture);
  const bySeed = new Map<number, Fixture[]>();
  for (const f of fixtures) bySeed.set(f.world.seed, [...(bySeed.get(f.world.seed) ?? []), f]);
  const bad: string[] = [];
  for (const group of bySeed.values())
    await withWorld(group[0].world, async (w) => {
      for (const f of group) {
        const v = await judge(f.case, w, h, oracle, bootstrap.join(','), store);
        if (v.verdict === 'MISMATCH' || v.layout === false) bad.push(`${f.note}\n${describeVerdict(v)}`);
      }
    });
  expect(bad).toEqual([]);
}, 600_000);

test(`${CASES} generated cases agree with kafka-consumer-groups (seed ${SEED})`, async () => {
  const started = Date.now();
  const verdicts: Verdict[] = [];
  for (let i = 0; verdicts.length < CASES; i++) {
    const spec = worldSpec(SEED * 1000 + i);
    const count = Math.min(PER_WORLD, CASES - verdicts.length);
    await withWorld(spec, async (w) => {
      for (let n = 0; n < count;) {
        const v = await judge(generateCase(w, n++), w, h, oracle, bootstrap.join(','), store);
        verdicts.push(v);
        if (v.verdict === 'MISMATCH' || v.layout === false) {
          mkdirSync(FIXTURES, { recursive: true });
          const fixture: Fixture = { note: `found by seed ${SEED}: ${v.verdict}`, world: spec, case: v.case };
          writeFileSync(join(FIXTURES, `case-${v.id}.json`), `${JSON.stringify(fixture, null, 2)}\n`);
        }
      }
    });
  }
  const ms = Date.now() - started;
  const count = (f: (v: Verdict) => boolean) => verdicts.filter(f).length;
  const tally = (key: (v: Verdict) => string) => {
    const m = new Map<string, number>();
    for (const v of verdicts) m.set(key(v), (m.get(key(v)) ?? 0) + 1);
    return [...m]
      .sort()
      .map(([k, n]) => `${k} ${n}`)
      .join(', ');
  };
  const summary = [
    `- ${verdicts.length} cases in ${Math.ceil(verdicts.length / PER_WORLD)} worlds, seed ${SEED}, one oracle JVM: **${(ms / 1000).toFixed(1)} s** (${(ms / verdicts.length).toFixed(1)} ms a case, seeding included)`,
    `- Verdicts: ${tally((v) => v.verdict)}`,
    `- Median time a case: tool ${median(verdicts.map((v) => v.ms.tool))} ms, Rekindle ${median(verdicts.map((v) => v.ms.rekindle))} ms (both at once; max ${Math.max(...verdicts.map((v) => Math.max(v.ms.tool, v.ms.rekindle)))} ms)`,
    `- Modes: ${tally((v) => v.case.mode)}`,
    `- Datetime forms: ${tally((v) => v.case.datetime?.form ?? '')}`.replace(/: {2}\d+, /, ': '),
    `- Offsets files: ${tally((v) => (v.case.file ? `${v.case.file.layout}/${v.case.file.rows[0][0] ? 4 : 3}-col` : ''))}`.replace(
      /: {2}\d+, /,
      ': ',
    ),
    `- Cases on the transactional topic (committed, aborted and open transactions): ${count((v) => JSON.stringify(v.tool).includes(`${v.case.id.split('-')[0]}`) && /-x:/.test(JSON.stringify(v.tool)))}`,
    `- Deliberate differences (Rekindle refuses, documented in docs/actions.md): ${tally((v) => (v.verdict === 'expected' ? v.expect! : '')).replace(/^ \d+(, )?/, '') || 'none'}`,
    `- Text layout: the tool's four columns matched on ${count((v) => v.layout === true)} of ${count((v) => v.verdict === 'match')} matching cases`,
  ].join('\n');
  process.stdout.write(`\n${summary}\n`);
  if (process.env.ORACLE_RECORD === '1')
    writeSection(
      '## Offsets reset vs kafka-consumer-groups',
      `## Offsets reset vs kafka-consumer-groups (test/integration/offsets-oracle.test.ts, \`npm run test:oracle\`)\nDifferential test against Kafka 3.9.1's ConsumerGroupCommand (\`--reset-offsets --dry-run\`), new offset per partition.\n${summary}\n- Measured ${new Date().toISOString()} on ${process.platform}/${process.arch}, Node ${process.version}.`,
    );
  const bad = verdicts.filter((v) => v.verdict === 'MISMATCH' || v.layout === false);
  expect(bad.slice(0, 10).map(describeVerdict)).toEqual([]);
  expect(bad).toHaveLength(0);
}, 3_600_000);
