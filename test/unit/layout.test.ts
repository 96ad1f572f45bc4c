/**
 * DESIGN §1's table as a test: every import between the top-level folders is checked against what the
 * table allows, so the pipeline (runbooks → compiler → client → workflows → activities ← worker) cannot
 * quietly grow a back edge. Read with the TypeScript parser, so `import type` is told apart from a
 * run-time import (the workflow sandbox only cares about the latter).
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, resolve } from 'node:path';
import ts from 'typescript';

const ROOT = resolve(__dirname, '../..');
const FOLDERS = [
  'compiler',
  'workflows',
  'activities',
  'worker',
  'client',
  'codec',
  'cli',
  'audit',
  'drill',
  'lab',
  'bench',
];

interface Edge {
  from: string;
  to: string;
  typeOnly: boolean;
}

function tsFiles(dir: string): string[] {
  return readdirSync(dir).flatMap((name) => {
    const p = join(dir, name);
    if (name === 'node_modules' || name === 'state') return [];
    if (statSync(p).isDirectory()) return tsFiles(p);
    return p.endsWith('.ts') ? [p] : [];
  });
}

/** Every relative import and re-export of a file, resolved to a repo path (no extension). */
function edges(file: string): Edge[] {
  const src = ts.createSourceFile(file, readFileSync(file, 'utf8'), ts.ScriptTarget.ES2022, false);
  const out: Edge[] = [];
  for (const s of src.statements) {
    let spec: ts.Expression | undefined;
    let typeOnly = false;
    if (ts.isImportDeclaration(s)) {
      spec = s.moduleSpecifier;
      const c = s.importClause;
      const named = c?.namedBindings && ts.isNamedImports(c.namedBindings) ? c.namedBindings.elements : undefined;
      typeOnly = !!c && (c.isTypeOnly || (!c.name && !!named && named.length > 0 && named.every((e) => e.isTypeOnly)));
    } else if (ts.isExportDeclaration(s) && s.moduleSpecifier) {
      spec = s.moduleSpecifier;
      typeOnly = s.isTypeOnly;
    }
    if (!spec || !ts.isStringLiteral(spec) || !spec.text.startsWith('.')) continue;
    const to = relative(ROOT, resolve(dirname(file), spec.text));
    out.push({ from: relative(ROOT, file), to, typeOnly });
  }
  return out;
}

/** The workflows' message and type definitions, shared by everything that talks to a run. */
const RUN_CONTRACT = ['workflows/messages', 'workflows/types', 'workflows/run-id', 'workflows/search-attributes'];

/** Folders that talk to runs may name any workflow type (`import type`: nothing is loaded). */
const TALKS_TO_RUNS = ['client', 'cli', 'audit', 'drill'];

/**
 * What each folder may import from the others at run time (its own folder is always allowed).
 * Prefixes; `workflows` and `activities` are checked separately below because their rules are finer.
 */
const ALLOWED: Record<string, string[]> = {
  compiler: [],
  client: ['compiler', 'codec', 'worker/config', ...RUN_CONTRACT],
  codec: [],
  // `worker/config` is the shared config (Temporal address, lab inventory location). The `rekindle worker`
  // command (cli/commands/worker.ts) runs the worker itself and is checked apart.
  cli: ['client', 'compiler', 'audit', 'drill', 'worker/config', ...RUN_CONTRACT],
  audit: ['client', 'codec', 'compiler', ...RUN_CONTRACT],
  // The drill brings the lab up (DESIGN §1: the lab is used by the drill) and simulates incidents with the
  // families' own client wrappers (SSH, ZooKeeper); a corrupt-backup scenario reads a set's manifest to damage it;
  // the report measures its runs' histories with the audit's decoder.
  drill: [
    'client',
    'codec',
    'compiler',
    'lab',
    'activities/ssh',
    'activities/zookeeper',
    'activities/backup/manifest',
    'audit',
    ...RUN_CONTRACT,
  ],
  worker: FOLDERS,
  // The lab's fixtures (lab/zk-tree.ts) build trees with the ZooKeeper family's batching.
  lab: ['compiler/inventory', 'activities/zookeeper'],
  bench: FOLDERS.filter((f) => f !== 'drill'),
};

