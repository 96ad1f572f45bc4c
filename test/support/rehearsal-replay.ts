/**
 * Replays recorded histories against the current workflow code, outside Jest (Jest's module registry
 * breaks protobufjs's type checks in historyFromJSON). Usage: tsx rehearsal-replay.ts FILE...
 * Prints one JSON line per file: {"file", "ok", "error"?, "errorName"?}. Exit code 0 even on failures.
 */
import { readFileSync } from 'node:fs';
import Module from 'node:module';
import { dirname, join, sep } from 'node:path';

// Hazard: the install holds several protobufjs copies (@temporalio/common, /proto and /worker each
// nest one), so historyFromJSON's `instanceof Type` check fails across copies ("type must be a Type").
// Route every protobufjs request to the copy @temporalio/proto built its types with.
const protoCopy = join(dirname(require.resolve('@temporalio/proto/package.json')), 'node_modules', 'protobufjs');
const nested = new RegExp(`@temporalio\\${sep}(common|worker)\\${sep}node_modules\\${sep}protobufjs`);
type Resolver = (request: string, parent: { filename?: string } | undefined, ...rest: unknown[]) => string;
const M = Module as unknown as { _resolveFilename: Resolver };
const original = M._resolveFilename;
M._resolveFilename = function (request, parent, ...rest) {
  const resolved = original.call(this, request, parent, ...rest);
  return nested.test(resolved) ? resolved.replace(nested, protoCopy.slice(protoCopy.indexOf('@temporalio'))) : resolved;
};

const { bundleWorkflowCode, DefaultLogger, Runtime, Worker } =
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  require('@temporalio/worker') as typeof import('@temporalio/worker');
// eslint-disable-next-line @typescript-eslint/no-require-imports
const { WORKFLOWS_PATH } = require('../../worker/create') as typeof import('../../worker/create');

async function main(files: string[]): Promise<void> {
  Runtime.install({ logger: new DefaultLogger('ERROR') });
  const workflowBundle = await bundleWorkflowCode({
    workflowsPath: WORKFLOWS_PATH,
    logger: { log() {}, trace() {}, debug() {}, info() {}, warn() {}, error() {} },
  });
  for (const file of files) {
    try {
      const history: unknown = JSON.parse(readFileSync(file, 'utf8'));
      await Worker.runReplayHistory({ workflowBundle }, history, file);
      console.log(JSON.stringify({ file, ok: true }));
    } catch (err) {
      const e = err as Error;
      console.log(JSON.stringify({ file, ok: false, errorName: e.name, error: e.message.slice(0, 500) }));
    }
  }
}

main(process.argv.slice(2)).catch((err) => {
  console.error(err);
  process.exitCode = 1;
});
