/**
 * CLI start-up: the compiled CLI (bin/rekindle.js → dist/) against the tsx launcher (`tsx cli/main.ts`, what
 * `rekindle` ran before), side by side in the same run, alternating, for `--help`, `validate` of a shipped
 * runbook and `validate` of a generated 10,000-step runbook. Min / median / max wall time and median CPU time
 * (user+sys, which a machine shared with other work inflates less than wall time) over REPS repetitions.
 * Targets: --help and the shipped validate under 250 ms, the 10,000-step validate under 1.5 s.
 * Writes the "CLI start-up" section of bench/RESULTS.md.
 *
 *   npx tsx bench/startup.ts [--reps N] [--steps N]     (needs `npm run build` first)
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { measuredOn, writeSection } from './results';
import { generateRunbook } from './validate-1000';

const ROOT = join(__dirname, '..');
const SECTION = '## CLI start-up (bench/startup.ts)';

interface Launcher {
  name: string;
  argv: string[];
}

const LAUNCHERS: Launcher[] = [
  { name: 'compiled (bin/rekindle.js)', argv: [process.execPath, 'bin/rekindle.js'] },
  { name: 'tsx (tsx cli/main.ts)', argv: [process.execPath, 'node_modules/tsx/dist/cli.mjs', 'cli/main.ts'] },
];

interface Case {
  name: string;
  args: string[];
  targetMs: number;
}

interface Timing {
  wall: number[];
  cpu: number[];
}

/** Shell-quotes one word. */
const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Wall and CPU milliseconds of one run of `argv`, from bash's `time`. @throws when it exits non-zero. */
function timeOnce(argv: string[]): { wall: number; cpu: number } {
  const cmd = `TIMEFORMAT='%R %U %S'; time ${argv.map(q).join(' ')} >/dev/null`;
  const r = spawnSync('bash', ['-c', cmd], { cwd: ROOT, encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`${argv.join(' ')} exited ${r.status}: ${r.stderr}`);
  const [real, user, sys] = (r.stderr.trim().split('\n').pop() ?? '').split(' ').map(Number);
  return { wall: real * 1000, cpu: (user + sys) * 1000 };
}

function stats(xs: number[]): { min: number; median: number; max: number } {
  const s = [...xs].sort((a, b) => a - b);
  return { min: s[0], median: s[Math.floor(s.length / 2)], max: s[s.length - 1] };
}

const ms = (x: number) => `${x.toFixed(0)} ms`;

function main(): void {
  const flag = (name: string, dflt: number) => {
    const i = process.argv.indexOf(name);
    return i > 0 ? Number(process.argv[i + 1]) : dflt;
  };
  const reps = flag('--reps', 7);
  const steps = flag('--steps', 10_000);
  if (!existsSync(join(ROOT, 'dist/cli/main.js'))) throw new Error('dist/ is missing: run npm run build first');
  const dir = mkdtempSync(join(tmpdir(), 'rekindle-startup-'));
  try {
    const large = join(dir, `generated-${steps}.yaml`);
    writeFileSync(large, generateRunbook(steps));
    const cases: Case[] = [
      { name: '`--help`', args: ['--help'], targetMs: 250 },
      {
        name: '`validate runbooks/broker-replace.yaml --inventory inventories/compose.yaml`',
        args: ['validate', 'runbooks/broker-replace.yaml', '--inventory', 'inventories/compose.yaml'],
        targetMs: 250,
      },
      {
        name: `\`validate\` of a generated ${steps.toLocaleString('en')}-step runbook`,
        args: ['validate', '--quiet', large],
        targetMs: 1500,
      },
    ];
    const rows: string[] = [];
    for (const c of cases) {
      const t = LAUNCHERS.map((): Timing => ({ wall: [], cpu: [] }));
      // Alternate the launchers so a change in the machine's load hits both alike.
      for (let i = 0; i < reps; i++) {
        LAUNCHERS.forEach((l, k) => {
          const r = timeOnce([...l.argv, ...c.args]);
          t[k].wall.push(r.wall);
          t[k].cpu.push(r.cpu);
        });
      }
      const [compiled, tsx] = t.map((x) => ({ wall: stats(x.wall), cpu: stats(x.cpu) }));
      LAUNCHERS.forEach((l, k) => {
        const s = [compiled, tsx][k];
        const meets = s.wall.median < c.targetMs ? 'meets' : 'misses';
        rows.push(
          `| ${c.name} | ${l.name} | ${ms(s.wall.min)} / **${ms(s.wall.median)}** / ${ms(s.wall.max)} | ${ms(s.cpu.median)} | ${k === 0 ? `${meets} < ${ms(c.targetMs)}` : `${(s.wall.median / compiled.wall.median).toFixed(1)}× the compiled wall time`} |`,
        );
      });
    }
    const body = [
      SECTION,
      `Each command run ${reps} times per launcher, the two launchers alternating, in one run; wall time min / **median** / max and median CPU time (user+sys).`,
      '',
      '| command | launcher | wall min / median / max | CPU median | target or ratio |',
      '|---|---|---|---|---|',
      ...rows,
      '',
      `${measuredOn()} (CPU time is the steadier figure when the load is high).`,
    ].join('\n');
    writeSection(SECTION, body);
    console.log(body);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

if (require.main === module) main();
