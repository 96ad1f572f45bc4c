/** One drill at a time on a lab: the lock file in the lab's state directory. */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { DrillBusyError, lockLabForDrill } from '../../../drill/drill-lock';

const stateDir = () => mkdtempSync(join(tmpdir(), 'rekindle-drill-lock-'));

test('a free lab is locked with this pid and released after', () => {
  const dir = stateDir();
  const release = lockLabForDrill(dir);
  expect(JSON.parse(readFileSync(join(dir, 'drill.lock'), 'utf8'))).toMatchObject({ pid: process.pid });
  release();
  expect(existsSync(join(dir, 'drill.lock'))).toBe(false);
  lockLabForDrill(dir)();
});

test('a second drill while the first runs is refused, naming the first', () => {
  const dir = stateDir();
  const release = lockLabForDrill(dir);
  expect(() => lockLabForDrill(dir)).toThrow(DrillBusyError);
  expect(() => lockLabForDrill(dir)).toThrow(
    new RegExp(`another drill \\(pid ${process.pid}, since .*\\) is running on this lab`),
  );
  release();
});

test.each([
  [
    'a drill that died without releasing it',
    () => JSON.stringify({ pid: spawnSync(process.execPath, ['-e', '0']).pid, since: 'then' }),
  ],
  ['an unreadable lock', () => '{"pid": '],
])('%s leaves a lock that the next drill takes over', (_, content) => {
  const dir = stateDir();
  writeFileSync(join(dir, 'drill.lock'), content());
  const release = lockLabForDrill(dir);
  expect(JSON.parse(readFileSync(join(dir, 'drill.lock'), 'utf8'))).toMatchObject({ pid: process.pid });
  release();
});

test('releasing leaves a lock that another drill took over alone', () => {
  const dir = stateDir();
  const release = lockLabForDrill(dir);
  writeFileSync(join(dir, 'drill.lock'), JSON.stringify({ pid: process.ppid, since: 'now' }));
  release();
  expect(JSON.parse(readFileSync(join(dir, 'drill.lock'), 'utf8'))).toMatchObject({ pid: process.ppid });
});
