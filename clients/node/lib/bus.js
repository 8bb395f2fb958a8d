'use strict';
// pm2's bus (launchBus): an EventEmitter on a connection of its own, registered for jpm's process
// events, log lines and apps' messages, emitting them under pm2's names and shapes (lib/events.js).
const { EventEmitter } = require('events');
const { pm2Events, pm2Process, pm2Logs, pm2Message } = require('./events');

class Bus extends EventEmitter {
  /** @param {import('./connection').Connection} connection an open connection, the bus's alone */
  constructor(connection) {
    super();
    this.connection = connection;
    /** The last jlist row of each pm_id, for the pm2 fields events do not carry. */
    this.rows = new Map();
    this.asked = new Map();
    this.killed = false;
    // events are handled one after the other: a row is read before an event goes out, in order
    this.queue = Promise.resolve();
    connection.on('event', (address, body) => {
      this.queue = this.queue.then(() => this.handle(address, body)).catch((e) => {
        // an EventEmitter throws an 'error' nobody listens to: a tool without one keeps running
        if (this.listenerCount('error') > 0) {
          this.emit('error', e);
        }
      });
    });
    connection.on('lost', (error, closedByUs) => {
      if (!closedByUs) {
        this.kill('pm2 has been killed via CLI');
      }
    });
  }

  async start() {
    for (const row of await this.connection.request('jpm.query.list', { env: false })) {
      this.rows.set(row.pm_id, row);
    }
    await this.connection.register('jpm.events.process');
    await this.connection.register('jpm.events.log');
    await this.connection.register('jpm.events.appMessage');
    return this;
  }

  async handle(address, body) {
    if (address === 'jpm.events.log') {
      for (const { name, packet } of pm2Logs(body, (id) => this.rows.get(id))) {
        this.emit(name, packet);
      }
      return;
    }
    if (address === 'jpm.events.appMessage') {
      const { name, packet } = pm2Message(body, this.rows.get(body.pm_id));
      this.emit(name, packet);
      return;
    }
    if (address !== 'jpm.events.process' || body.old_run) {
      return; // a reload's old run: not reported yet (pm2 gives `exit` twice for `_old_<id>` and `reload`: COMPAT)
    }
    if (body.to === 'stopping' && body.reason === 'daemon stopping') {
      this.kill('pm2 has been killed via CLI');
    }
    const names = pm2Events(body, this.asked);
    if (names.length === 0) {
      return;
    }
    if (body.to !== 'deleted') {
      await this.refresh(body.pm_id);
    }
    const process = pm2Process(this.rows.get(body.pm_id), body);
    for (const event of names) {
      this.emit('process:event', { event, manually: event === 'restart' || event === 'stop', process, at: body.time });
    }
    if (body.to === 'deleted') {
      this.rows.delete(body.pm_id);
    }
  }

  async refresh(id) {
    try {
      const rows = await this.connection.request('jpm.query.describe', { targets: [String(id)], env: false });
      if (rows && rows[0]) {
        this.rows.set(id, rows[0]);
      }
    } catch (e) {
      // gone meanwhile (deleted): the last row known stands
    }
  }

  kill(msg) {
    if (!this.killed) {
      this.killed = true;
      this.emit('pm2:kill', { status: 'killed', msg });
    }
  }

  /** pm2's bus.close(). */
  close() {
    this.connection.close();
  }
}

module.exports = { Bus };
