'use strict';
// pm2's other calls (lib/API.js, API/Extra.js, API/Startup.js, API/Modules), on the API's
// prototype: each maps onto a daemon address (docs/PROTOCOL.md) or the jpm CLI, or calls back the
// error pm2 gives, with jpm's reason in docs/COMPAT.md. Results and error texts are pm2 7.0.4's,
// checked by running pm2 on the same calls (docs/COMPAT.md says where jpm's differ).
const fs = require('fs');
const path = require('path');
const daemon = require('./daemon');
const { answer, callbackOf } = require('./callback');
const { isEcosystemFile, targetsOf } = require('./apps');

/** pm2's actionFromJson actions and the daemon's verbs for them. */
const ACTIONS = {
  restartProcessId: 'restart',
  reloadProcessId: 'reload',
  softReloadProcessId: 'reload',
  stopProcessId: 'stop',
  deleteProcessId: 'delete',
};

function failure(message) {
  return Promise.reject(new Error(message));
}

/** jpm.cmd.trigger's answer, {sent, replies, missing}, with pm2's error for no instance reached. */
function triggered(api, target, action, params) {
  const body = { target: String(target), action };
  if (params && typeof params !== 'function') {
    body.params = params; // pm2 sends opts only when truthy
  }
  return api.call('jpm.cmd.trigger', body).catch((e) => {
    throw /^Not any process has received a command/.test(e.message) ? new Error('Unknown process') : e;
  });
}

/**
 * Whether the home has a saved list that parses (the dump or its .bak): pm2's dump.pm2 in a home with
 * pm2's file names (its daemon's pm2.pid, or JPM_FILE_NAMES=pm2 here), else jpm's dump.json.
 */
function dumpReadable(home) {
  const pm2Names = process.env.JPM_FILE_NAMES === 'pm2' || fs.existsSync(path.join(home, 'pm2.pid'));
  const dump = path.join(home, pm2Names ? 'dump.pm2' : 'dump.json');
  // pm2 reads the .bak only when the dump does not parse
  return [dump, dump + '.bak'].some((file) => {
    try {
      JSON.parse(fs.readFileSync(file, 'utf8'));
      return true;
    } catch (e) {
      if (pm2Names && e instanceof SyntaxError) {
        fs.rmSync(file, { force: true });
      }
      return false;
    }
  });
}

