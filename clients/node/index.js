'use strict';
// pm2's programmatic API (pm2 7's lib/API.js: `const pm2 = require('pm2')`) on a jpm daemon.
// Every method takes pm2's arguments and calls back `(err, result)` as pm2 does; without a
// callback it returns a Promise (pm2 7 has none: it would print and exit instead).
const path = require('path');
const { Connection } = require('./lib/connection');
const { Bus } = require('./lib/bus');
const daemon = require('./lib/daemon');

/** pm2's rule for a config file rather than a script (Common.isConfigFile). */
const ECOSYSTEM_FILE = /(\.json|\.ya?ml|\.config\.[cm]?js)$/;

/**
 * Calls `cb(err, result)` when given, else returns the promise.
 * @template T
 * @param {Promise<T>} promise
 * @param {Function} [cb]
 */
function answer(promise, cb) {
  if (typeof cb !== 'function') {
    return promise;
  }
  promise.then(
    (result) => cb(null, result),
    (error) => cb(error)
  );
  return undefined;
}

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

class API {
  constructor() {
    /** @type {Connection | null} */
    this.connection = null;
    /** @type {Promise<object> | null} the connection under way */
    this.opening = null;
  }

  /**
   * pm2.connect([noDaemon], cb): connects to the daemon of JPM_HOME, starting one when none runs
   * (`jpm ping`, see lib/daemon.js). jpm has no in-process mode: noDaemon is ignored.
   */
  connect(noDaemon, cb) {
    if (typeof noDaemon === 'function') {
      cb = noDaemon;
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
    let where = daemon.find();
    if (!where) {
      await daemon.start();
      started = true;
      where = daemon.find();
    }
    try {
      this.connection = await this.dial(where);
    } catch (e) {
      if (started) {
        throw e;
      }
      // a daemon.json left by a daemon killed with SIGKILL: start a fresh one, as the CLI does
      await daemon.start();
      started = true;
      this.connection = await this.dial(daemon.find());
    }
    return { new_pm2_instance: started };
  }

  async dial(where) {
    if (!where) {
      throw new Error('jpm: no daemon.json in ' + daemon.home() + ' after starting the daemon');
    }
    const connection = new Connection(where);
    await connection.open();
    return connection;
  }

  async call(address, body) {
    await this.open();
    return this.connection.request(address, body);
  }

  /** pm2.disconnect([cb]) (alias close): lets the program exit. */
  disconnect(cb) {
    if (this.connection) {
      this.connection.close();
      this.connection = null;
    }
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
   * pm2.start(options object | script | ecosystem file, [opts], cb): cb(err, processes started).
   * @param {object | string} cmd
   * @param {object} [opts] pm2's options (name, instances, args, cwd, env, only...)
   */
  start(cmd, opts, cb) {
    if (typeof opts === 'function') {
      cb = opts;
      opts = {};
    }
    return answer(this.startRequest(cmd, opts || {}, 'restart'), cb);
  }

  async startRequest(cmd, opts, action) {
    const cwd = (typeof cmd === 'object' && cmd.cwd) || opts.cwd || process.cwd();
    const request = { cwd, env: { ...process.env }, action };
    if (typeof opts.env === 'string') {
      request.env_name = opts.env;
    }
    if (typeof cmd === 'string' && ECOSYSTEM_FILE.test(cmd)) {
      request.file = path.resolve(cwd, cmd);
      if (opts.only) {
        request.only = [].concat(opts.only).flatMap((o) => String(o).split(','));
      }
    } else if (typeof cmd === 'string') {
      const { env, only, ...options } = opts;
      request.apps = [{ ...options, script: cmd }];
    } else {
      request.apps = [{ ...cmd }];
    }
    const started = await this.call('jpm.cmd.start', request);
    return this.rowsOf(started);
  }

  /** The jlist rows of the instances a command answered with summaries of. */
  async rowsOf(summaries) {
    const ids = new Set(summaries.map((s) => s.pm_id));
    return (await this.call('jpm.query.list', {})).filter((p) => ids.has(p.pm_id));
  }

  async act(address, target, extra) {
    const summaries = await this.call(address, { targets: [String(target)], cwd: process.cwd(), ...extra });
    return operated(await this.rowsOf(summaries));
  }

  /** pm2.stop(target, cb). */
  stop(target, cb) {
    return answer(this.act('jpm.cmd.stop', target), cb);
  }

  /** pm2.restart(target | ecosystem file, [opts], cb); opts.updateEnv as pm2's --update-env. */
  restart(target, opts, cb) {
    if (typeof opts === 'function') {
      cb = opts;
      opts = {};
    }
    return answer(this.restartOrReload('restart', target, opts || {}), cb);
  }

  /** pm2.reload(target | ecosystem file, [opts], cb): a rolling reload of balanced apps. */
  reload(target, opts, cb) {
    if (typeof opts === 'function') {
      cb = opts;
      opts = {};
    }
    return answer(this.restartOrReload('reload', target, opts || {}), cb);
  }

  async restartOrReload(verb, target, opts) {
    if (typeof target === 'string' && ECOSYSTEM_FILE.test(target)) {
      return operated(await this.startRequest(target, opts, verb));
    }
    const extra = opts.updateEnv ? { update_env: true, env: { ...process.env } } : {};
    return this.act('jpm.cmd.' + verb, target, extra);
  }

  /** pm2.delete(target, [jsonVia], cb). */
  delete(target, jsonVia, cb) {
    if (typeof jsonVia === 'function') {
      cb = jsonVia;
    }
    const deleted = this.call('jpm.cmd.delete', { targets: [String(target)], cwd: process.cwd() }).then((summaries) =>
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
    return answer(this.call('jpm.cmd.save', { force: Boolean(force) }), cb);
  }

  /** pm2.killDaemon(cb) (alias kill): stops every app, then the daemon. */
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
   * pm2.launchBus(cb): cb(err, bus), the bus emitting process:event, log:out, log:err, pm2:kill,
   * process:msg and the types of apps' {type, data} packets.
   */
  launchBus(cb) {
    const bus = this.open()
      .then(() => this.dial(daemon.find()))
      .then((connection) => new Bus(connection).start());
    return answer(bus, cb);
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

  /** pm2.trigger: pmx actions have no equivalent in jpm; calls back an error. */
  trigger(id, action, params, cb) {
    const callback = [params, cb].find((a) => typeof a === 'function');
    return answer(Promise.reject(new Error('jpm: trigger (pmx actions) is not supported (docs/COMPAT.md)')), callback);
  }
}

module.exports = new API();
module.exports.custom = API;