const all = FOLDERS.flatMap((f) => tsFiles(join(ROOT, f))).flatMap(edges);
const top = (p: string) => p.split('/')[0];
const under = (p: string, prefix: string) => p === prefix || p.startsWith(`${prefix}/`);

function violations(pred: (e: Edge) => string | undefined): string[] {
  return all.flatMap((e) => {
    const why = pred(e);
    return why ? [`${e.from} imports ${e.to}: ${why}`] : [];
  });
}

describe('DESIGN §1 import rules', () => {
  it('reads a realistic number of imports (the scanner works)', () => {
    expect(all.length).toBeGreaterThan(300);
    expect(all.some((e) => e.from === 'workflows/execute.ts' && e.to === 'compiler/plan' && e.typeOnly)).toBe(true);
  });

  it('nothing outside test/ imports test/, and only the tools import bench/ or lab/', () => {
    const bad = violations((e) => {
      if (top(e.to) === 'test') return 'test/ is imported by nothing but tests';
      if (top(e.to) === 'bench' && top(e.from) !== 'bench') return 'bench/ is imported by nothing';
      if (top(e.to) === 'lab' && !['lab', 'drill', 'bench', 'worker'].includes(top(e.from)))
        return 'the lab is used by tests, the drill and benchmarks';
      return undefined;
    });
    expect(bad).toEqual([]);
  });

  it.each(Object.keys(ALLOWED))('%s imports only what the table allows', (folder) => {
    const allowed = ALLOWED[folder];
    const bad = violations((e) => {
      if (top(e.from) !== folder || top(e.to) === folder) return undefined;
      if (e.typeOnly && top(e.to) === 'workflows' && TALKS_TO_RUNS.includes(folder)) return undefined;
      if (e.from === 'cli/commands/worker.ts' && top(e.to) === 'worker') return undefined;
      return allowed.some((a) => under(e.to, a))
        ? undefined
        : `${folder}/ may import ${allowed.join(', ') || 'nothing'}`;
    });
    expect(bad).toEqual([]);
  });

  it('workflows import at run time only workflows/ and the sandbox-safe compiler/expr (and compiler/duration)', () => {
    const bad = violations((e) => {
      if (top(e.from) !== 'workflows' || e.typeOnly || top(e.to) === 'workflows') return undefined;
      return ['compiler/expr', 'compiler/duration'].some((a) => under(e.to, a))
        ? undefined
        : 'only `import type` outside the sandbox-safe modules';
    });
    expect(bad).toEqual([]);
  });

  it('activities import their own family, the shared door modules and the compiler contract, never another family', () => {
    const bad = violations((e) => {
      if (top(e.from) !== 'activities') return undefined;
      const fam = e.from.split('/')[1];
      if (top(e.to) === 'compiler') {
        if (e.typeOnly || under(e.to, 'compiler/actions') || under(e.to, 'compiler/duration')) return undefined;
        return 'only the action specs (compiler/actions) and the duration grammar at run time';
      }
      if (top(e.to) !== 'activities') return 'activities depend on their own libraries and compiler/actions only';
      if (e.from.split('/').length === 2) return undefined; // activities/index.ts and the shared modules compose families
      const target = e.to.split('/');
      if (target.length === 2) return undefined; // activities/errors, activities/inputs
      return target[1] === fam ? undefined : `family ${fam} imports family ${target[1]}`;
    });
    expect(bad).toEqual([]);
  });

  it('the compiler reads files only at its I/O edges (load.ts, docs/generate.ts)', () => {
    const io = tsFiles(join(ROOT, 'compiler')).filter((f) =>
      /from 'node:(fs|child_process|net|os)'/.test(readFileSync(f, 'utf8')),
    );
    expect(io.map((f) => relative(ROOT, f)).sort()).toEqual(['compiler/docs/generate.ts', 'compiler/load.ts']);
  });

  it('activities describe no inputs of their own: no opt* helpers, no *Inputs interfaces (the registry does)', () => {
    const bad = tsFiles(join(ROOT, 'activities')).flatMap((f) => {
      const text = readFileSync(f, 'utf8');
      const hits = [...text.matchAll(/(function opt[A-Z]\w*|interface \w+Inputs\b|registryInputs|getAction\()/g)];
      return hits.map((m) => `${relative(ROOT, f)}: ${m[0]}`);
    });
    expect(bad).toEqual([]);
  });
});
