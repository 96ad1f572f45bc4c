/** The capped output collector of ssh.exec: it keeps the tail, counts what it dropped, and says so. */
import { TailBuffer } from '../../../activities/ssh/tail-buffer';

function fill(cap: number, chunks: string[]): TailBuffer {
  const t = new TailBuffer(cap);
  for (const c of chunks) t.push(Buffer.from(c));
  return t;
}

describe('TailBuffer', () => {
  it.each<[string, number, string[], string, boolean]>([
    ['nothing pushed', 10, [], '', false],
    ['under the cap', 10, ['abc', 'def'], 'abcdef', false],
    ['exactly the cap', 6, ['abc', 'def'], 'abcdef', false],
    ['drops whole old chunks', 3, ['abc', 'def'], 'def', true],
    ['cuts inside a chunk', 4, ['abc', 'def'], 'cdef', true],
    ['one chunk larger than the cap', 3, ['abcdefgh'], 'fgh', true],
    ['many small chunks', 5, 'abcdefghij'.split(''), 'fghij', true],
  ])('%s', (_name, cap, chunks, text, truncated) => {
    const t = fill(cap, chunks);
    expect(t.text()).toBe(text);
    expect(t.truncated).toBe(truncated);
    expect(t.total).toBe(chunks.join('').length);
    expect(t.bytes().length).toBeLessThanOrEqual(cap);
  });

  it('a multi-byte character cut at the front becomes U+FFFD, the rest stays intact', () => {
    const t = fill(4, ['é', 'abc']);
    expect(t.text()).toBe('\uFFFDabc');
  });
});
