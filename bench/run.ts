/**
 * `npm run bench`: every benchmark in bench/, one after another, each as its own process (so one's heap and
 * connections never skew the next). Builds the CLI first (the start-up bench times dist/) and brings the lab up
 * for the benchmarks that need it. Each one writes its own section of bench/RESULTS.md.
 *
 *   npm run bench [-- NAME...]    e.g. npm run bench -- startup validate-1000
 */
import { spawnSync } from 'node:child_process';
import { join } from 'node:path';

const ROOT = join(__dirname, '..');

/** Every benchmark, and whether it needs the lab (Temporal, ZooKeeper, Kafka). */
export const BENCHMARKS: ReadonlyArray<{ name: string; lab: boolean }> = [
  { name: 'startup', lab: false },
  { name: 'validate-1000', lab: false },
  { name: 'engine', lab: true },
  { name: 'zookeeper-restore', lab: true },
  { name: 'offsets-reset', lab: true },
];

function run(argv: string[]): number {
  console.log(`\n==> ${argv.join(' ')}`);
  return spawnSync(argv[0], argv.slice(1), { cwd: ROOT, stdio: 'inherit' }).status ?? 1;
}

function main(): number {
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !BENCHMARKS.some((b) => b.name === w));
  if (unknown.length) {
    console.error(`unknown benchmark ${unknown.join(', ')}; known: ${BENCHMARKS.map((b) => b.name).join(', ')}`);
    return 2;
  }
  const chosen = BENCHMARKS.filter((b) => !wanted.length || wanted.includes(b.name));
  const tsx = [process.execPath, join(ROOT, 'node_modules/tsx/dist/cli.mjs')];
  if (run(['npm', 'run', 'build']) !== 0) return 1;
  if (chosen.some((b) => b.lab) && run([...tsx, 'lab/cli.ts', 'up']) !== 0) return 1;
  const failed = chosen.filter((b) => run([...tsx, join('bench', `${b.name}.ts`)]) !== 0).map((b) => b.name);
  if (failed.length) console.error(`\nfailed: ${failed.join(', ')}`);
  else console.log(`\n${chosen.length} benchmark(s) written to bench/RESULTS.md`);
  return failed.length ? 1 : 0;
}

if (require.main === module) process.exitCode = main();
