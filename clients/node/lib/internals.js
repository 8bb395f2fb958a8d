'use strict';
// Two of pm2's internals that its own tests and some tools use through the API object: `Client`
// (pm2's lib/Client.js instance, read for daemon_mode and pm2_home) and `_startJson` (the start,
// restart or reload of a config object or file that start and reload use).
const { answer, callbackOf } = require('./callback');
const { appsOf } = require('./apps');

/** pm2's _startJson actions and the daemon's verbs for them. */
const VERBS = {
  restartProcessId: 'restart',
  reloadProcessId: 'reload',
  softReloadProcessId: 'reload',
};

/** What pm2's Client shows of the daemon this API instance talks to. */
class ClientView {
  constructor(api) {
    this.api = api;
  }

  get daemon_mode() {
    return this.api.daemon_mode;
  }

  get pm2_home() {
    return this.api.pm2_home;
  }
}

const internals = {
  /**
   * pm2._startJson(file | object, opts, action, [pipe], cb): the apps of a config object or file
   * that run go through `action` (restartProcessId, reloadProcessId) with its options, the others
   * start; cb(err, the jlist rows). pm2's 'Wrong action called' for another action.
   */
  _startJson(file, opts, action, pipe, cb) {
    cb = callbackOf(pipe, cb);
    opts = opts && typeof opts === 'object' ? opts : {};
    const verb = VERBS[action];
    if (!verb) {
      return answer(Promise.reject(new Error('Wrong action called')), cb);
    }
    const done = typeof file === 'object' ? this.startApps(appsOf(file), verb, opts) : this.startRequest(file, opts, verb);
    return answer(done, cb);
  },
};

Object.defineProperty(internals, 'Client', {
  get() {
    if (!this.clientView) {
      this.clientView = new ClientView(this);
    }
    return this.clientView;
  },
  enumerable: true,
});

module.exports = { internals };