const more = {
  /**
   * pm2.scale(name, count, cb): `count` a total (4) or a change ('+2', '-1'); cb(null, {success:
   * true}). pm2's errors: 'App not found', 'Same process number' (a total that is the count now).
   */
  scale(name, count, cb) {
    const scaled = this.call('jpm.query.list', { env: false }).then((list) => {
      const instances = list.filter((p) => p.name === name);
      if (instances.length === 0) {
        throw new Error('App not found');
      }
      const change = typeof count === 'string' && /^[+-]/.test(count);
      if (!change && parseInt(count, 10) === instances.length) {
        throw new Error('Same process number');
      }
      return this.call('jpm.cmd.scale', { name, count: String(count) }).then(() => ({ success: true }));
    });
    return answer(scaled, cb);
  },

  /** pm2.reset(id | name | 'all', cb): restart counters back to 0; cb(null, {success: true}). */
  reset(target, cb) {
    const reset = this.call('jpm.cmd.reset', { targets: [String(target)], cwd: this.cwd }).then(
      () => ({ success: true }),
      (e) => {
        throw isNaN(target) && target !== 'all' && e.code === 11 ? new Error('Unknown process name') : e;
      }
    );
    return answer(reset, cb);
  },

  /** pm2.getProcessIdByName(name, cb): the pm_ids of the app's instances, [] when none. */
  getProcessIdByName(name, cb) {
    const ids = this.call('jpm.query.list', { env: false }).then((list) => list.filter((p) => p.name === name).map((p) => p.pm_id));
    return answer(ids, cb);
  },

  /** pm2.getPID([name], cb): the pids of the app's instances (every process's without a name). */
  getPID(name, cb) {
    if (typeof name === 'function') {
      cb = name;
      name = null;
    }
    const pids = this.call('jpm.query.list', { env: false }).then((list) => list.filter((p) => !name || p.name === name).map((p) => p.pid));
    return answer(pids, cb);
  },

  /** pm2.ping(cb): {msg: 'pong'}, with the daemon's own answer (pid, uptime, version...) beside it. */
  ping(cb) {
    return answer(this.call('jpm.query.ping', {}).then((data) => ({ ...data, msg: 'pong' })), cb);
  },

  /** pm2.getVersion(cb): the running daemon's version (jpm's, where pm2 answers pm2's). */
  getVersion(cb) {
    return answer(this.call('jpm.query.ping', {}).then((data) => data.version), cb);
  },

  /** pm2.clearDump(cb): the saved list emptied (jpm's dump.json); pm2 calls back with nothing. */
  clearDump(cb) {
    return answer(this.call('jpm.cmd.cleardump', {}).then(() => undefined), cb);
  },

  /**
   * pm2.resurrect(cb): the saved apps that do not run started again; cb(null, the daemon's account).
   * Without a callback and without a dump that reads (nor its .bak), false at once, as pm2's; in a
   * home with pm2's file names the ones that do not parse are deleted then, as pm2's resurrect does.
   */
  resurrect(cb) {
    if (typeof cb !== 'function' && !dumpReadable(this.pm2_home)) {
      return false;
    }
    return answer(this.call('jpm.cmd.resurrect', {}), cb);
  },

  /**
   * pm2.update(cb): `jpm update` (a new daemon that adopts every running app); cb(null, {success:
   * true}). The next call dials the new daemon; a bus follows it by itself.
   */
  update(cb) {
    const updated = daemon.run(this.pm2_home, ['update']).then(() => {
      if (this.connection) {
        this.connection.close();
        this.connection = null;
      }
      return { success: true };
    });
    return answer(updated, cb);
  },

  /**
   * pm2.destroy(cb): kills the daemon, then removes its home, as pm2's for an instance of its own;
   * like pm2's (which refuses any path with .pm2) it refuses the default home ~/.jpm, and a folder
   * with no jpm token in it (pm2 checks its module_conf.json).
   */
  destroy(cb) {
    const home = this.pm2_home;
    const destroyed = (async () => {
      await this.killDaemon();
      if (daemon.isDefaultHome(home)) {
        throw new Error('Destroy is not a allowed method on .jpm');
      }
      await fs.promises.access(path.join(home, 'token'), fs.constants.R_OK);
      await fs.promises.rm(home, { recursive: true, force: true });
    })();
    return answer(destroyed, cb);
  },

  /**
   * pm2.actionFromJson(action, file | object, opts, jsonVia, cb): `action` (restartProcessId,
   * reloadProcessId, stopProcessId, deleteProcessId) on the apps of a config object or file, by
   * name; cb(null, the jlist rows acted on).
   */
  actionFromJson(action, file, opts, jsonVia, cb) {
    cb = callbackOf(jsonVia, cb);
    const verb = ACTIONS[action];
    if (!verb) {
      return answer(failure('Wrong action called'), cb);
    }
    const target = typeof file === 'object' ? file : isEcosystemFile(file) ? path.resolve(this.cwd, file) : null;
    if (target === null) {
      return answer(failure('Bad call to actionFromJson, jsonVia should be one of file, pipe'), cb);
    }
    const only = opts && opts.only;
    const targets = targetsOf(target).filter((name) => !only || name === only);
    const acted = this.call('jpm.cmd.' + verb, { targets, cwd: this.cwd }).then((summaries) =>
      verb === 'delete' ? summaries : this.rowsOf(summaries)
    );
    return answer(acted, cb);
  },

  /**
   * pm2.trigger(id | name | namespace | 'all', action, [params], cb): runs an action the app declared
   * with @pm2/io (io.action) in each online instance that has it (jpm.cmd.trigger); cb(null, results)
   * once each replied, a result per reply as pm2's bus gives its axm:reply: {at, data: {return,
   * action_name}, process: {pm_id, name, namespace}}. pm2's errors: 'Unknown process' when no
   * instance has the action, '<id> id unknown', 'Action doesn't exist <action> for <name>'. pm2
   * waits for ever for an instance that does not reply; the daemon answers after 30 s, and this
   * calls back an Error naming the silent instances, with the replies that came in `results`.
   */
  trigger(target, action, params, cb) {
    cb = callbackOf(params, cb);
    const replied = triggered(this, target, action, params).then((reply) => {
      const results = reply.replies.map((r) => ({
        at: Date.now(),
        data: { return: r.return, action_name: action },
        process: { pm_id: r.pm_id, name: r.name, namespace: r.namespace },
      }));
      if (reply.missing.length > 0) {
        const silent = reply.missing.map((m) => m.name + ':' + m.pm_id).join(', ');
        throw Object.assign(new Error('no reply to ' + action + ' from ' + silent + ' within 30 s'), { results });
      }
      return results;
    });
    return answer(replied, cb);
  },

  /**
   * pm2.msgProcess({id | name, msg, opts}, cb): what trigger sends; cb(null, {process_count, success:
   * true}), once the instances replied (the daemon sends and waits in one request).
   */
  msgProcess(opts, cb) {
    const target = opts && (opts.name !== undefined ? opts.name : opts.id);
    const sent = triggered(this, target, opts && opts.msg, opts && opts.opts).then((reply) => ({
      process_count: reply.sent,
      success: true,
    }));
    return answer(sent, cb);
  },

  /** pm2.sendSignalToProcessName(signal, name, cb): the signal to every instance of the app. */
  sendSignalToProcessName(signal, name, cb) {
    return answer(this.call('jpm.cmd.signal', { signal: String(signal), target: { targets: targetsOf(name), cwd: this.cwd } }), cb);
  },

  /** pm2.sendSignalToProcessId(signal, id, cb). */
  sendSignalToProcessId(signal, id, cb) {
    return this.sendSignalToProcessName(signal, String(id), cb);
  },

  /** pm2.sendLineToStdin(pm_id, line, [separator = '\n'], cb): a line to the app's stdin. */
  sendLineToStdin(id, line, separator, cb) {
    cb = callbackOf(separator, cb);
    const end = typeof separator === 'string' ? separator : '\n';
    return answer(this.call('jpm.cmd.stdin', { pm_id: Number(id), line: line + end }), cb);
  },

  /** pm2.set(key, value, cb): a module's setting (module_conf.json) or a jpm.json one (`jpm set`). */
  set(key, value, cb) {
    return answer(this.call('jpm.cmd.set', { key, value: String(value) }), cb);
  },

  /** pm2.unset(key, cb). */
  unset(key, cb) {
    return answer(this.call('jpm.cmd.set', { key }), cb);
  },

  /** pm2.multiset('key1 value1 key2 value2', cb): all or nothing. */
  multiset(serial, cb) {
    const words = String(serial).trim().split(/\s+/);
    const pairs = [];
    for (let i = 0; i + 1 < words.length; i += 2) {
      pairs.push({ key: words[i], value: words[i + 1] });
    }
    return answer(this.call('jpm.cmd.set', { pairs }), cb);
  },

  /**
   * pm2.install / uninstall / launchModules (pm2 modules from npm run inside pm2): jpm has no module
   * system; a tool such as pm2-slack runs as an app of its own (docs/COMPAT.md).
   */
  install(name, opts, cb) {
    return answer(failure('jpm: modules are not supported: run ' + name + ' as an app (jpm start) (docs/COMPAT.md)'), callbackOf(opts, cb));
  },

  uninstall(name, cb) {
    return answer(failure('jpm: modules are not supported: ' + name + ' is not a module of jpm (docs/COMPAT.md)'), cb);
  },

  launchModules(cb) {
    return answer(Promise.resolve(), cb); // no module to launch
  },
};

module.exports = more;
