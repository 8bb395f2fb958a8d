'use strict';
// jpm's process events as pm2's bus names them (lib/events.js), one command at a time; the
// sequences are jpm's events for each command as the daemon publishes them (docs/PROTOCOL.md).
const test = require('node:test');
const assert = require('node:assert');
const { pm2Events, pm2Message } = require('../lib/events');

function names(events) {
  const asked = new Map();
  return events.flatMap(([from, to, reason]) => pm2Events({ pm_id: 0, from, to, reason }, asked).map((e) => e.event));
}

function manual(events) {
  const asked = new Map();
  return events
    .flatMap(([from, to, reason]) => pm2Events({ pm_id: 0, from, to, reason }, asked))
    .filter((e) => e.manually)
    .map((e) => e.event);
}

test('a restart gives exit, exit, online, restart as under pm2 7.0.4', () => {
  assert.deepStrictEqual(
    names([
      ['online', 'stopping', 'restart asked'],
      ['stopping', 'stopped', 'exit after a stop: killed by SIGINT'],
      ['stopped', 'launching', 'restart asked'],
      ['launching', 'online', 'spawned pid 2'],
    ]),
    ['exit', 'exit', 'online', 'restart']
  );
});

test('a stop then a delete: no delete event, as under pm2 7.0.4', () => {
  assert.deepStrictEqual(
    names([
      ['online', 'stopping', 'stop asked'],
      ['stopping', 'stopped', 'exit after a stop: killed by SIGINT'],
      ['stopped', 'deleted', 'deleted'],
    ]),
    ['exit', 'exit', 'stop']
  );
});

test('a crash and its automatic restart, then giving up', () => {
  assert.deepStrictEqual(
    names([
      ['online', 'waiting restart', 'exited with code 1; restart in 100 ms'],
      ['waiting restart', 'launching', 'restart delay over'],
      ['launching', 'online', 'spawned pid 3'],
      ['online', 'errored', 'too many unstable restarts'],
    ]),
    ['exit', 'online', 'restart overlimit', 'exit']
  );
});

test('a start of a new app gives online, then start (manually) as under pm2 7.0.4; a takeover is nothing', () => {
  const start = [
    ['stopped', 'launching', 'start'],
    ['launching', 'online', 'spawned pid 4'],
    ['online', 'online', 'taken over by a fresh God (generation 2): pid 4 runs on'],
  ];
  assert.deepStrictEqual(names(start), ['online', 'start']);
  assert.deepStrictEqual(manual(start), ['start']);
});

test('a start of a stopped app restarts it: online, then restart, as under pm2 7.0.4', () => {
  assert.deepStrictEqual(
    names([
      ['stopped', 'launching', 'start of existing process'],
      ['launching', 'online', 'spawned pid 5'],
    ]),
    ['online', 'restart']
  );
});

test('only the notices of commands are manual: stop; exits and online are not', () => {
  assert.deepStrictEqual(
    manual([
      ['online', 'stopping', 'stop asked'],
      ['stopping', 'stopped', 'exit after a stop: killed by SIGINT'],
      ['stopped', 'deleted', 'deleted'],
    ]),
    ['stop']
  );
});

test("an app's messages: a typed packet under its type, anything else as process:msg", () => {
  const typed = pm2Message({ app: 'api', pm_id: 1, message: { type: 'custom:event', data: { n: 1 } }, time: 5 });
  assert.strictEqual(typed.name, 'custom:event');
  assert.deepStrictEqual(typed.packet.data, { n: 1 });
  const raw = pm2Message({ app: 'api', pm_id: 1, message: 'hello', time: 5 });
  assert.strictEqual(raw.name, 'process:msg');
  assert.strictEqual(raw.packet.raw, 'hello');
  assert.deepStrictEqual(raw.packet.process, { pm_id: 1, name: 'api', versioning: null, namespace: 'default' });
});
