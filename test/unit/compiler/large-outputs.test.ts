/**
 * The registry marks outputs that grow with the cluster; `validate` warns (LARGE_OUTPUT_IN_TEXT) when
 * text interpolates one, and stays quiet for small outputs and for values passed through whole.
 */
import { compileRunbook } from '../../../compiler';
import { ACTIONS, outputNames } from '../../../compiler/actions';
import { fixtureInventory } from './golden';

function runbook(withBlock: string): string {
  return `apiVersion: rekindle/v1
kind: Runbook
metadata: { name: large-outputs }
steps:
  - id: dry
    uses: kafka.offsets-reset
    with: { groups: [billing], mode: to-earliest }
  - id: use
    needs: [dry]
${withBlock}
`;
}

const gate = (summary: string) => `    uses: approval\n    with: { approvers: [alice], summary: '${summary}' }`;
const exec = (command: string) => `    uses: ssh.exec\n    with: { host: kafka-1, command: '${command}' }`;
const reset = (groups: string) => `    uses: kafka.offsets-reset\n    with: { groups: ${groups}, mode: to-earliest }`;

test.each([
  ['a large output in a gate summary', gate('Reset? ${{ steps.dry.outputs.text }}'), ['11:54']],
  ['a large output in a shell command', exec('echo ${{ steps.dry.outputs.groups }}'), ['11:47']],
  [
    'two large outputs in one text',
    gate('${{ steps.dry.outputs.table }} / ${{ steps.dry.outputs.groups }}'),
    ['11:47', '11:80'],
  ],
  ['a small output in text', gate('Reset? ${{ steps.dry.outputs.preview }} (${{ steps.dry.outputs.changed }})'), []],
  ['a large output passed whole', reset("'${{ steps.dry.outputs.groups }}'"), []],
])('%s', (_what, block, at) => {
  const r = compileRunbook({ file: 'large.yaml', text: runbook(block), inventory: fixtureInventory });
  const warned = r.diagnostics.filter((d) => d.code === 'LARGE_OUTPUT_IN_TEXT');
  expect(r.diagnostics.filter((d) => d.severity === 'error')).toEqual([]);
  expect(warned.map((d) => `${d.line}:${d.column}`)).toEqual(at);
  for (const d of warned) {
    expect(d.severity).toBe('warning');
    expect(d.message).toMatch(/grows with the cluster.*OUTPUT_STORED.*preview/);
  }
});

test('every output marked large is a declared output', () => {
  for (const a of ACTIONS) for (const o of a.largeOutputs ?? []) expect(outputNames(a)).toContain(o);
  expect(ACTIONS.filter((a) => a.largeOutputs?.length).map((a) => a.name)).toEqual(
    expect.arrayContaining(['kafka.offsets-export', 'kafka.offsets-reset', 'ssh.exec', 'zookeeper.diff']),
  );
});
