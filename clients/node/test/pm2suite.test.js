'use strict';
// What pm2's own programmatic tests (Unitech/pm2 test/programmatic, run by compat/pm2-programmatic.sh)
// found missing, call by call, against a real daemon; each expectation is what pm2 7.0.4 does there.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { skip, fixtures, called, until, BASE } = require('./helpers');
const pm2 = require('..');

const dir = skip ? null : fixtures();
/** A call whose answer never comes fails its own test, by name, instead of holding up the run. */
const LIMIT_MS = 60000;

test.after(() => pm2.disconnect());

test('PM2.Client says daemon_mode as the API does (api.backward.compatibility)', { skip, timeout: LIMIT_MS }, async () => {
  const api = new pm2.custom();
  assert.strictEqual(api.Client.daemon_mode, true);
  await called((cb) => api.connect(true, cb));
  assert.strictEqual(api.Client.daemon_mode, false);
  assert.strictEqual(api.Client.pm2_home, api.pm2_home);
  api.disconnect();
});

test("start of an object: a nameless app's name is its script's; started again it restarts with its options (watcher, programmatic)", { skip, timeout: LIMIT_MS }, async () => {
  const api = new pm2.custom({ cwd: dir });
  const [err, first] = await called((cb) => api.start({ script: './app.js' }, cb));
  assert.ifError(err);
  assert.strictEqual(first[0].name, 'app');
  const [again, rows] = await called((cb) => api.start({ script: './app.js', watch: true, watch_delay: 4000 }, cb));
  assert.ifError(again); // pm2 restarts the app of that name, never 'Script already launched'
  assert.deepStrictEqual(
    rows.map((p) => [p.name, p.pm2_env.restart_time, p.pm2_env.watch, p.pm2_env.watch_delay]),
    [['app', 1, true, 4000]]
  );
  const [, off] = await called((cb) => api.restart({ name: 'app', script: './app.js', watch: false }, cb));
  assert.deepStrictEqual(off.map((p) => p.pm2_env.watch), [false]);
  await api.delete('app');
  api.disconnect();
});

test('_startJson starts, then restarts, the apps of an object or a file; another action is refused', { skip, timeout: LIMIT_MS }, async () => {
  const api = new pm2.custom({ cwd: dir });
  const config = { apps: [{ name: 'json-app', script: './app.js' }] };
  const [err] = await called((cb) => api._startJson(config, {}, 'restartProcessId', cb));
  assert.ifError(err);
  const [, rows] = await called((cb) => api._startJson(config, {}, 'restartProcessId', cb));
  assert.deepStrictEqual(rows.map((p) => [p.name, p.pm2_env.restart_time]), [['json-app', 1]]);
  assert.strictEqual((await called((cb) => api._startJson(config, {}, 'deleteProcessId', cb)))[0].message, 'Wrong action called');
  await api.delete('json-app');
  api.disconnect();
});

test("pm2_env lists the app's cwd as given, and uid and gid of an app run as a user (programmatic, user_management)", { skip, timeout: LIMIT_MS }, async () => {
  const api = new pm2.custom({ cwd: dir });
  const given = dir + path.sep; // as pm2 lists it, the trailing separator kept
  const [, rows] = await called((cb) => api.start({ script: './app.js', name: 'in-cwd', cwd: given }, cb));
  assert.strictEqual(rows[0].pm2_env.cwd, given);
  assert.strictEqual(rows[0].pm2_env.uid, undefined);
  if (process.getuid() === 0) {
    const [err, as] = await called((cb) => api.start({ script: './app.js', name: 'as-user', user: os.userInfo().username }, cb));
    assert.ifError(err);
    assert.deepStrictEqual([as[0].pm2_env.uid, as[0].pm2_env.gid], [0, 0]);
    await api.delete('as-user');
  }
  await api.delete('in-cwd');
  api.disconnect();
});

