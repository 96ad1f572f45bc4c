/**
 * Copying a broker log dir out of a host into a set, and back: tar over SSH, with the archive's
 * SHA-256 checked end to end and a per-file SHA-256 listing to verify the restored tree.
 */
import { mkdirSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { ActionContext } from '../errors';
import { confinedRef } from '../store-ref';
import type { BackupHosts } from './deps';
import { BackupCorruptError } from './errors';
import { fileSha256 } from '../file-sha256';
import type { LogDirCopy, LogDirFile } from './manifest';

type Inv = Record<string, unknown>;

/** POSIX sh quoting (a copy of the ssh family's, which this family may not import). */
export const q = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

const LONG = { timeoutMs: 1_800_000, maxOutputBytes: 64 * 1024 * 1024 };

/** Lists every file under a remote directory with its SHA-256 and size, sorted by path. */
export async function listRemote(hosts: BackupHosts, inv: Inv, host: string, dir: string): Promise<LogDirFile[]> {
  const script =
    `cd ${q(dir)} && find . -type f -printf '%P\\n' | LC_ALL=C sort | while IFS= read -r f; do ` +
    `printf '%s %s %s\\n' "$(sha256sum < "$f" | cut -d' ' -f1)" "$(stat -c %s "$f")" "$f"; done`;
  const r = await hosts.run(inv, host, script, LONG);
  return r.stdout
    .split('\n')
    .filter(Boolean)
    .map((line) => {
      const [sha256, bytes, ...rest] = line.split(' ');
      return { sha256, bytes: Number(bytes), path: rest.join(' ') };
    });
}

/** Copies one log dir (the broker must be stopped) into `<setDir>/<archive>`. Throws BACKUP_CORRUPT on a checksum mismatch. */
export async function copyLogDir(
  hosts: BackupHosts,
  inv: Inv,
  host: string,
  logDir: string,
  setDir: string,
  archive: string,
  ctx: ActionContext,
): Promise<LogDirCopy> {
  ctx.heartbeat({ phase: 'copy', host, logDir });
  const files = await listRemote(hosts, inv, host, logDir);
  const tmp = `${logDir}.rekindle-backup.tar`;
  const r = await hosts.run(
    inv,
    host,
    `tar -C ${q(logDir)} -cf ${q(tmp)} . && sha256sum ${q(tmp)} && stat -c %s ${q(tmp)}`,
    LONG,
  );
  const [shaLine, sizeLine] = r.stdout.trim().split('\n');
  const sha256 = shaLine.split(/\s+/)[0];
  const local = join(setDir, archive);
  mkdirSync(dirname(local), { recursive: true });
  try {
    await hosts.download(inv, host, tmp, local);
  } finally {
    await hosts.run(inv, host, `rm -f ${q(tmp)}`);
  }
  const got = await fileSha256(local);
  if (got !== sha256)
    throw new BackupCorruptError(`copy of ${host}:${logDir} arrived with another checksum`, { host, logDir });
  return { logDir, archive, sha256, bytes: Number(sizeLine), files, copiedAt: new Date().toISOString() };
}

export interface RestoreOutcome {
  changed: boolean;
  files: number;
  bytes: number;
  movedAside?: string;
}

/**
 * Restores one log dir from its archive (the broker must be stopped). Skips (changed: false) when the
 * marker beside the log dir says this archive was already restored. The caller has checked the archive
 * (checkArchive). Throws BACKUP_CORRUPT when the restored files do not match the manifest.
 */
export async function restoreLogDir(
  hosts: BackupHosts,
  inv: Inv,
  host: string,
  copy: LogDirCopy,
  setDir: string,
  opts: { wipe: boolean; verify: boolean; setId: string },
  ctx: ActionContext,
): Promise<RestoreOutcome> {
  const local = confinedRef(setDir, copy.archive, 'manifest archive');
  const marker = `${copy.logDir}.rekindle-restored`;
  const stamp = `${opts.setId}:${copy.sha256}`;
  const seen = await hosts.run(inv, host, `cat ${q(marker)} 2>/dev/null || true`);
  const bytes = copy.files.reduce((n, f) => n + f.bytes, 0);
  if (seen.stdout.trim() === stamp) return { changed: false, files: copy.files.length, bytes };
  ctx.heartbeat({ phase: 'restore', host, logDir: copy.logDir });
  const tmp = `${copy.logDir}.rekindle-upload.tar`;
  await hosts.upload(inv, host, local, tmp);
  const aside = `${copy.logDir}.before-restore-${new Date().toISOString().replace(/[:.]/g, '-')}`;
  const d = q(copy.logDir);
  const moved = opts.wipe
    ? (await hosts.run(inv, host, `if [ -e ${d} ]; then mv ${d} ${q(aside)} && echo moved; fi`)).stdout.includes(
        'moved',
      )
    : false;
  await hosts.run(inv, host, `mkdir -p ${d} && tar -C ${d} -xf ${q(tmp)} && rm -f ${q(tmp)}`, LONG);
  if (opts.verify) {
    const live = new Map((await listRemote(hosts, inv, host, copy.logDir)).map((f) => [f.path, f.sha256]));
    const bad = copy.files.filter((f) => live.get(f.path) !== f.sha256).map((f) => f.path);
    if (bad.length > 0)
      throw new BackupCorruptError(`${bad.length} restored file(s) differ from the manifest`, {
        host,
        files: bad.slice(0, 20),
      });
  }
  await hosts.run(inv, host, `printf '%s\\n' ${q(stamp)} > ${q(marker)}`);
  return { changed: true, files: copy.files.length, bytes, movedAside: moved ? aside : undefined };
}

/** Checks an archive in the set against its manifest checksum. Throws BACKUP_REF_OUTSIDE_STORE, BACKUP_CORRUPT. */
export async function checkArchive(setDir: string, copy: LogDirCopy): Promise<void> {
  const sha = await fileSha256(confinedRef(setDir, copy.archive, 'manifest archive')).catch(() => undefined);
  if (sha !== copy.sha256)
    throw new BackupCorruptError(`archive ${copy.archive} does not match its manifest checksum`, {
      archive: copy.archive,
    });
}
