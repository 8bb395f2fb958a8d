'use strict';
// pm2's bus (launchBus): an EventEmitter on a connection of its own, registered for jpm's process
// events, log lines and apps' messages, emitting them under pm2's names and shapes (lib/events.js).
// Like pm2's (an axon sub socket), it outlives its daemon: when the connection is lost (`jpm kill`,
// `jpm update`, a daemon that died and its keeper started again) it dials again, with axon's
// backoff (100 ms, times 1.5 a try, at most 5 s between tries), until bus.close(), and subscribes
// again, so a tool hears the next daemon's events. NODE_DEBUG=jpm-pm2 shows each step.
const { EventEmitter } = require('events');
const debug = require('util').debuglog('jpm-pm2');
const { pm2Events, pm2Process, pm2Logs, pm2Message } = require('./events');

/** pm2-axon's `retry timeout` and `retry max timeout` (lib/sockets/sock.js), which pm2's bus uses. */
const FIRST_RETRY_MS = 100;
const MAX_RETRY_MS = 5000;

/** pm2's Daemon.close() says this before it exits for `pm2 kill` (and `pm2 update`). */
const KILLED_VIA_CLI = 'pm2 has been killed via CLI';

class Bus extends EventEmitter {
  /**
   * @param {() => Promise<import('./connection').Connection>} dial opens a connection of the bus's
   *     own to the daemon running now (it rejects while none runs)
   * @param {() => boolean} stoppedForGood whether the daemon lost stopped cleanly (its jpm.pid is
   *     gone), where a crashed or updated one leaves it for the next daemon
   */
  constructor(dial, stoppedForGood) {
    super();
    this.dial = dial;
    this.stoppedForGood = stoppedForGood;
    /** Lost without a word: a `jpm kill` of a daemon with no app running shows in its files alone. */
    this.killUnsaid = false;
    /** @type {import('./connection').Connection | null} */
    this.connection = null;
    this.closed = false;
    this.retryMs = FIRST_RETRY_MS;
    this.timer = null;
    /** How many times the bus subscribed: 1 once launched, one more for each daemon it followed. */
    this.subscriptions = 0;
    /** The last jlist row of each pm_id, for the pm2 fields events do not carry. */
    this.rows = new Map();
    this.asked = new Map();
    /** This daemon is stopping its apps to exit (`jpm kill`, or a signal): its end is a kill, not a crash. */
    this.daemonStopping = false;
    // events are handled one after the other: a row is read before an event goes out, in order
    this.queue = Promise.resolve();
    this.subscribed = new Promise((resolve) => {
      this.onFirstSubscription = resolve;
    });
  }

  /** Resolves with the bus once it is subscribed the first time (pm2 calls launchBus back on connect). */
  start() {
    this.attempt();
    return this.subscribed;
  }

  async attempt() {
    this.timer = null;
    if (this.closed) {
      return;
    }
    let connection = null;
    try {
      connection = await this.dial();
      if (this.closed) {
        connection.close();
        return;
      }
      this.listen(connection);
      await this.subscribe(connection);
    } catch (e) {
      if (connection && this.connection === connection) {
        this.connection = null;
        connection.close();
      }
      debug('bus: no daemon to subscribe to (%s); next try in %d ms', e.message, this.retryMs);
      if (this.killUnsaid && this.stoppedForGood()) {
        this.killUnsaid = false;
        this.queue = this.queue.then(() => this.deliver('pm2:kill', { status: 'killed', msg: KILLED_VIA_CLI }));
      }
      this.retry();
      return;
    }
    this.killUnsaid = false;
    this.subscriptions++;
    debug('bus: subscribed (%d)', this.subscriptions);
    this.retryMs = FIRST_RETRY_MS;
    this.onFirstSubscription(this);
  }

  retry() {
    if (this.closed || this.timer) {
      return;
    }
    const delay = this.retryMs;
    this.retryMs = Math.min(MAX_RETRY_MS, Math.round(delay * 1.5));
    this.timer = setTimeout(() => this.attempt(), delay);
  }

