/**
 * Writes the generated documentation and schema: docs/actions.md, docs/language.md, the README's
 * action region and runbooks/schema/runbook.schema.json. Run `npx tsx compiler/docs/generate.ts`
 * after changing the registry or the schemas; test/unit/compiler/docs.test.ts fails when they drift.
 */
import { existsSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { buildRunbookJsonSchema } from '../jsonschema';
import { renderActionsDoc, renderDefaultsTable, renderDiagnosticsTable, renderReadmeActions } from './render';

const ROOT = join(__dirname, '../..');
export const README_BEGIN = '<!-- generated:actions:begin -->';
export const README_END = '<!-- generated:actions:end -->';

/** docs/language.md from its template. */
export function renderLanguageDoc(): string {
  const template = readFileSync(join(__dirname, 'language.template.md'), 'utf8');
  return template
    .replace('{{DEFAULTS}}', renderDefaultsTable())
    .replace('{{DIAGNOSTICS}}', renderDiagnosticsTable())
    .replace('{{ACTIONS}}', renderReadmeActions());
}

/** README.md with only the region between the markers replaced. @throws Error when the markers are missing. */
export function spliceReadme(readme: string): string {
  const b = readme.indexOf(README_BEGIN);
  const e = readme.indexOf(README_END);
  if (b < 0 || e < b) throw new Error(`README.md lacks the ${README_BEGIN} ... ${README_END} markers`);
  return `${readme.slice(0, b + README_BEGIN.length)}\n${renderReadmeActions()}\n${readme.slice(e)}`;
}

/** Hand-written notes appended to an action's section in docs/actions.md: compiler/docs/notes/<action>.md. */
function actionNotes(): Record<string, string> {
  const dir = join(__dirname, 'notes');
  if (!existsSync(dir)) return {};
  const files = readdirSync(dir).filter((f) => f.endsWith('.md'));
  return Object.fromEntries(files.map((f) => [f.slice(0, -3), readFileSync(join(dir, f), 'utf8')]));
}

/** Every generated file: path (relative to the repo root) → expected content, given the current README. */
export function generatedFiles(readme: string): Record<string, string> {
  return {
    'docs/actions.md': renderActionsDoc(actionNotes()),
    'docs/language.md': renderLanguageDoc(),
    'runbooks/schema/runbook.schema.json': JSON.stringify(buildRunbookJsonSchema(), null, 2) + '\n',
    'README.md': spliceReadme(readme),
  };
}

if (require.main === module) {
  const files = generatedFiles(readFileSync(join(ROOT, 'README.md'), 'utf8'));
  for (const [path, content] of Object.entries(files)) {
    writeFileSync(join(ROOT, path), content);
    console.log(`wrote ${path}`);
  }
}
