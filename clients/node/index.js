'use strict';
// pm2's programmatic API (pm2 7's lib/API.js: `const pm2 = require('pm2')`) on a jpm daemon.
// Every method takes pm2's arguments and calls back `(err, result)` as pm2 does; without a
// callback it returns a Promise (pm2 7 has none: it would print and exit instead). The calls
// beyond the everyday ones are in lib/more.js; docs/COMPAT.md lists pm2's calls one by one.
const path = require('path');
const { Connection } = require('./lib/connection');
const { Bus } = require('./lib/bus');
const daemon = require('./lib/daemon');
const reloadLock = require('./lib/reload-lock');
const { answer } = require('./lib/callback');
const { isEcosystemFile, appsOf, targetsOf } = require('./lib/apps');

/** pm2's `_operate` result: one entry per instance acted on. */
function operated(rows) {
  return rows.map((row) => ({
    name: row.name,
    namespace: (row.pm2_env && row.pm2_env.namespace) || 'default',
    pm_id: row.pm_id,
    status: (row.pm2_env && row.pm2_env.status) || row.status,
    restart_time: (row.pm2_env && row.pm2_env.restart_time) || 0,
    pm2_env: row.pm2_env || {},
  }));
}

/** An app's name as pm2's verifyConfs gives it: its own, else its script's file name without extension. */
function nameOf(app) {
  if (app.name !== undefined && app.name !== null) {
    return String(app.name);
  }
  return typeof app.script === 'string' ? path.basename(app.script, path.extname(app.script)) : undefined;
}

/**
 * What an app object changes in a running app when started again (pm2's current_conf): its options
 * but the ones fixed per run or given otherwise (pm2 drops exec_mode; the instance count is a scale).
 */
function optionsOf(app) {
  const { name, script, env, exec_mode, instances, force, ...options } = app;
  return Object.fromEntries(Object.entries(options).filter(([k, v]) => v !== undefined && !k.startsWith('env_')));
}

/** An app's env as the daemon takes it: every value a string. */
function stringEnv(env) {
  return Object.fromEntries(Object.entries(env || {}).map(([k, v]) => [k, typeof v === 'string' ? v : JSON.stringify(v)]));
}

class API {
  /**
   * pm2's `new pm2.custom(opts)`: `cwd`, the base of relative scripts and files (default: the
   * process's); `pm2_home` (or `jpm_home`), the JPM_HOME of this instance's daemon (default:
   * JPM_HOME, else ~/.jpm); `daemon_mode` as pm2 reports it.
   */
  constructor(opts = {}) {
    this.daemon_mode = opts.daemon_mode === undefined ? true : opts.daemon_mode;
    this.cwd = opts.cwd ? path.resolve(opts.cwd) : process.cwd();
    this.ownHome = opts.jpm_home || opts.pm2_home || null;
    /** @type {Connection | null} */
    this.connection = null;
    /** @type {Promise<object> | null} the connection under way */
    this.opening = null;
    /** @type {Set<Bus>} the buses launched, closed by disconnect as pm2's Client.close does */
    this.buses = new Set();
  }

  /** The JPM_HOME of this instance's daemon (read at each use: JPM_HOME may be set after require). */
  get pm2_home() {
    return this.ownHome || daemon.home();
  }

  /**
   * pm2.connect([noDaemon], cb): connects to the daemon, starting one when none runs (`jpm ping`,
   * lib/daemon.js). `noDaemon` true (pm2 1.x's in-process mode) sets daemon_mode false, as pm2's;
   * jpm has no in-process mode, so a daemon runs all the same.
   */
  connect(noDaemon, cb) {
    if (typeof cb !== 'function') {
      cb = noDaemon;
    } else if (noDaemon === true) {
      this.daemon_mode = false;
    }
    return answer(this.open(), cb);
  }

  /** Connects once: calls made before the first connection is up share it. */
  open() {
    if (this.connection && !this.connection.closed) {
      return Promise.resolve({ new_pm2_instance: false });
    }
    if (!this.opening) {
      this.opening = this.connectOrStart().finally(() => {
        this.opening = null;
      });
    }
    return this.opening;
  }

  async connectOrStart() {
    let started = false;
    let where = daemon.find(this.pm2_home);
    if (!where) {
      await daemon.start(this.pm2_home);
      started = true;
      where = daemon.find(this.pm2_home);
    }
    try {
      this.connection = await this.dial(where);
    } catch (e) {
      if (started) {
        throw e;
      }
      // a daemon.json left by a daemon killed with SIGKILL: start a fresh one, as the CLI does
      await daemon.start(this.pm2_home);
      started = true;
      this.connection = await this.dial(daemon.find(this.pm2_home));
    }
    return { new_pm2_instance: started };
  }

