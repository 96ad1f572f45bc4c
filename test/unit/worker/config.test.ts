/** The worker's service settings: grace period, endpoint address, log format and level, with clear errors. */
import { DEFAULT_SHUTDOWN_GRACE_MS, loadConfig, parseHttpAddress } from '../../../worker/config';

const base = { REKINDLE_TEMPORAL_ADDRESS: '127.0.0.1:7233' };

test('defaults: 30 s grace, no endpoint, auto format, info', () => {
  const c = loadConfig({ ...base });
  expect([c.shutdownGraceMs, c.httpAddress, c.logFormat, c.logLevel]).toEqual([
    DEFAULT_SHUTDOWN_GRACE_MS,
    undefined,
    'auto',
    'info',
  ]);
});

test.each([
  ['2m', 120_000],
  ['500ms', 500],
  ['1m30s', 90_000],
  ['45', 45],
])('REKINDLE_SHUTDOWN_GRACE=%s is %d ms', (value, ms) => {
  expect(loadConfig({ ...base, REKINDLE_SHUTDOWN_GRACE: value }).shutdownGraceMs).toBe(ms);
});

test.each([
  ['9464', '127.0.0.1:9464'],
  ['127.0.0.1:0', '127.0.0.1:0'],
  ['0.0.0.0:9464', '0.0.0.0:9464'],
  ['[::1]:9464', '[::1]:9464'],
])('endpoint address %s binds %s (a bare port stays on loopback)', (value, bound) => {
  expect(parseHttpAddress(value)).toBe(bound);
  expect(loadConfig({ ...base, REKINDLE_HTTP_ADDRESS: value }).httpAddress).toBe(bound);
});

test('REKINDLE_HTTP_ADDRESS=off means no endpoint', () => {
  expect(loadConfig({ ...base, REKINDLE_HTTP_ADDRESS: 'off' }).httpAddress).toBeUndefined();
});

test.each([
  [{ REKINDLE_SHUTDOWN_GRACE: 'soon' }, "shutdown grace must be a duration such as 30s or 2m, not 'soon'"],
  [{ REKINDLE_SHUTDOWN_GRACE: '-5s' }, "shutdown grace must be a duration such as 30s or 2m, not '-5s'"],
  [
    { REKINDLE_HTTP_ADDRESS: 'localhost:99999' },
    "the HTTP endpoint address must be PORT or HOST:PORT (e.g. 127.0.0.1:9464), not 'localhost:99999'",
  ],
  [
    { REKINDLE_HTTP_ADDRESS: 'http://x:1' },
    "the HTTP endpoint address must be PORT or HOST:PORT (e.g. 127.0.0.1:9464), not 'http://x:1'",
  ],
  [{ REKINDLE_LOG_FORMAT: 'xml' }, "log format must be one of json, text, auto, not 'xml'"],
  [{ REKINDLE_LOG_LEVEL: 'loud' }, "log level must be one of trace, debug, info, warn, error, not 'loud'"],
])('rejects %j', (env, message) => {
  expect(() => loadConfig({ ...base, ...env })).toThrow(message);
});
