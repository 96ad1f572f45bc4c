#!/usr/bin/env node
// Compose healthcheck of the worker: healthy when the Temporal frontend lists this container among the
// recent pollers of the task queue, for workflow and activity tasks both. The SDK's default worker identity is
// `<pid>@<hostname>`, and docker-compose.yml gives the container a fixed hostname. Exit 0 healthy, 1 not.
'use strict';
const { hostname } = require('node:os');
const { Connection } = require('@temporalio/client');

const address = process.env.REKINDLE_TEMPORAL_ADDRESS || '127.0.0.1:7233';
const namespace = process.env.REKINDLE_NAMESPACE || 'default';
const taskQueue = process.env.REKINDLE_TASK_QUEUE || 'rekindle';
const TASK_QUEUE_KIND_NORMAL = 1;
const TASK_QUEUE_TYPES = { workflow: 1, activity: 2 };

async function main() {
  const connection = await Connection.connect({ address, connectTimeout: 5000 });
  try {
    const missing = [];
    for (const [name, taskQueueType] of Object.entries(TASK_QUEUE_TYPES)) {
      const res = await connection.workflowService.describeTaskQueue({
        namespace,
        taskQueue: { name: taskQueue, kind: TASK_QUEUE_KIND_NORMAL },
        taskQueueType,
      });
      const mine = (res.pollers || []).some((p) => (p.identity || '').includes(hostname()));
      if (!mine) missing.push(name);
    }
    if (missing.length > 0) {
      console.error(`no ${missing.join(' or ')} poller from ${hostname()} on task queue ${taskQueue} at ${address}`);
      return 1;
    }
    return 0;
  } finally {
    await connection.close();
  }
}

main().then(
  (code) => process.exit(code),
  (err) => {
    console.error(`healthcheck failed: ${err && err.message ? err.message : err}`);
    process.exit(1);
  },
);