  async dial(where) {
    if (!where) {
      throw new Error('jpm: no daemon runs for ' + this.pm2_home + ' (no daemon.json)');
    }
    const connection = new Connection(where);
    await connection.open();
    return connection;
  }

  async call(address, body) {
    await this.open();
    return this.connection.request(address, body);
  }

  /** pm2.disconnect([cb]) (alias close): closes the connection and the buses; the program may exit. */
  disconnect(cb) {
    if (this.connection) {
      this.connection.close();
      this.connection = null;
    }
    for (const bus of this.buses) {
      bus.close();
    }
    this.buses.clear();
    return answer(Promise.resolve(), cb);
  }

  close(cb) {
    return this.disconnect(cb);
  }

  /** pm2.list([opts], cb): every process, as `pm2 jlist` prints them. */
  list(opts, cb) {
    return answer(this.call('jpm.query.list', {}), typeof opts === 'function' ? opts : cb);
  }

  /** pm2.describe(id or name, cb): the matching processes' jlist rows; [] when none. */
  describe(target, cb) {
    const rows = this.call('jpm.query.list', {}).then((list) =>
      list.filter((p) => (!isNaN(target) && p.pm_id == target) || (typeof target === 'string' && p.name === target))
    );
    return answer(rows, cb);
  }

  /**
   * pm2.start(options object | config object | script | ecosystem file, [opts], cb): cb(err,
   * procs), the jlist rows of the processes started. An object's apps that exist are restarted
   * with its env (pm2's _startJson), the others started.
   * @param {object | string} cmd
   * @param {object} [opts] pm2's options (name, instances, args, cwd, env, only...)
   */
  start(cmd, opts, cb) {
    if (typeof opts === 'function') {
      cb = opts;
      opts = {};
    }
    opts = opts || {};
    const started = typeof cmd === 'object' ? this.startApps(appsOf(cmd), 'restart', opts) : this.startRequest(cmd, opts, 'restart');
    return answer(started, cb);
  }

  async startRequest(cmd, opts, action) {
    const request = { cwd: this.cwd, env: { ...process.env }, action };
    if (typeof opts.env === 'string') {
      request.env_name = opts.env;
    }
    if (isEcosystemFile(cmd)) {
      request.file = path.resolve(this.cwd, cmd);
      if (opts.only) {
        request.only = [].concat(opts.only).flatMap((o) => String(o).split(','));
      }
    } else if (typeof cmd === 'string') {
      const { env, only, ...options } = opts;
      request.apps = [{ ...options, script: cmd }];
    } else {
      request.apps = [{ ...cmd }];
    }
    return this.rowsOf(await this.call('jpm.cmd.start', request));
  }

  /**
   * pm2's _startJson of an object: each app whose name runs (a nameless app's name is its script's,
   * as pm2's verifyConfs gives it) goes through `verb` with the app's env and its other options
   * (pm2's current_conf: watch, watch_delay, max_memory_restart...), the others start.
   */
  async startApps(apps, verb, opts) {
    const names = new Set((await this.call('jpm.query.list', { env: false })).map((p) => p.name));
    const rows = [];
    for (const app of apps) {
      const name = nameOf(app);
      if (name !== undefined && names.has(name)) {
        const env = { ...process.env, ...stringEnv(app.env) };
        const request = { targets: [name], cwd: this.cwd, update_env: true, env, options: optionsOf(app) };
        if (typeof opts.env === 'string') {
          request.env_name = opts.env;
        }
        rows.push(...(await this.rowsOf(await this.call('jpm.cmd.' + verb, request))));
      } else {
        rows.push(...(await this.startRequest(app, opts, 'restart')));
      }
    }
    return rows;
  }

  /** The jlist rows of the instances a command answered with summaries of. */
  async rowsOf(summaries) {
    const ids = new Set(summaries.map((s) => s.pm_id));
    return (await this.call('jpm.query.list', {})).filter((p) => ids.has(p.pm_id));
  }

  async act(address, target, extra) {
    const summaries = await this.call(address, { targets: targetsOf(target), cwd: this.cwd, ...extra });
    return operated(await this.rowsOf(summaries));
  }

  /** pm2.stop(id | name | 'all' | ecosystem file | options or config object, cb). */
  stop(target, cb) {
    return answer(this.act('jpm.cmd.stop', target), cb);
  }

  /** pm2.restart(target | ecosystem file | object, [opts], cb); opts.updateEnv as pm2's --update-env. */
  restart(target, opts, cb) {
    if (typeof opts === 'function') {
      cb = opts;
      opts = {};
    }
    return answer(this.restartOrReload('restart', target, opts || {}), cb);
  }

