/** ZooKeeper write batching, table-driven: limits on bytes and operations, order, and the op size estimate. */
import { opBytes, planBatches, type WriteOp } from '../../../activities/zookeeper/batch';

const create = (path: string, bytes = 0): WriteOp => ({ kind: 'create', path, data: Buffer.alloc(bytes), acl: [] });
const remove = (path: string): WriteOp => ({ kind: 'remove', path });
const sizes = (batches: WriteOp[][]) => batches.map((b) => b.length);

describe('planBatches', () => {
  it('returns no batch for no op', () => {
    expect(planBatches([])).toEqual([]);
  });

  it.each<[string, WriteOp[], { maxBytes?: number; maxOps?: number }, number[]]>([
    ['all in one under the defaults', Array.from({ length: 50 }, (_, i) => create(`/n${i}`, 100)), {}, [50]],
    ['cut at maxOps', Array.from({ length: 7 }, (_, i) => remove(`/n${i}`)), { maxOps: 3 }, [3, 3, 1]],
    [
      'cut before maxBytes is passed',
      Array.from({ length: 4 }, (_, i) => create(`/n${i}`, 1000)),
      { maxBytes: 2100 },
      [2, 2],
    ],
    [
      'an op larger than maxBytes travels alone',
      [create('/a', 10), create('/big', 5000), create('/b', 10)],
      { maxBytes: 1000 },
      [1, 1, 1],
    ],
    ['default maxOps is 1000', Array.from({ length: 2001 }, (_, i) => remove(`/n${i}`)), {}, [1000, 1000, 1]],
  ])('%s', (_name, ops, limits, expected) => {
    expect(sizes(planBatches(ops, limits))).toEqual(expected);
  });

  it('keeps every op exactly once, in order (parents before children)', () => {
    const ops = ['/a', '/a/b', '/a/b/c', '/a/d', '/e'].map((p) => create(p, 400));
    expect(planBatches(ops, { maxBytes: 1000 }).flat()).toEqual(ops);
  });

  it('never puts more than maxBytes in a batch of several ops', () => {
    const ops = Array.from({ length: 100 }, (_, i) => create(`/node-${i}`, (i * 37) % 900));
    for (const b of planBatches(ops, { maxBytes: 2000 })) {
      if (b.length > 1) expect(b.reduce((s, op) => s + opBytes(op), 0)).toBeLessThanOrEqual(2000);
    }
  });
});

describe('opBytes', () => {
  it('counts path, data and ACLs', () => {
    expect(opBytes(remove('/abc'))).toBe(32 + 4);
    expect(opBytes({ kind: 'setData', path: '/abc', data: Buffer.alloc(10) })).toBe(32 + 4 + 10);
    expect(
      opBytes({
        kind: 'create',
        path: '/abc',
        data: Buffer.alloc(10),
        acl: [{ perms: 31, scheme: 'world', id: 'anyone' }],
      }),
    ).toBe(32 + 4 + 10 + 16 + 5 + 6);
  });
});
