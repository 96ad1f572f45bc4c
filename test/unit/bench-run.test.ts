/** `npm run bench` runs every benchmark: each bench/*.ts that is not a helper is in bench/run.ts's list. */
import { readdirSync } from 'node:fs';
import { join } from 'node:path';
import { BENCHMARKS } from '../../bench/run';

/** Modules the benchmarks use, not benchmarks themselves. */
const HELPERS = ['results', 'run', 'engine-baseline-workflow'];

test('bench/run.ts lists every benchmark in bench/', () => {
  const files = readdirSync(join(__dirname, '../../bench'))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => f.slice(0, -3))
    .filter((f) => !HELPERS.includes(f))
    .sort();
  expect(BENCHMARKS.map((b) => b.name).sort()).toEqual(files);
});
