/**
 * Drill scenarios as data: one YAML file per scenario in drill/scenarios/ names the lab shape, how many
 * backups to take (and which to damage), the incident as a list of primitive steps, the recovery
 * runbook, worker chaos, deadlines and the expected result. Adding a scenario needs no engine change.
 */
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { basename, join } from 'node:path';
import { isMap, LineCounter, parseDocument } from 'yaml';
import { z } from 'zod';
import { packageRoot } from '../lab/config';
import { isDuration, parseDuration } from '../compiler/duration';

/** The scenario files, beside the sources (YAML is not compiled into dist/, so from the package root). */
export const SCENARIO_DIR = join(packageRoot(__dirname), 'drill', 'scenarios');

const brokers = z.union([z.literal('all'), z.array(z.number().int().positive()).min(1)]);

/** The incident primitives (drill/incident-steps.ts carries them out, in order). */
const incidentStep = z.union([
  z.object({ 'kill-brokers': brokers }).strict(),
  z.object({ 'wipe-log-dirs': brokers }).strict(),
  z.object({ 'tamper-zookeeper': z.literal(true) }).strict(),
  z.object({ 'wipe-zookeeper': z.literal('all') }).strict(),
  z.object({ 'start-brokers': brokers }).strict(),
]);

const duration = z
  .string()
  .refine((s) => isDuration(s) && parseDuration(s) > 0, { message: 'expected a duration like 90s, 5m or 1h' });

/** The checks the drill makes on the recovered cluster (see drill/build-report.ts). */
export const CHECKS = [
  'backup-data',
  'all-data',
  'backup-offsets',
  'rogue-removed',
  'no-full-restore',
  'fallback-selected',
] as const;

const schema = z
  .object({
    description: z.string().min(1),
    lab: z
      .object({ zkNodes: z.union([z.literal(1), z.literal(3)]).default(1) })
      .strict()
      .default({ zkNodes: 1 }),
    /** Seed the drill dataset first (false only for smoke scenarios that test the drill itself). */
    seed: z.boolean().default(true),
    backups: z
      .object({
        count: z.number().int().min(0).max(3).default(1),
        damageNewest: z.boolean().default(false),
        /** Move earlier drills' sets aside first, so only this scenario's sets exist (no fallback to them). */
        freshStore: z.boolean().default(false),
      })
      .strict()
      .default({ count: 1, damageNewest: false, freshStore: false }),
    incident: z.array(incidentStep),
    recovery: z
      .object({
        /** Relative to the repository root, e.g. runbooks/zk-kafka-cyber-recovery.yaml. */
        runbook: z
          .string()
          .regex(
            /^(?!\/)(?!.*\.\.)[\w./-]+\.ya?ml$/,
            'expected a runbook path inside the repository, e.g. runbooks/NAME.yaml',
          ),
        params: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()])).default({}),
      })
      .strict(),
    chaos: z
      .object({ workerKills: z.number().int().min(0).max(10).default(0) })
      .strict()
      .default({ workerKills: 0 }),
    deadlines: z
      .object({ decision: duration.default('2m'), run: duration.default('20m') })
      .strict()
      .default({ decision: '2m', run: '20m' }),
    expected: z
      .object({
        outcome: z.enum(['recovered', 'refused']),
        /** refused: the step and error type it must be refused with. */
        refusedAt: z.object({ step: z.string(), error: z.string() }).strict().optional(),
        /** Finding kinds the scope assessment (kafka.snapshot-state) must report. */
        findings: z.array(z.string()).default([]),
        checks: z.array(z.enum(CHECKS)).default([]),
      })
      .strict()
      .refine((e) => e.outcome !== 'refused' || e.refusedAt, {
        message: 'a refused outcome needs refusedAt: { step, error }',
      }),
  })
  .strict();

export type ScenarioSpec = z.infer<typeof schema>;
export type IncidentStep = z.infer<typeof incidentStep>;
export type Check = (typeof CHECKS)[number];

/** A loaded scenario: its name (the file name), file, and spec with durations in milliseconds. */
export interface Scenario extends ScenarioSpec {
  name: string;
  file: string;
  decisionDeadlineMs: number;
  runDeadlineMs: number;
}

/** A scenario file that does not parse or validate; the message names file:line:column and the field. */
export class ScenarioError extends Error {}

/** Names of every scenario in `dir`, sorted: default first, then one ZooKeeper node before three. */
export function scenarioNames(dir = SCENARIO_DIR): string[] {
  const names = readdirSync(dir)
    .filter((f) => f.endsWith('.yaml'))
    .map((f) => basename(f, '.yaml'));
  const nodes = (n: string) => loadScenario(n, dir).lab.zkNodes;
  return names.sort(
    (a, b) => Number(b === 'default') - Number(a === 'default') || nodes(a) - nodes(b) || a.localeCompare(b),
  );
}

/**
 * Loads and validates `dir/NAME.yaml`.
 * @throws ScenarioError when there is no such scenario, or the file is not a valid scenario.
 */
export function loadScenario(name: string, dir = SCENARIO_DIR): Scenario {
  if (!/^[a-z0-9][a-z0-9-]*$/.test(name))
    throw new ScenarioError(`'${name}' is not a scenario name (lower-case letters, digits, dashes)`);
  const file = join(dir, `${name}.yaml`);
  if (!existsSync(file)) {
    const known = readdirSync(dir)
      .filter((f) => f.endsWith('.yaml'))
      .map((f) => basename(f, '.yaml'));
    throw new ScenarioError(`no scenario '${name}' in ${dir} (known: ${known.join(', ')}, or all)`);
  }
  return parseScenario(readFileSync(file, 'utf8'), file, name);
}

/** Parses scenario text. @throws ScenarioError with file:line:column for each problem. */
export function parseScenario(text: string, file: string, name: string): Scenario {
  const lines = new LineCounter();
  const doc = parseDocument(text, { lineCounter: lines });
  const at = (offset: number | undefined) => {
    const p = lines.linePos(offset ?? 0);
    return `${file}:${p.line}:${p.col}`;
  };
  if (doc.errors.length) throw new ScenarioError(`${at(doc.errors[0].pos[0])}: ${doc.errors[0].message}`);
  if (!isMap(doc.contents))
    throw new ScenarioError(`${at(0)}: a scenario is a map (description, incident, recovery, expected)`);
  const parsed = schema.safeParse(doc.toJS());
  if (!parsed.success) {
    const problems = parsed.error.issues.map((i) => {
      const node = doc.getIn(i.path, true) as { range?: [number, number, number] } | undefined;
      const parent = doc.getIn(i.path.slice(0, -1), true) as { range?: [number, number, number] } | undefined;
      return `${at(node?.range?.[0] ?? parent?.range?.[0])}: ${i.path.join('.') || '(root)'}: ${i.message}`;
    });
    throw new ScenarioError(problems.join('\n'));
  }
  const spec = parsed.data;
  return {
    ...spec,
    name,
    file,
    decisionDeadlineMs: parseDuration(spec.deadlines.decision),
    runDeadlineMs: parseDuration(spec.deadlines.run),
  };
}
