/**
 * Which outcomes a rollback `when:` runs on (compiler/expr/outcomes.ts), and the three-valued reading of
 * expressions behind it (compiler/expr/possible.ts), table-driven.
 */
import { parseExpression, possibleValues, rollbackOutcomes, verdict } from '../../../compiler/expr';
import type { Possible } from '../../../compiler/expr';

describe('rollbackOutcomes', () => {
  it.each<[string | undefined, string[]]>([
    [undefined, ['cancelled', 'aborted', 'failed']],
    ["steps.stop.state == 'pending'", ['cancelled', 'aborted', 'failed']],
    ["params.x == 'y'", ['cancelled', 'aborted', 'failed']],
    ["run.outcome == 'rejected'", ['rejected']],
    ["run.outcome != 'rejected'", ['cancelled', 'aborted', 'failed']],
    ["run.outcome == 'cancelled' || run.outcome == 'rejected'", ['cancelled', 'rejected']],
    ["run.outcome == 'rejected' && steps.stop.state == 'pending'", ['rejected']],
    ["!(run.outcome == 'failed')", ['cancelled', 'rejected', 'aborted']],
    ["run.outcome == 'failed' || params.always", ['cancelled', 'rejected', 'aborted', 'failed']],
    ["run.outcome == 'nope'", []],
  ])('when %s → %j', (when, outcomes) => {
    expect(rollbackOutcomes(when === undefined ? undefined : parseExpression(when))).toEqual(outcomes);
  });
});

describe('possibleValues and verdict', () => {
  const known = (values: Record<string, Possible>) => (p: { root: string; segments: Array<string | number> }) =>
    values[[p.root, ...p.segments].join('.')] ?? 'any';
  it.each<[string, Record<string, Possible>, string]>([
    ["steps.a.state == 'pending'", { 'steps.a.state': ['pending'] }, 'always'],
    ["steps.a.state == 'pending'", { 'steps.a.state': ['succeeded', 'rolled-back'] }, 'never'],
    ["steps.a.state == 'pending'", { 'steps.a.state': ['pending', 'skipped'] }, 'maybe'],
    ["steps.a.state == 'pending'", {}, 'maybe'],
    // An unknown left operand of && or || is the value itself: conservative, never a wrong 'always' or 'never'.
    ['params.x && false', {}, 'maybe'],
    ['params.x && false', { 'params.x': [true, 'y'] }, 'never'],
    ['params.x || true', {}, 'maybe'],
    ['true || params.x', {}, 'always'],
    ['!params.x', { 'params.x': [0, ''] }, 'always'],
    ['params.n < 3', { 'params.n': [1, 2] }, 'always'],
    ["params.n < 'a'", { 'params.n': [1] }, 'never'],
  ])('%s with %j is %s', (text, values, expected) => {
    expect(verdict(possibleValues(parseExpression(text), known(values)))).toBe(expected);
  });
});
