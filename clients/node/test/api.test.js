'use strict';
// pm2's programmatic API as pm2's own tests (test/programmatic) call it, against a real daemon;
// each expectation is what pm2 7.0.4 answered to the same call (docs/COMPAT.md).
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const path = require('path');
const { execFileSync } = require('child_process');
const { skip, fixtures, called, until } = require('./helpers');
const pm2 = require('..');

const dir = skip ? null : fixtures();

test.after(() => pm2.disconnect());

test("custom({cwd}) is the base of relative scripts; start's procs are the jlist rows, version read", { skip }, async () => {
  const api = new pm2.custom({ cwd: dir });
  assert.strictEqual(api.cwd, dir);
  const [err, procs] = await called((cb) => api.start({ script: './app.js', name: 'cwd-app' }, cb));
  assert.ifError(err);
  assert.strictEqual(procs.length, 1);
  assert.strictEqual(procs[0].pm2_env.name, 'cwd-app');
  assert.strictEqual(procs[0].pm2_env.pm_exec_path, path.join(dir, 'app.js'));
  assert.strictEqual(procs[0].pm2_env.version, '1.2.3');
  const [, rows] = await called((cb) => api.describe('cwd-app', cb));
  assert.strictEqual(rows[0].pm2_env.version, '1.2.3');
  await api.delete('cwd-app');
  api.disconnect();
});

test('connect(true), pm2 1.x in-process mode, reports daemon_mode false as pm2 does', { skip }, async () => {
  const api = new pm2.custom();
  assert.strictEqual(api.daemon_mode, true);
  const [err] = await called((cb) => api.connect(true, cb));
  assert.ifError(err);
  assert.strictEqual(api.daemon_mode, false);
  api.disconnect();
});

test("pm2's other calls: scale, reset, getProcessIdByName, ping, getVersion", { skip }, async () => {
  const api = new pm2.custom({ cwd: dir });
  await api.start({ script: './app.js', name: 'more' });
  assert.deepStrictEqual(await called((cb) => api.scale('more', 3, cb)), [null, { success: true }]);
  assert.strictEqual((await called((cb) => api.scale('more', 3, cb)))[0].message, 'Same process number');
  assert.strictEqual((await called((cb) => api.scale('nothing-here', 3, cb)))[0].message, 'App not found');
  assert.deepStrictEqual(await called((cb) => api.scale('more', '-1', cb)), [null, { success: true }]);
  const [, ids] = await called((cb) => api.getProcessIdByName('more', cb));
  assert.strictEqual(ids.length, 2);
  assert.deepStrictEqual(await called((cb) => api.getProcessIdByName('nothing-here', cb)), [null, []]);
  assert.deepStrictEqual(await called((cb) => api.reset('more', cb)), [null, { success: true }]);
  assert.strictEqual((await called((cb) => api.reset('nothing-here', cb)))[0].message, 'Unknown process name');
  const [, pong] = await called((cb) => api.ping(cb));
  assert.strictEqual(pong.msg, 'pong');
  const [, version] = await called((cb) => api.getVersion(cb));
  assert.match(version, /^\d+\.\d+/);
  const [, pids] = await called((cb) => api.getPID('more', cb));
  assert.strictEqual(pids.length, 2);
  // every other name of pm2's API answers, saying why it is not supported
  assert.match((await called((cb) => api.monit(cb)))[0].message, /pm2.monit is not supported/);
  await api.delete('more');
  api.disconnect();
});

test('dump, clearDump, resurrect; actionFromJson; uninstall says why not', { skip }, async () => {
  const api = new pm2.custom({ cwd: dir });
  await api.start({ script: './app.js', name: 'saved' });
  assert.ifError((await called((cb) => api.dump(cb)))[0]);
  assert.deepStrictEqual(await called((cb) => api.clearDump(cb)), [null, undefined]);
  const [err, acted] = await called((cb) => api.actionFromJson('stopProcessId', { apps: [{ name: 'saved', script: './app.js' }] }, {}, cb));
  assert.ifError(err);
  assert.deepStrictEqual(
    acted.map((p) => [p.name, p.pm2_env.status]),
    [['saved', 'stopped']]
  );
  const [, resurrected] = await called((cb) => api.resurrect(cb));
  assert.deepStrictEqual(resurrected.started, []); // the dump was cleared
  assert.match((await called((cb) => api.uninstall('pm2-slack', cb)))[0].message, /modules are not supported/);
  await api.delete('saved');
  api.disconnect();
});

// an app that declares the action 'hello' and answers it as @pm2/io does (axm:action, axm:reply)
const ACTION_APP = `process.send({ type: 'axm:action', data: { action_name: 'hello', action_type: 'custom', arity: 2 } });
process.on('message', (m) => {
  if ((typeof m === 'string' ? m : m && m.msg) === 'hello') {
    process.send({ type: 'axm:reply', data: { return: { said: 'hi', opts: m.opts === undefined ? null : m.opts }, action_name: 'hello' } });
  }
});
setInterval(() => {}, 1000);
`;

