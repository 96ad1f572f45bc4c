/**
 * The scenario's backup-store manipulations: flipping one byte of a set's largest file (its manifest
 * untouched, so its checksum no longer matches), and moving earlier sets aside without deleting them.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { damageBackupSet, moveSetsAside } from '../../../drill/damage';

const sha = (b: Buffer | string) => createHash('sha256').update(b).digest('hex');

function set(store: string, id: string): string {
  const dir = join(store, id);
  mkdirSync(join(dir, 'kafka'), { recursive: true });
  const files = { 'zookeeper.json': '{}', 'kafka/big.tar': 'x'.repeat(1000) };
  for (const [p, t] of Object.entries(files)) writeFileSync(join(dir, p), t);
  const manifest = {
    format: 'rekindle-backup/1',
    id,
    files: Object.entries(files).map(([path, t]) => ({ path, sha256: sha(t), bytes: t.length })),
  };
  writeFileSync(join(dir, 'manifest.json'), JSON.stringify(manifest));
  return dir;
}

describe('drill backup-store manipulations', () => {
  it('damageBackupSet flips one byte of the largest file, same size, checksum no longer the manifest one', () => {
    const dir = set(mkdtempSync(join(tmpdir(), 'rekindle-damage-')), 's1');
    expect(damageBackupSet(dir)).toBe('kafka/big.tar');
    const after = readFileSync(join(dir, 'kafka/big.tar'));
    expect(after.length).toBe(1000);
    expect([...after].filter((b) => b !== 'x'.charCodeAt(0))).toHaveLength(1);
    expect(sha(after)).not.toBe(sha('x'.repeat(1000)));
  });

  it('moveSetsAside moves complete sets only, keeps them, and does nothing on an empty store', () => {
    const store = mkdtempSync(join(tmpdir(), 'rekindle-aside-'));
    set(store, 'a');
    set(store, 'b');
    mkdirSync(join(store, 'zookeeper'));
    const aside = moveSetsAside(store)!;
    expect(readdirSync(store)).toEqual(['zookeeper']);
    expect(readdirSync(aside).sort()).toEqual(['a', 'b']);
    expect(existsSync(join(aside, 'a', 'manifest.json'))).toBe(true);
    expect(moveSetsAside(store)).toBeNull();
    expect(moveSetsAside(join(store, 'missing'))).toBeNull();
  });
});
