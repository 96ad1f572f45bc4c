/**
 * The package as a user gets it: `npm pack` (which runs `prepare`, the build) and `npm install --global
 * --prefix` of the tarball into a temporary prefix, so tests run the real `rekindle` entry point from
 * there, with only the package's declared dependencies and files. The install is cached by the tarball's
 * SHA-256, so a second test file (or a re-run with unchanged code) reuses it instead of installing again.
 */
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { promisify } from 'node:util';

const run = promisify(execFile);

/** The repository the tests run in. */
export const REPO = join(__dirname, '..', '..');

/** Where an installed package lives. */
export interface Installed {
  /** The prefix it was installed into (`npm install --global --prefix`). */
  prefix: string;
  /** The `rekindle` executable npm linked: `<prefix>/bin/rekindle`. */
  bin: string;
  /** The installed package's own directory (runbooks/, inventories/, dist/ ...). */
  packageDir: string;
  /** How long packing and installing took, in ms (installing is skipped when cached). */
  packMs: number;
  installMs: number;
  cached: boolean;
}

let pending: Promise<Installed> | undefined;

/**
 * Packs the repository and installs the tarball into a prefix under the OS temp directory (once per
 * process; reused across processes while the tarball's bytes are the same).
 * @throws when `npm pack` or `npm install` fails, with npm's output.
 */
export function installedPackage(): Promise<Installed> {
  pending ??= packAndInstall();
  return pending;
}

async function packAndInstall(): Promise<Installed> {
  const t0 = Date.now();
  const packDir = mkdtempSync(join(tmpdir(), 'rekindle-pack-'));
  const packed = await npm(['pack', '--json', '--pack-destination', packDir], REPO);
  const [info] = JSON.parse(packed.slice(packed.indexOf('['))) as Array<{ filename: string }>;
  const tarball = join(packDir, info.filename);
  const packMs = Date.now() - t0;
  const sha = createHash('sha256').update(readFileSync(tarball)).digest('hex').slice(0, 16);
  // One cache per checkout (worktrees side by side never share or prune each other's installs).
  const root = join(tmpdir(), `rekindle-installed-${createHash('sha256').update(REPO).digest('hex').slice(0, 8)}`);
  const prefix = join(root, sha);
  const done = join(prefix, '.installed');
  const t1 = Date.now();
  const cached = existsSync(done);
  if (!cached) {
    mkdirSync(root, { recursive: true });
    // Install into a staging prefix, then rename: a half-finished install is never mistaken for a cached one.
    const staging = mkdtempSync(join(root, `${sha}-staging-`));
    await npm(
      ['install', '--global', '--prefix', staging, '--no-audit', '--no-fund', '--prefer-offline', tarball],
      REPO,
    );
    writeFileSync(join(staging, '.installed'), `${info.filename}\n`);
    // Older installs of this checkout are ~300 MB each and never used again.
    for (const old of existsSync(root) ? readdirSync(root) : []) {
      if (old !== basename(staging)) rmSync(join(root, old), { recursive: true, force: true });
    }
    renameSync(staging, prefix);
  }
  rmSync(packDir, { recursive: true, force: true });
  return {
    prefix,
    bin: join(prefix, 'bin', 'rekindle'),
    packageDir: join(prefix, 'lib', 'node_modules', 'rekindle'),
    packMs,
    installMs: Date.now() - t1,
    cached,
  };
}

async function npm(args: string[], cwd: string): Promise<string> {
  try {
    const { stdout } = await run('npm', args, { cwd, maxBuffer: 64 << 20, timeout: 600_000 });
    return stdout;
  } catch (err) {
    const e = err as Error & { stdout?: string; stderr?: string };
    throw new Error(`npm ${args.join(' ')} failed: ${e.message}\n${e.stdout ?? ''}\n${e.stderr ?? ''}`);
  }
}

/** What a command printed and how it exited. */
export interface CliResult {
  code: number;
  out: string;
  err: string;
}

/** Runs a program to its end (asynchronously: the test's own event loop keeps running). */
export function exec(
  file: string,
  args: string[],
  opts: { cwd: string; env: NodeJS.ProcessEnv; timeoutMs: number },
): Promise<CliResult> {
  return new Promise((resolve) => {
    execFile(
      file,
      args,
      { cwd: opts.cwd, env: opts.env, encoding: 'utf8', timeout: opts.timeoutMs, maxBuffer: 32 << 20 },
      (err, out, errOut) =>
        resolve({ code: err ? Number((err as { code?: number }).code ?? -1) : 0, out, err: errOut }),
    );
  });
}