  /**
   * pm2.reload(target | ecosystem file | object, [opts], cb): a rolling reload of balanced apps.
   * Refused with pm2's 'Reload in progress' while another holds the reload lock (lib/reload-lock.js),
   * unless opts.force.
   */
  reload(target, opts, cb) {
    if (typeof opts === 'function') {
      cb = opts;
      opts = {};
    }
    opts = opts || {};
    const home = this.pm2_home;
    if (reloadLock.lock(home) > 0 && opts.force !== true) {
      return answer(Promise.reject(new Error('Reload in progress')), cb);
    }
    return answer(this.restartOrReload('reload', target, opts).finally(() => reloadLock.unlock(home)), cb);
  }

  async restartOrReload(verb, target, opts) {
    if (isEcosystemFile(target)) {
      return operated(await this.startRequest(target, opts, verb));
    }
    if (target !== null && typeof target === 'object') {
      return operated(await this.startApps(appsOf(target), verb, opts));
    }
    const extra = opts.updateEnv ? { update_env: true, env: { ...process.env } } : {};
    return this.act('jpm.cmd.' + verb, target, extra);
  }

  /** pm2.delete(target, [jsonVia], cb): as stop's targets. */
  delete(target, jsonVia, cb) {
    if (typeof jsonVia === 'function') {
      cb = jsonVia;
    }
    const deleted = this.call('jpm.cmd.delete', { targets: targetsOf(target), cwd: this.cwd }).then((summaries) =>
      summaries.map((s) => ({ name: s.name, namespace: 'default', pm_id: s.pm_id, status: 'stopped', restart_time: 0, pm2_env: {} }))
    );
    return answer(deleted, cb);
  }

  /** pm2.flush([target], cb): empties the log files (all apps without a target). */
  flush(target, cb) {
    if (typeof target === 'function') {
      cb = target;
      target = null;
    }
    const targets = target === null || target === undefined || target === 'all' ? [] : [String(target)];
    return answer(this.call('jpm.cmd.flush', { targets }), cb);
  }

  /** pm2.reloadLogs(cb): every log file reopened (after an outside rotation). */
  reloadLogs(cb) {
    return answer(this.call('jpm.cmd.reloadLogs', {}), cb);
  }

  /** pm2.dump([force], cb): saves the process list for resurrect (jpm's dump.json). */
  dump(force, cb) {
    if (typeof force === 'function') {
      cb = force;
      force = false;
    }
    // pm2's dump keeps the last list rather than saving none (the daemon keeps it too and says so)
    const saved = this.call('jpm.cmd.save', { force: Boolean(force) }).then((reply) => {
      if (reply.kept) {
        throw new Error('Process list empty, cannot save empty list');
      }
      return reply;
    });
    return answer(saved, cb);
  }

  /** pm2.killDaemon(cb) (alias kill): stops every app, then the daemon; this instance disconnects. */
  killDaemon(cb) {
    const killed = this.call('jpm.cmd.kill', {}).then((reply) => {
      this.disconnect();
      return reply;
    });
    return answer(killed, cb);
  }

  kill(cb) {
    return this.killDaemon(cb);
  }

  /**
   * pm2.launchBus(cb): cb(err, bus) once subscribed, the bus emitting process:event, log:out,
   * log:err, pm2:kill, process:msg and the types of apps' {type, data} packets. Like pm2's, it
   * starts no daemon: it waits for one, and follows each next daemon (lib/bus.js).
   */
  launchBus(cb) {
    const bus = new Bus(
      () => this.dial(daemon.find(this.pm2_home)),
      () => daemon.stoppedForGood(this.pm2_home)
    );
    this.buses.add(bus);
    return answer(bus.start(), cb);
  }

  /**
   * pm2.sendDataToProcessId(id, packet, cb) or (packet with its id, cb): the packet reaches the Node
   * app's process.on('message'); cb(err, {success: true, data: packet}).
   */
  sendDataToProcessId(id, packet, cb) {
    if (typeof id === 'object' && typeof packet === 'function') {
      cb = packet;
      packet = id;
    } else {
      packet.id = id;
    }
    if (packet.id === undefined || packet.data === undefined || !packet.topic) {
      return answer(Promise.reject(new Error('ID, DATA or TOPIC field is missing')), cb);
    }
    const sent = this.call('jpm.cmd.sendData', { pm_id: Number(packet.id), packet }).then(() => ({ success: true, data: packet }));
    return answer(sent, cb);
  }
}

// descriptors, not values: internals' Client is a getter of each instance
for (const calls of [require('./lib/unsupported'), require('./lib/more'), require('./lib/internals').internals]) {
  Object.defineProperties(API.prototype, Object.getOwnPropertyDescriptors(calls));
}

module.exports = new API();
module.exports.custom = API;