test("trigger runs an app's action and calls back pm2's axm:reply packets; msgProcess counts; pm2's errors", { skip }, async () => {
  const api = new pm2.custom({ cwd: dir });
  fs.writeFileSync(path.join(dir, 'action.js'), ACTION_APP);
  await api.start({ script: './action.js', name: 'act', instances: 2, exec_mode: 'fork' });
  await until('both instances declare hello', async () => {
    const rows = await api.describe('act');
    return rows.length === 2 && rows.every((p) => (p.pm2_env.axm_actions || []).some((a) => a.action_name === 'hello'));
  });
  const ids = (await api.describe('act')).map((p) => p.pm_id).sort();
  const [err, results] = await called((cb) => api.trigger('act', 'hello', { x: 1 }, cb));
  assert.ifError(err);
  assert.deepStrictEqual(
    results.map((r) => [r.process, r.data]).sort((a, b) => a[0].pm_id - b[0].pm_id),
    ids.map((id) => [{ pm_id: id, name: 'act', namespace: 'default' }, { return: { said: 'hi', opts: { x: 1 } }, action_name: 'hello' }])
  );
  assert.ok(results.every((r) => typeof r.at === 'number'));
  const [, one] = await called((cb) => api.trigger(ids[0], 'hello', cb));
  assert.deepStrictEqual(one.map((r) => [r.process.pm_id, r.data.return]), [[ids[0], { said: 'hi', opts: null }]]);
  assert.deepStrictEqual(await called((cb) => api.msgProcess({ name: 'act', msg: 'hello' }, cb)), [null, { process_count: 2, success: true }]);
  assert.strictEqual((await called((cb) => api.trigger('act', 'nope', cb)))[0].message, 'Unknown process');
  assert.strictEqual((await called((cb) => api.trigger('nothing-here', 'hello', cb)))[0].message, 'Unknown process');
  assert.strictEqual((await called((cb) => api.trigger(ids[0], 'nope', cb)))[0].message, "Action doesn't exist nope for act");
  assert.strictEqual((await called((cb) => api.trigger(9999, 'hello', cb)))[0].message, '9999 id unknown');
  await api.delete('act');
  api.disconnect();
});

test('stop, restart and delete take an options object or a config object', { skip }, async () => {
  const api = new pm2.custom({ cwd: dir });
  const app = { script: './app.js', name: 'obj' };
  await api.start(app);
  const [err, stopped] = await called((cb) => api.stop(app, cb));
  assert.ifError(err);
  assert.deepStrictEqual(
    stopped.map((p) => [p.name, p.status]),
    [['obj', 'stopped']]
  );
  const [, restarted] = await called((cb) => api.restart({ apps: [app] }, cb));
  assert.deepStrictEqual(
    restarted.map((p) => [p.name, p.status]),
    [['obj', 'online']]
  );
  const [, deleted] = await called((cb) => api.delete({ apps: [app] }, cb));
  assert.deepStrictEqual(
    deleted.map((p) => p.name),
    ['obj']
  );
  api.disconnect();
});

test("a config file's pid_file '~/...' is in the caller's $HOME, as pm2 resolves it", { skip }, async () => {
  const home = fs.mkdtempSync(path.join(dir, 'home-'));
  fs.writeFileSync(
    path.join(dir, 'pids.config.js'),
    "module.exports = { apps: [{ name: 'pidded', script: './app.js', pid_file: '~/p.pid' }] };\n"
  );
  const api = new pm2.custom({ cwd: dir });
  const before = process.env.HOME;
  process.env.HOME = home;
  try {
    const [err, procs] = await called((cb) => api.start('pids.config.js', cb));
    assert.ifError(err);
    assert.strictEqual(procs[0].pm2_env.pm_pid_path, path.join(home, 'p-' + procs[0].pm_id + '.pid'));
  } finally {
    process.env.HOME = before;
    await api.delete('pidded');
    api.disconnect();
  }
});

test('an unknown uid: the user "cannot be found", as pm2 says', { skip: skip || (process.getuid() !== 0 && 'uid needs a root daemon') }, async () => {
  const api = new pm2.custom({ cwd: dir });
  const [err] = await called((cb) => api.start({ script: './app.js', name: 'as-ghost', uid: 'no-such-user-jpm' }, cb));
  assert.match(err.message, /User no-such-user-jpm cannot be found/);
  api.disconnect();
});

test("an exception thrown in a callback surfaces at once (uncaught), not as a promise's rejection", { skip }, () => {
  const script = [
    "const pm2 = require(" + JSON.stringify(path.join(__dirname, '..')) + ');',
    "process.on('uncaughtException', (e) => { console.log('uncaught ' + e.message); process.exit(0); });",
    "process.on('unhandledRejection', (e) => { console.log('rejection ' + e.message); process.exit(0); });",
    "pm2.list(() => { throw new Error('from the callback'); });",
  ].join('\n');
  const out = execFileSync(process.execPath, ['-e', script], { env: process.env, encoding: 'utf8' });
  assert.strictEqual(out, 'uncaught from the callback\n');
});

test("an exception thrown by a bus listener surfaces at once too, as from pm2's bus", { skip }, async () => {
  const script = [
    "const pm2 = require(" + JSON.stringify(path.join(__dirname, '..')) + ');',
    "process.on('uncaughtException', (e) => { console.log('uncaught ' + e.message); process.exit(0); });",
    "process.on('unhandledRejection', (e) => { console.log('rejection ' + e.message); process.exit(0); });",
    '(async () => {',
    '  const bus = await pm2.launchBus();',
    "  bus.on('process:event', () => { throw new Error('from a listener'); });",
    '  await pm2.start({ script: ' + JSON.stringify(path.join(dir, 'app.js')) + ", name: 'thrower' });",
    '})();',
  ].join('\n');
  try {
    const out = execFileSync(process.execPath, ['-e', script], { env: process.env, encoding: 'utf8' });
    assert.strictEqual(out, 'uncaught from a listener\n');
  } finally {
    await pm2.delete('thrower');
  }
});