  /** @param {import('./connection').Connection} connection */
  listen(connection) {
    this.connection = connection;
    this.daemonStopping = false;
    connection.on('event', (address, body) => {
      this.queue = this.queue
        .then(() => this.handle(address, body))
        .catch((e) => {
          // the bus's own failure (a listener's exception is not caught here, see deliver): an
          // EventEmitter throws an 'error' nobody listens to, so a tool without one keeps running
          if (this.listenerCount('error') > 0) {
            this.emit('error', e);
          }
        });
    });
    connection.on('lost', (error, closedByUs) => {
      if (closedByUs || this.connection !== connection) {
        return;
      }
      this.connection = null;
      debug('bus: lost the daemon (%s); next try in %d ms', error.message, this.retryMs);
      this.killUnsaid = !this.daemonStopping;
      this.queue = this.queue.then(() => {
        if (this.daemonStopping) {
          this.deliver('pm2:kill', { status: 'killed', msg: KILLED_VIA_CLI });
        }
        // pm2 reports nothing for a daemon that died: its bus reconnects without a word
        this.asked.clear();
      });
      this.retry();
    });
  }

  /** @param {import('./connection').Connection} connection */
  async subscribe(connection) {
    const rows = await connection.request('jpm.query.list', { env: false });
    this.rows = new Map(rows.map((row) => [row.pm_id, row]));
    await connection.register('jpm.events.process');
    await connection.register('jpm.events.log');
    await connection.register('jpm.events.appMessage');
  }

  async handle(address, body) {
    if (address === 'jpm.events.log') {
      for (const { name, packet } of pm2Logs(body, (id) => this.rows.get(id))) {
        this.deliver(name, packet);
      }
      return;
    }
    if (address === 'jpm.events.appMessage') {
      const { name, packet } = pm2Message(body, this.rows.get(body.pm_id));
      this.deliver(name, packet);
      return;
    }
    if (address !== 'jpm.events.process' || body.old_run) {
      return; // a reload's old run: not reported yet (pm2 gives `exit` twice for `_old_<id>` and `reload`: COMPAT)
    }
    if (body.to === 'stopping' && body.reason === 'daemon stopping') {
      this.daemonStopping = true; // pm2:kill once the daemon is gone, after the apps' exits, as pm2's
    }
    const events = pm2Events(body, this.asked);
    if (body.to === 'deleted') {
      this.rows.delete(body.pm_id);
    }
    if (events.length === 0) {
      return;
    }
    await this.refresh(body.pm_id);
    const process = pm2Process(this.rows.get(body.pm_id), body);
    for (const { event, manually } of events) {
      this.deliver('process:event', { event, manually, process, at: body.time });
    }
  }

  /**
   * Emits on a tick of its own, in order: outside the promise chain, so an exception a listener
   * throws is uncaught at once, as from pm2's bus, not swallowed by the chain.
   */
  deliver(name, packet) {
    process.nextTick(() => this.emit(name, packet));
  }

  async refresh(id) {
    const connection = this.connection;
    if (!connection) {
      return;
    }
    try {
      const rows = await connection.request('jpm.query.describe', { targets: [String(id)], env: false });
      if (rows && rows[0]) {
        this.rows.set(id, rows[0]);
      }
    } catch (e) {
      // gone meanwhile (deleted, or the daemon): the last row known stands
    }
  }

  /** pm2's bus.close(): no more events, no more tries. */
  /**
   * bus.off(event, [listener]): without a listener every listener of the event goes, as pm2's bus
   * (an EventEmitter2) does; pm2's own tests call `bus.off('process:msg')`.
   */
  off(event, listener) {
    return listener === undefined ? this.removeAllListeners(event) : super.off(event, listener);
  }

  close() {
    this.closed = true;
    clearTimeout(this.timer);
    this.timer = null;
    if (this.connection) {
      this.connection.close();
      this.connection = null;
    }
  }
}

module.exports = { Bus };