test("a restart reads the app's package.json version again (version)", { skip, timeout: LIMIT_MS }, async () => {
  const own = fs.mkdtempSync(path.join(BASE, 'jpm-pm2-version-'));
  fs.writeFileSync(path.join(own, 'app.js'), 'setInterval(() => {}, 1000);\n');
  fs.writeFileSync(path.join(own, 'package.json'), '{"version":"1.0.0"}\n');
  const api = new pm2.custom({ cwd: own });
  const [, rows] = await called((cb) => api.start('./app.js', { name: 'versioned' }, cb));
  assert.strictEqual(rows[0].pm2_env.version, '1.0.0');
  fs.writeFileSync(path.join(own, 'package.json'), '{"version":"2.0.0"}\n');
  await api.restart('versioned');
  assert.strictEqual((await api.describe('versioned'))[0].pm2_env.version, '2.0.0');
  await api.delete('versioned');
  api.disconnect();
});

test('dump refuses an empty list unless forced; resurrect() with no dump is false at once (dump, misc_commands)', { skip, timeout: LIMIT_MS }, async () => {
  const api = new pm2.custom({ cwd: dir });
  await api.delete('all').catch(() => {});
  assert.strictEqual((await called((cb) => api.dump(cb)))[0].message, 'Process list empty, cannot save empty list');
  assert.ifError((await called((cb) => api.dump(true, cb)))[0]);
  api.disconnect();
  // pm2's home files in a home of pm2's names: a dump and a .bak that do not parse are deleted
  const home = fs.mkdtempSync(path.join(BASE, 'jpm-pm2-nodump-'));
  fs.writeFileSync(path.join(home, 'pm2.pid'), '1\n');
  fs.writeFileSync(path.join(home, 'dump.pm2'), '[{');
  fs.writeFileSync(path.join(home, 'dump.pm2.bak'), '[{');
  const none = new pm2.custom({ pm2_home: home });
  assert.strictEqual(none.resurrect(), false);
  assert.deepStrictEqual(fs.readdirSync(home), ['pm2.pid']);
});

test('a reload holds the reload lock: another is refused until it ends, then the lock is empty (reload-locker)', { skip, timeout: LIMIT_MS }, async () => {
  const api = new pm2.custom({ cwd: dir });
  await api.start({ script: './app.js', name: 'locked', instances: 2 });
  const lock = path.join(api.pm2_home, 'reload.lock');
  const first = called((cb) => api.reload('all', cb));
  assert.ok(parseInt(fs.readFileSync(lock, 'utf8'), 10) > 0);
  assert.strictEqual((await called((cb) => api.reload('all', cb)))[0].message, 'Reload in progress');
  assert.ifError((await first)[0]);
  assert.strictEqual(fs.readFileSync(lock, 'utf8'), '');
  assert.ifError((await called((cb) => api.reload('locked', { force: true }, cb)))[0]);
  await api.delete('locked');
  api.disconnect();
});

test("a Node app that only listens for the daemon's packets stays up and answers (send_data_process)", { skip, timeout: LIMIT_MS }, async () => {
  const api = new pm2.custom({ cwd: dir });
  fs.writeFileSync(
    path.join(dir, 'listener.js'),
    "process.on('message', (p) => process.send({ type: 'process:msg', data: { echo: p.data } }));\n"
  );
  const bus = await api.launchBus();
  const [, rows] = await called((cb) => api.start({ script: './listener.js', name: 'listener' }, cb));
  const answered = new Promise((resolve) => bus.on('process:msg', (m) => m.process.name === 'listener' && resolve(m.data)));
  await until('the listener is online', async () => (await api.describe('listener'))[0].pm2_env.status === 'online');
  const [err] = await called((cb) => api.sendDataToProcessId(rows[0].pm_id, { topic: 't', data: { hi: 1 } }, cb));
  assert.ifError(err);
  assert.deepStrictEqual(await answered, { echo: { hi: 1 } });
  bus.off('process:msg'); // every listener of the event, as pm2's bus (EventEmitter2) does
  assert.strictEqual(bus.listenerCount('process:msg'), 0);
  // it never exited: no restart since its start
  assert.strictEqual((await api.describe('listener'))[0].pm2_env.restart_time, 0);
  await api.delete('listener');
  api.disconnect();
});
