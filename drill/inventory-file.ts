/** Reads an inventory YAML file (the lab's, or a cluster's). Throws with the path when it cannot. */
import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import type { Inventory } from '../compiler/inventory';

export function loadInventoryFile(path: string): Inventory {
  try {
    return parse(readFileSync(path, 'utf8')) as Inventory;
  } catch (err) {
    throw new Error(`cannot read the inventory ${path}: ${(err as Error).message}`);
  }
}
