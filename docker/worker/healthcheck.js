#!/usr/bin/env node
// Compose healthcheck of the worker: asks the worker's own endpoint, GET /healthz on REKINDLE_HTTP_ADDRESS
// (docs/worker.md), which answers 200 when the worker polls its task queue and Temporal answers. Exit 0
// healthy, 1 not, with the endpoint's JSON (which part is wrong) on stderr.
'use strict';
const { get } = require('node:http');

const address = process.env.REKINDLE_HTTP_ADDRESS || '';
const m = /^(?:(.+):)?(\d+)$/.exec(address);
if (!m || address === 'off') {
  console.error('healthcheck: REKINDLE_HTTP_ADDRESS is not set, so the worker has no /healthz');
  process.exit(1);
}
const host = !m[1] || m[1] === '0.0.0.0' || m[1] === '[::]' ? '127.0.0.1' : m[1].replace(/^\[|\]$/g, '');
const req = get({ host, port: Number(m[2]), path: '/healthz', timeout: 5000 }, (res) => {
  let body = '';
  res.setEncoding('utf8');
  res.on('data', (d) => (body += d));
  res.on('end', () => {
    if (res.statusCode === 200) process.exit(0);
    console.error(`healthcheck: /healthz answered ${res.statusCode}: ${body.trim()}`);
    process.exit(1);
  });
});
req.on('timeout', () => req.destroy(new Error('no answer within 5 s')));
req.on('error', (err) => {
  console.error(`healthcheck: ${host}:${m[2]}/healthz: ${err.message}`);
  process.exit(1);
});
