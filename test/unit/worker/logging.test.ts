/** The worker's logger: JSON when piped, text on a terminal, redaction on both, the SDK logger wired in. */
import { Writable } from 'node:stream';
import { createWorkerLogger, PinoSdkLogger, resolveFormat } from '../../../worker/logging';

function sink(): { stream: Writable; text: () => string } {
  const chunks: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _enc, cb) {
      chunks.push(chunk.toString());
      cb();
    },
  });
  return { stream, text: () => chunks.join('') };
}

test.each([
  ['auto', true, 'text'],
  ['auto', false, 'json'],
  ['json', true, 'json'],
  ['text', false, 'text'],
] as const)('format %s on a terminal=%s is %s', (format, tty, expected) => {
  expect(resolveFormat(format, tty)).toBe(expected);
});

test('piped output is one JSON object per line with the fields given, secrets masked', () => {
  const out = sink();
  const { log, redactor } = createWorkerLogger({ destination: out.stream, isTTY: false });
  redactor.addValue('registered-secret-value');
  log.info(
    { runId: 'r1', stepId: 's1', action: 'ssh.exec', host: 'kafka-1', password: 'p4ssw0rd!' },
    'activity started',
  );
  log.warn('the value registered-secret-value leaked into a message');
  const lines = out
    .text()
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines[0]).toMatchObject({
    level: 'info',
    msg: 'activity started',
    runId: 'r1',
    stepId: 's1',
    action: 'ssh.exec',
    host: 'kafka-1',
    password: '[redacted]',
  });
  expect(typeof lines[0].time).toBe('string');
  expect(lines[1].msg).toBe('the value [redacted] leaked into a message');
  expect(out.text()).not.toContain('p4ssw0rd!');
});

test('terminal output is human text, not JSON, and still masked', () => {
  const out = sink();
  const { log, format } = createWorkerLogger({ destination: out.stream, isTTY: true, format: 'auto' });
  expect(format).toBe('text');
  log.info({ stepId: 's1', apiKey: 'k3y-k3y-k3y' }, 'hello operator');
  const text = out.text();
  expect(text).toContain('hello operator');
  expect(text).toContain('stepId');
  expect(text).not.toContain('k3y-k3y-k3y');
  expect(() => JSON.parse(text.trim().split('\n')[0])).toThrow();
});

test('the SDK logger writes through pino at the SDK level, below the threshold dropped', () => {
  const out = sink();
  const { log } = createWorkerLogger({ destination: out.stream, isTTY: false, level: 'info' });
  const sdk = new PinoSdkLogger(log);
  sdk.debug('dropped');
  sdk.warn('Activity failed', { workflowId: 'w', activityType: 'ssh.exec' });
  sdk.log('ERROR', 'boom', { sdkComponent: 'worker' });
  const lines = out
    .text()
    .trim()
    .split('\n')
    .map((l) => JSON.parse(l) as Record<string, unknown>);
  expect(lines.map((l) => [l.level, l.msg])).toEqual([
    ['warn', 'Activity failed'],
    ['error', 'boom'],
  ]);
  expect(lines[0].workflowId).toBe('w');
});
