/**
 * One drill at a time on a lab. Two drills on one lab destroy each other's evidence: one's incident
 * SIGKILLs the brokers during the other's backup (which then aborts), and both workers take each
 * other's activities. The lock is a file in the lab's state directory holding the drill's pid; a lock
 * whose pid is gone (a drill that was SIGKILLed) is taken over.
 */
import { linkSync, readFileSync, rmSync, unlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

/** Where a lab's drill lock lives. A lab reset (a scenario that needs another shape) wipes it with the state. */
export function drillLockFile(stateDir: string): string {
  return join(stateDir, 'drill.lock');
}

/** Another drill holds the lab. */
export class DrillBusyError extends Error {}

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    return (err as NodeJS.ErrnoException).code === 'EPERM';
  }
}

/**
 * Takes the lab's drill lock and returns its release function.
 * @throws DrillBusyError naming the pid and start time of the drill that holds it.
 */
export function lockLabForDrill(stateDir: string): () => void {
  const file = drillLockFile(stateDir);
  // Written whole under a private name, then linked into place: a reader never sees a half-written lock.
  const mine = `${file}.${process.pid}`;
  writeFileSync(mine, JSON.stringify({ pid: process.pid, since: new Date().toISOString() }));
  for (let attempt = 0; attempt < 2; attempt++) {
    try {
      linkSync(mine, file);
      rmSync(mine, { force: true });
      return () => {
        try {
          if ((JSON.parse(readFileSync(file, 'utf8')) as { pid: number }).pid === process.pid) unlinkSync(file);
        } catch {
          // Already gone: nothing to release.
        }
      };
    } catch (err) {
      if ((err as NodeJS.ErrnoException).code !== 'EEXIST') {
        rmSync(mine, { force: true });
        throw err;
      }
    }
    let holder: { pid?: number; since?: string } = {};
    try {
      holder = JSON.parse(readFileSync(file, 'utf8')) as typeof holder;
    } catch {
      // Unreadable: treated as stale below.
    }
    if (holder.pid && alive(holder.pid)) {
      rmSync(mine, { force: true });
      throw new DrillBusyError(
        `another drill (pid ${holder.pid}, since ${holder.since}) is running on this lab (${file}); wait for it or stop it, then run the drill again`,
      );
    }
    rmSync(file, { force: true });
  }
  rmSync(mine, { force: true });
  throw new DrillBusyError(`could not take the drill lock ${file}: another drill took it at the same moment`);
}
