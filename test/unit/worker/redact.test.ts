/** The log redactor: secret-named fields at any depth, PEM private keys (whole or cut), registered values. */
import { REDACTED, Redactor, secretFileValues } from '../../../worker/redact';

const PEM = [
  '-----BEGIN OPENSSH PRIVATE KEY-----',
  'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW',
  'QyNTUxOQAAACBxd3F3cXdxd3F3cXdxd3F3cXdxd3F3cXdxd3F3cXdxdwAAAJg=',
  '-----END OPENSSH PRIVATE KEY-----',
].join('\n');
const BODY = 'b3BlbnNzaC1rZXktdjEAAAAABG5vbmUAAAAEbm9uZQAAAAAAAAABAAAAMwAAAAtzc2gtZW';
const SECRET = 'tok-9f8e7d6c5b4a';

describe('Redactor.value', () => {
  const r = new Redactor();
  r.addValue(SECRET);
  const cases: Array<[string, unknown, (out: string) => void]> = [
    ['a password field', { password: 'hunter2hunter2' }, (o) => expect(o).toBe(`{"password":"${REDACTED}"}`)],
    ['a nested apiKey', { temporal: { tls: { apiKey: 'abc' } } }, (o) => expect(o).not.toContain('abc')],
    ['a private_key field in an array', [{ private_key: 'xyz' }], (o) => expect(o).not.toContain('xyz')],
    ['an Authorization header', { headers: { Authorization: 'Bearer zzz' } }, (o) => expect(o).not.toContain('zzz')],
    ['a PEM key in a message', { msg: `could not parse\n${PEM}\nend` }, (o) => expect(o).not.toContain(BODY)],
    ['a PEM key cut at the start', { tail: `${PEM.slice(50)}\nexit 1` }, (o) => expect(o).not.toMatch(/QyNTUxOQ/)],
    [
      'a registered value in a string',
      { stderr: `the key is ${SECRET}!` },
      (o) => expect(o).toContain(`the key is ${REDACTED}!`),
    ],
    [
      'a registered value in an error message',
      { error: new Error(`bad ${SECRET}`) },
      (o) => expect(o).not.toContain(SECRET),
    ],
    [
      'a registered value in an error cause',
      { error: new Error('outer', { cause: new Error(SECRET) }) },
      (o) => expect(o).not.toContain(SECRET),
    ],
    ['a Buffer', { data: Buffer.from(SECRET) }, (o) => expect(o).toContain('bytes')],
  ];
  it.each(cases)('masks %s', (_name, input, check) => check(JSON.stringify(r.value(input))));

  it('keeps ordinary fields, and empty secret fields as they are', () => {
    expect(r.value({ stepId: 'stop-brokers', host: 'kafka-1', attempt: 2, password: '' })).toEqual({
      stepId: 'stop-brokers',
      host: 'kafka-1',
      attempt: 2,
      password: '',
    });
  });

  it('ignores registered values too short to be secrets (they would mask ordinary words)', () => {
    const short = new Redactor();
    short.addValue('kafka');
    expect(short.text('kafka-1')).toBe('kafka-1');
  });
});

test('secretFileValues keeps each line of a keyring and the whole content', () => {
  const hex = 'a'.repeat(64);
  expect(secretFileValues(`${hex}\n${'b'.repeat(64)}\n`)).toEqual(expect.arrayContaining([hex, 'b'.repeat(64)]));
});
