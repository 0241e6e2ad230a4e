// Runs the hook against a local HTTP server: `node --test hooks/ecs-validate/`.
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import { after, before, test } from 'node:test';
import { handler } from './index.mjs';

let server;
let base;
const answers = [];
before(async () => {
  server = createServer((req, res) => {
    const status = answers.length ? answers.shift() : 200;
    res.writeHead(req.url === '/health' ? status : 404).end();
  });
  await new Promise((r) => server.listen(0, '127.0.0.1', r));
  base = `http://127.0.0.1:${server.address().port}`;
});
after(() => server.close());

const env = (path) => ({ TEST_URL: `${base}${path}`, POLL_MS: '10', DEADLINE_MS: '12000' });

test('a healthy service: SUCCEEDED', async () => {
  assert.deepEqual(await handler({}, undefined, env('/health')), { hookStatus: 'SUCCEEDED' });
});

test('an error from the app: FAILED at once', async () => {
  answers.push(500);
  assert.deepEqual(await handler({}, undefined, env('/health')), { hookStatus: 'FAILED' });
});

test('no healthy target yet (503), then healthy: SUCCEEDED', async () => {
  answers.push(503, 503);
  assert.deepEqual(await handler({}, undefined, env('/health')), { hookStatus: 'SUCCEEDED' });
});

test('nothing listening: FAILED after the deadline', async () => {
  const started = Date.now();
  const result = await handler({}, undefined, { TEST_URL: 'http://127.0.0.1:9/health', POLL_MS: '10', DEADLINE_MS: '10500' });
  assert.deepEqual(result, { hookStatus: 'FAILED' });
  assert.ok(Date.now() - started < 5000);
});

test('a wrong path: FAILED', async () => {
  assert.deepEqual(await handler({}, undefined, env('/nope')), { hookStatus: 'FAILED' });
});
