/**
 * What an expression may evaluate to when only some paths are known: the caller maps each path to a
 * finite list of the values it can hold, or to 'any'. The compiler uses it to predict, for each way a
 * run can end, which rollback steps run. Mirrors evaluate.ts: same equality, ordering and truthiness.
 */
import type { ExprNode } from '../plan';
import { compare, isTruthy, jsonEquals } from './evaluate';

/** The values an expression may take: a finite list, or 'any' when nothing is known. */
export type Possible = unknown[] | 'any';

/** Whether a condition holds: in every case, in none, or depending on what is not known. */
export type Verdict = 'always' | 'never' | 'maybe';

type PathNode = Extract<ExprNode, { kind: 'path' }>;

function unique(values: unknown[]): unknown[] {
  const out: unknown[] = [];
  for (const v of values) if (!out.some((o) => jsonEquals(o, v))) out.push(v);
  return out;
}

const BOOLS = [true, false];

function pairwise(l: Possible, r: Possible, f: (a: unknown, b: unknown) => boolean): Possible {
  if (l === 'any' || r === 'any') return BOOLS;
  return unique(l.flatMap((a) => r.map((b) => f(a, b))));
}

/** The values `node` may take, given what `known` says about each path. */
export function possibleValues(node: ExprNode, known: (path: PathNode) => Possible): Possible {
  switch (node.kind) {
    case 'lit':
      return [node.value];
    case 'path':
      return known(node);
    case 'not': {
      const v = possibleValues(node.operand, known);
      return v === 'any' ? BOOLS : unique(v.map((x) => !isTruthy(x)));
    }
    case 'binary': {
      const l = possibleValues(node.left, known);
      if (node.op === '&&' || node.op === '||') {
        if (l === 'any') return 'any';
        const decides = (x: unknown) => (node.op === '&&' ? !isTruthy(x) : isTruthy(x));
        const kept = l.filter(decides);
        if (kept.length === l.length) return unique(kept);
        const r = possibleValues(node.right, known);
        return r === 'any' ? 'any' : unique([...kept, ...r]);
      }
      const r = possibleValues(node.right, known);
      if (node.op === '==') return pairwise(l, r, jsonEquals);
      if (node.op === '!=') return pairwise(l, r, (a, b) => !jsonEquals(a, b));
      return pairwise(l, r, (a, b) => compare(node.op, a, b));
    }
  }
}

/** Whether a condition over these possible values holds always, never, or maybe. */
export function verdict(values: Possible): Verdict {
  if (values === 'any') return 'maybe';
  const truthy = values.filter(isTruthy).length;
  if (truthy === values.length) return 'always';
  return truthy === 0 ? 'never' : 'maybe';
}
