/** A lock file holding the owner's pid, so two `lab up` calls never start components twice. */
import { openSync, closeSync, writeSync, rmSync } from 'node:fs';
import { readPid, sleep } from './procs';

export async function withLock<T>(file: string, body: () => Promise<T>, timeoutMs = 600_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    try {
      const fd = openSync(file, 'wx');
      writeSync(fd, `${process.pid}\n`);
      closeSync(fd);
      break;
    } catch {
      const owner = readPid(file);
      const alive =
        owner !== undefined &&
        (() => {
          try {
            process.kill(owner, 0);
            return true;
          } catch {
            return false;
          }
        })();
      if (!alive) rmSync(file, { force: true });
      else if (Date.now() > deadline) throw new Error(`the lab is locked by pid ${owner} (${file})`);
      else await sleep(500);
    }
  }
  try {
    return await body();
  } finally {
    rmSync(file, { force: true });
  }
}
