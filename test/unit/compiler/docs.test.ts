/**
 * The generated docs and JSON schema must match the registry and schemas: run
 * `npx tsx compiler/docs/generate.ts` when this fails. The schema must also accept the shipped
 * runbooks and reject typical mistakes, so editors flag what the compiler flags.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import Ajv2020 from 'ajv/dist/2020';
import { parse } from 'yaml';
import { ACTIONS } from '../../../compiler/actions';
import { DIAGNOSTIC_CODES } from '../../../compiler/diagnostics';
import { generatedFiles } from '../../../compiler/docs/generate';
import { FIXTURES, ROOT } from './golden';

const files = generatedFiles(readFileSync(join(ROOT, 'README.md'), 'utf8'));

describe('generated docs', () => {
  it.each(Object.keys(files))('%s is up to date (run npx tsx compiler/docs/generate.ts)', (path) => {
    expect(readFileSync(join(ROOT, path), 'utf8')).toBe(files[path]);
  });

  it('documents every action and every diagnostic code', () => {
    for (const a of ACTIONS) expect(files['docs/actions.md']).toContain(`### \`${a.name}\``);
    for (const a of ACTIONS) expect(files['README.md']).toContain(`| \`${a.name}\` |`);
    for (const code of Object.keys(DIAGNOSTIC_CODES)) expect(files['docs/language.md']).toContain(`| \`${code}\` |`);
  });
});

describe('runbook JSON schema', () => {
  const ajv = new Ajv2020({ allErrors: true, strict: false });
  const validate = ajv.compile(JSON.parse(files['runbooks/schema/runbook.schema.json']) as object);

  it.each(readdirSync(join(ROOT, 'runbooks')).filter((f) => f.endsWith('.yaml')))('accepts %s', (file) => {
    const ok = validate(parse(readFileSync(join(ROOT, 'runbooks', file), 'utf8')));
    expect(validate.errors ?? []).toEqual([]);
    expect(ok).toBe(true);
  });

  it.each([
    'unknown-input',
    'wrong-input-enum',
    'wrong-input-type',
    'unknown-top-level-key',
    'unknown-step-key',
    'bad-duration',
    'negative-retry',
    'unknown-action',
    'missing-input',
  ])('rejects invalid/%s.yaml', (name) => {
    expect(validate(parse(readFileSync(join(FIXTURES, 'invalid', `${name}.yaml`), 'utf8')))).toBe(false);
  });
});
