/**
 * The drill's scale, as pure facts: the large cluster meets the sizes the issue asks for, tenant
 * groups make the offsets export larger than the engine's per-step cap, and the bystander comparison
 * reports every kind of change (and nothing when nothing changed).
 */
import { bystanderSpec, largeSpec, tenantSpec } from '../../drill/bystanders';
import type { BystanderFacts } from '../../drill/bystander-facts';
import { bystanderTotals, compareBystanders } from '../../drill/bystander-facts';
import { OUTPUT_CAP_BYTES } from '../../workflows/caps';

test('the large cluster has at least 200 topics, 2,000 partitions, 1,000 groups, 200 configs and 100 ACLs', () => {
  const l = largeSpec();
  expect(l.topics.length).toBeGreaterThanOrEqual(200);
  expect(l.topics.reduce((n, t) => n + t.partitions, 0)).toBeGreaterThanOrEqual(2000);
  expect(new Set(l.groups.map((g) => g.groupId)).size).toBeGreaterThanOrEqual(1000);
  expect(l.topics.filter((t) => Object.keys(t.configs).length).length).toBeGreaterThanOrEqual(200);
  expect(new Set(l.acls.map((a) => a.topic)).size).toBeGreaterThanOrEqual(100);
  const names = new Set(bystanderSpec('large').topics.map((t) => t.topic));
  for (const own of ['orders', 'payments', 'inventory-events', 'rekindle-canary']) expect(names.has(own)).toBe(false);
});

test("tenants' committed offsets alone exceed the engine's per-step output cap", () => {
  const t = tenantSpec();
  const rows = t.groups.map((g) => ({
    group: g.groupId,
    topic: g.topic,
    partitions: t.topics.find((x) => x.topic === g.topic)!.partitions,
  }));
  const offsets = rows.flatMap((r) =>
    Array.from({ length: r.partitions }, (_, p) => ({ group: r.group, topic: r.topic, partition: p, offset: 10 })),
  );
  expect(JSON.stringify(offsets).length).toBeGreaterThan(OUTPUT_CAP_BYTES);
});

const base = (): BystanderFacts => ({
  counts: { 'tenant-a.events': [20, 20], 'bulk.t000': [5] },
  configs: { 'tenant-a.events': { 'retention.ms': '259200000' } },
  offsets: { 'tenant-a.consumer-00': { 'tenant-a.events:0': 5, 'tenant-a.events:1': 10 } },
  acls: { '/kafka-acl/Topic/tenant-a.events': '{"version":1}' },
});

test('nothing changed: no difference', () => {
  expect(compareBystanders(base(), base())).toEqual([]);
  expect(bystanderTotals(base())).toEqual({
    topics: 2,
    partitions: 3,
    messages: 45,
    groups: 1,
    offsets: 2,
    configs: 1,
    acls: 1,
  });
});

test.each<[string, (f: BystanderFacts) => void, RegExp]>([
  [
    'a topic lost messages',
    (f) => (f.counts['bulk.t000'] = [4]),
    /topic bulk\.t000: messages per partition \[5\] at backup, \[4\] now/,
  ],
  ['a topic vanished', (f) => (f.counts['tenant-a.events'] = null), /topic tenant-a\.events: .* null now/],
  ['a config changed', (f) => (f.configs['tenant-a.events']['retention.ms'] = '1'), /topic tenant-a\.events: configs/],
  [
    'a group moved',
    (f) => (f.offsets['tenant-a.consumer-00']['tenant-a.events:1'] = 0),
    /group tenant-a\.consumer-00: committed offsets differ/,
  ],
  ['a group lost its offsets', (f) => (f.offsets['tenant-a.consumer-00'] = {}), /group tenant-a\.consumer-00/],
  [
    'an ACL was removed',
    (f) => (f.acls['/kafka-acl/Topic/tenant-a.events'] = null),
    /ACL znode \/kafka-acl\/Topic\/tenant-a\.events: gone/,
  ],
  ['an ACL was rewritten', (f) => (f.acls['/kafka-acl/Topic/tenant-a.events'] = '{}'), /ACL znode .*: changed/],
])('%s is reported', (_what, change, message) => {
  const after = base();
  change(after);
  const d = compareBystanders(base(), after);
  expect(d).toHaveLength(1);
  expect(d[0]).toMatch(message);
});

test('a long list of differences is cut with a count', () => {
  const before = base();
  const after = base();
  for (let i = 0; i < 30; i++) {
    before.counts[`t${i}`] = [1];
    after.counts[`t${i}`] = [0];
  }
  const d = compareBystanders(before, after, 5);
  expect(d).toHaveLength(6);
  expect(d[5]).toBe('… and 25 more difference(s)');
});
