/** Helpers for golden-file tests: compile fixtures with the fixture inventory; write goldens on UPDATE_GOLDEN=1. */
import { existsSync, readFileSync, writeFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { parse } from 'yaml';
import type { CompileResult } from '../../../compiler';
import { compileRunbook } from '../../../compiler';

export const ROOT = join(__dirname, '../../..');
export const FIXTURES = join(ROOT, 'test/fixtures/runbooks');
export const fixtureInventory: unknown = parse(readFileSync(join(FIXTURES, 'inventory.yaml'), 'utf8'));

/** Compiles a file with the fixture inventory (unless the runbook declares an inline one). */
export function compileFixture(path: string, extra: { params?: Record<string, unknown> } = {}): CompileResult {
  const text = readFileSync(path, 'utf8');
  const inline = /^inventory:\s*$/m.test(text);
  return compileRunbook({
    file: relative(ROOT, path),
    text,
    inventory: inline ? undefined : fixtureInventory,
    params: extra.params,
  });
}

/** Compares `actual` with the golden file, or rewrites the golden when UPDATE_GOLDEN=1. */
export function expectGolden(goldenPath: string, actual: string): void {
  if (process.env.UPDATE_GOLDEN === '1' || !existsSync(goldenPath)) {
    if (process.env.UPDATE_GOLDEN !== '1')
      throw new Error(`missing golden ${goldenPath}; run with UPDATE_GOLDEN=1 and review it`);
    writeFileSync(goldenPath, actual);
    return;
  }
  expect(actual).toBe(readFileSync(goldenPath, 'utf8'));
}
