/**
 * Temporal's time-skipping test server for workflow tests that only need time to pass (gate timeouts,
 * timers, long waits). `@temporalio/testing` downloads a native build from temporal.download, which this
 * environment cannot reach; the same server ships as a Java library on Maven Central, so the lab fetches
 * it with Maven (as it does the Kafka jars), caches it, and gives the SDK a launcher script to run.
 * The SDK allows the server 5 s to listen; a loaded machine takes longer to start a JVM on 39 jars, so
 * the launcher uses a class-data-sharing archive made once after the fetch (about 1 s to listen).
 */
import { execFileSync, spawn } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createConnection, createServer } from 'node:net';
import { join } from 'node:path';
import { cacheDir } from './config';

const POM = join(__dirname, 'maven', 'test-server-pom.xml');

/**
 * The path of an executable that starts the test server on the port given as its first argument (what
 * `TestWorkflowEnvironment.createTimeSkipping({ server: { executable: { type: 'existing-path', path } } })`
 * runs). `$TEMPORAL_TEST_SERVER` overrides it.
 * @throws Error when Maven cannot fetch the server (the message says how to fetch it by hand).
 */
export async function testServerExecutable(): Promise<string> {
  if (process.env.TEMPORAL_TEST_SERVER) return process.env.TEMPORAL_TEST_SERVER;
  const dir = join(cacheDir(), 'temporal-test-server');
  const lib = join(dir, 'lib');
  const launcher = join(dir, 'temporal-test-server');
  if (!existsSync(lib) || !readdirSync(lib).some((f) => f.startsWith('temporal-test-server-'))) {
    mkdirSync(dir, { recursive: true });
    try {
      execFileSync('mvn', ['-q', '-B', '-f', POM, 'dependency:copy-dependencies', `-DoutputDirectory=${lib}`], {
        stdio: ['ignore', 'ignore', 'pipe'],
      });
    } catch (err) {
      throw new Error(
        `cannot fetch Temporal's test server with Maven (mvn -f ${POM} dependency:copy-dependencies): ${(err as Error).message}`,
      );
    }
  }
  const classpath = `${lib}/*`;
  const archive = join(dir, 'classes.jsa');
  if (!existsSync(archive)) await makeArchive(classpath, archive);
  writeFileSync(
    launcher,
    `#!/bin/sh\n# Temporal's time-skipping test server; the SDK passes the port first.\nexec java -Xmx256m -XX:SharedArchiveFile='${archive}' -cp '${classpath}' ${MAIN} "$@"\n`,
    { mode: 0o755 },
  );
  return launcher;
}

const MAIN = 'io.temporal.testserver.TestServer';

/** Runs the server once until it listens and dumps the classes it loaded into `archive` on exit. */
async function makeArchive(classpath: string, archive: string): Promise<void> {
  const port = await freePort();
  const java = spawn(
    'java',
    [`-XX:ArchiveClassesAtExit=${archive}`, '-Xmx256m', '-cp', classpath, MAIN, String(port)],
    {
      stdio: 'ignore',
    },
  );
  const exited = new Promise<void>((resolve) => java.once('exit', () => resolve()));
  try {
    for (let waited = 0; !(await listening(port)); waited += 200) {
      if (waited > 120_000 || java.exitCode !== null) throw new Error('the test server did not start');
      await new Promise((r) => setTimeout(r, 200));
    }
  } finally {
    java.kill('SIGTERM');
    await exited;
  }
}

function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const c = createConnection({ host: '127.0.0.1', port }, () => {
      c.destroy();
      resolve(true);
    });
    c.once('error', () => resolve(false));
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once('error', reject);
    srv.listen(0, '127.0.0.1', () => {
      const { port } = srv.address() as { port: number };
      srv.close(() => resolve(port));
    });
  });
}
