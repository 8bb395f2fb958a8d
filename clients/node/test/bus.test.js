'use strict';
// The bus follows the daemon as pm2's does (lib/bus.js), against a real daemon of the test's own
// home: after `jpm kill` and a new start, after a daemon SIGKILLed (its keeper starts the next),
// and after pm2.update(). What pm2 7.0.4's bus did in each case, measured with a launchBus script
// and a private PM2_HOME: `pm2 kill` gives the apps' exits then pm2:kill "pm2 has been killed via
// CLI", a SIGKILLed daemon nothing; its sub socket reconnects and the next daemon's events come.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const { BASE, skip, fixtures, until } = require('./helpers');
const pm2 = require('..');

const dir = skip ? null : fixtures();
const home = skip ? null : fs.mkdtempSync(path.join(BASE, 'jpm-pm2-bus-'));
// the bus's own instance, and another that commands, as a tool's process and a CLI are apart:
// pm2's killDaemon and update close the bus of the instance that calls them (Client.close)
const listener = new pm2.custom({ pm2_home: home });
const api = new pm2.custom({ cwd: dir, pm2_home: home });
/** Everything the bus emitted, in order: [name, packet]. */
const heard = [];
let bus;

function events(name) {
  return heard.filter(([n, p]) => n === 'process:event' && p.process.name === name).map(([, p]) => p.event);
}

async function heardStartOf(name) {
  await api.start({ script: './app.js', name });
  await until(name + "'s start event", () => events(name).includes('start'));
}

test.before(async () => {
  if (skip) {
    return;
  }
  await api.connect();
  bus = await listener.launchBus();
  const emit = bus.emit.bind(bus);
  bus.emit = (name, packet) => {
    heard.push([name, packet]);
    return emit(name, packet);
  };
});

test.after(async () => {
  if (!skip) {
    if (fs.existsSync(path.join(home, 'jpm.pid'))) {
      await api.killDaemon().catch(() => {});
    }
    api.disconnect();
    listener.disconnect();
  }
});

test("a start gives online, then start with manually: true, as pm2's God notifies it", { skip }, async () => {
  await heardStartOf('first');
  const start = heard.find(([n, p]) => n === 'process:event' && p.process.name === 'first' && p.event === 'start')[1];
  assert.strictEqual(start.manually, true);
  assert.deepStrictEqual(events('first'), ['online', 'start']);
});

test('after jpm kill: the exits, then pm2:kill; the next daemon is heard', { skip }, async () => {
  const from = heard.length;
  await api.killDaemon();
  await until('pm2:kill', () => heard.slice(from).some(([n]) => n === 'pm2:kill'));
  const names = heard.slice(from).map(([n, p]) => (n === 'process:event' ? p.event : n));
  assert.deepStrictEqual(names, ['exit', 'exit', 'pm2:kill']);
  assert.deepStrictEqual(heard[heard.length - 1][1], { status: 'killed', msg: 'pm2 has been killed via CLI' });
  const subscribed = bus.subscriptions;
  await api.connect(); // starts the next daemon
  await until('the bus on the next daemon', () => bus.subscriptions > subscribed);
  await heardStartOf('after-kill');
});

test('after a SIGKILLed daemon (its keeper starts the next): no pm2:kill, the next daemon is heard', { skip }, async () => {
  const from = heard.length;
  const subscribed = bus.subscriptions;
  process.kill(Number(fs.readFileSync(path.join(home, 'jpm.pid'), 'utf8').trim()), 'SIGKILL');
  await until('the bus on the next daemon', () => bus.subscriptions > subscribed);
  await heardStartOf('after-crash');
  assert.ok(!heard.slice(from).some(([n]) => n === 'pm2:kill'), 'a crash is no kill');
});

test('after pm2.update(): the apps run on, the next daemon is heard', { skip }, async () => {
  const [before] = await api.describe('after-crash');
  const subscribed = bus.subscriptions;
  assert.deepStrictEqual(await api.update(), { success: true });
  await until('the bus on the next daemon', () => bus.subscriptions > subscribed);
  const [after] = await api.describe('after-crash');
  assert.strictEqual(after.pid, before.pid);
  await heardStartOf('after-update');
});

test('after jpm kill of a daemon with no app running: pm2:kill, as pm2 says it', { skip }, async () => {
  await api.delete('all');
  const from = heard.length;
  await api.killDaemon();
  await until('pm2:kill', () => heard.slice(from).some(([n]) => n === 'pm2:kill'));
  // (the deleted apps' last events may come after the delete's answer)
  assert.deepStrictEqual(
    heard
      .slice(from)
      .map(([n]) => n)
      .filter((n) => n !== 'process:event'),
    ['pm2:kill']
  );
});
