/**
 * The compiler's I/O edge, for the CLI and tests: reads a runbook file and resolves named
 * inventories (NAME → the file the caller maps it to, else inventories/NAME.yaml). compile.ts stays
 * pure, and this file knows nothing of the lab: the caller says where the lab's inventory is.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { parse } from 'yaml';
import type { CompileResult, InventoryLookup } from './compile';
import { compileRunbook } from './compile';

export interface CompileFileOptions {
  /** Inventory file that overrides the runbook's `inventory:` (`--inventory FILE`). */
  inventoryFile?: string;
  params?: Record<string, unknown>;
  mode?: 'recovery' | 'drill';
  requireParams?: boolean;
  /** Project root for named inventories; defaults to the current directory. */
  root?: string;
  /** Named inventories that live elsewhere than `inventories/NAME.yaml`, e.g. `{ lab: '<lab state>/inventory.yaml' }`. */
  namedInventories?: Record<string, string>;
}

/** Reads an inventory YAML file; an error lookup (never a throw) when it is missing or not YAML. */
export function readInventoryFile(path: string): InventoryLookup {
  if (!existsSync(path)) return { error: `${path} does not exist` };
  try {
    return { inventory: parse(readFileSync(path, 'utf8')) as unknown, file: path };
  } catch (err) {
    return { error: `${path} is not valid YAML: ${(err as Error).message.split('\n')[0]}` };
  }
}

/**
 * A loader for named inventories: a name in `named` reads that file (the `lab` entry gets a hint to
 * start the lab when it is missing), any other name reads `root/inventories/NAME.yaml`.
 */
export function inventoryLoader(root: string, named: Record<string, string> = {}): (name: string) => InventoryLookup {
  return (name) => {
    if (!/^[a-z0-9][a-z0-9._-]*$/i.test(name) || name.includes('..')) {
      return { error: `'${name}' is not an inventory name (letters, digits, . _ -)` };
    }
    const path = Object.hasOwn(named, name) ? named[name] : join(root, 'inventories', `${name}.yaml`);
    const found = readInventoryFile(path);
    if ('error' in found && name === 'lab') return { error: `${found.error}; start the lab with 'npm run lab -- up'` };
    return found;
  };
}

/**
 * Reads and compiles a runbook file.
 * @throws Error when the runbook file cannot be read (the inventory never throws; it becomes a diagnostic).
 */
export function compileFile(file: string, opts: CompileFileOptions = {}): CompileResult {
  const text = readFileSync(file, 'utf8');
  const root = resolve(opts.root ?? process.cwd());
  let inventory: unknown;
  if (opts.inventoryFile) {
    const found = readInventoryFile(opts.inventoryFile);
    if ('error' in found) throw new Error(`--inventory: ${found.error}`);
    inventory = found.inventory;
  }
  return compileRunbook({
    file,
    text,
    inventory,
    loadInventory: inventoryLoader(root, opts.namedInventories),
    params: opts.params,
    mode: opts.mode,
    requireParams: opts.requireParams,
  });
}
