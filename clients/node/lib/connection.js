'use strict';
// One connection to the daemon's event-bus bridge (docs/PROTOCOL.md, sections 2-5): frames of a
// 4-byte big-endian length and UTF-8 JSON, a token on every frame, replies matched by replyAddress.
const net = require('net');
const tls = require('tls');
const { EventEmitter } = require('events');

/** Long commands (stop, restart, delete) answer once the processes stopped: past the bridge's 30 s. */
const COMMAND_TIMEOUT_MS = 120000;
/**
 * How long a new connection waits for the daemon's first pong. A port whose daemon just died may
 * still accept (its keeper holds the socket for the next daemon), so the wait is bounded.
 */
const OPEN_TIMEOUT_MS = 10000;

class Connection extends EventEmitter {
  /**
   * @param {{host: string, port: number, token: string, tls?: {certificates: string, checkHostName: boolean}}} where
   */
  constructor(where) {
    super();
    this.token = where.token;
    this.pending = new Map();
    this.next = 0;
    this.buffered = Buffer.alloc(0);
    this.closed = false;
    const options = { host: where.host, port: where.port };
    this.socket = where.tls
      ? tls.connect({
          ...options,
          ca: where.tls.certificates,
          // the bridge's own certificate is pinned when checkHostName is false (docs/PROTOCOL.md, TLS)
          checkServerIdentity: where.tls.checkHostName ? tls.checkServerIdentity : () => undefined,
        })
      : net.createConnection(options);
    this.socket.on('data', (data) => this.read(data));
    this.socket.on('error', (e) => this.end(e));
    this.socket.on('close', () => this.end(new Error('jpm: the connection to the daemon closed')));
  }

  /** Resolves once the daemon answered a ping carrying the token (it authenticates the connection). */
  open() {
    return new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error('jpm: the daemon did not answer within ' + OPEN_TIMEOUT_MS + ' ms'));
        this.close();
      }, OPEN_TIMEOUT_MS);
      this.once('pong', () => {
        clearTimeout(timer);
        resolve();
      });
      this.once('lost', (error) => {
        clearTimeout(timer);
        reject(error);
      });
      this.write({ type: 'ping', headers: { token: this.token } });
    });
  }

  /**
   * Sends a request and resolves with the reply's `data` (the `{ok, data}` envelope opened).
   * @param {string} address a jpm.cmd.* or jpm.query.* address
   * @param {object} body
   * @returns {Promise<any>}
   */
  request(address, body) {
    const replyAddress = 'jpm.reply.node.' + process.pid + '.' + this.next++;
    return new Promise((resolve, reject) => {
      if (this.closed) {
        return reject(new Error('jpm: not connected to the daemon'));
      }
      this.pending.set(replyAddress, { resolve, reject });
      this.write({
        type: 'send',
        address,
        body: body || {},
        replyAddress,
        headers: { token: this.token, timeout: COMMAND_TIMEOUT_MS },
      });
    });
  }

  /** Subscribes to a jpm.events.* address; resolves once it took effect (the pong after it). */
  register(address) {
    this.write({ type: 'register', address, headers: { token: this.token } });
    return new Promise((resolve, reject) => {
      const lost = (error) => reject(error);
      this.once('lost', lost);
      this.once('pong', () => {
        this.removeListener('lost', lost);
        resolve();
      });
      this.write({ type: 'ping', headers: { token: this.token } });
    });
  }

  close() {
    this.closed = true;
    this.socket.end();
  }

  write(frame) {
    if (this.lostOnce) {
      return;
    }
    const json = Buffer.from(JSON.stringify(frame), 'utf8');
    const length = Buffer.alloc(4);
    length.writeUInt32BE(json.length);
    this.socket.write(Buffer.concat([length, json]));
  }

  read(data) {
    this.buffered = Buffer.concat([this.buffered, data]);
    while (this.buffered.length >= 4) {
      const length = this.buffered.readUInt32BE(0);
      if (this.buffered.length < 4 + length) {
        return;
      }
      const frame = JSON.parse(this.buffered.subarray(4, 4 + length).toString('utf8'));
      this.buffered = this.buffered.subarray(4 + length);
      this.frame(frame);
    }
  }

  frame(frame) {
    if (frame.type === 'pong') {
      this.emit('pong');
      return;
    }
    const waiting = frame.address !== undefined && this.pending.get(frame.address);
    if (waiting) {
      this.pending.delete(frame.address);
      if (frame.type === 'err') {
        const error = new Error(frame.message);
        error.code = frame.failureCode;
        waiting.reject(error);
      } else {
        waiting.resolve(frame.body && frame.body.data);
      }
    } else if (frame.type === 'message' && frame.send === false) {
      this.emit('event', frame.address, frame.body);
    }
    // an err without address is the bridge's second frame of a refusal (docs/PROTOCOL.md, Traps)
  }

  end(error) {
    if (this.lostOnce) {
      return; // 'error' and 'close' both come for one loss
    }
    this.lostOnce = true;
    const wasClosed = this.closed;
    this.closed = true;
    this.socket.destroy();
    for (const waiting of this.pending.values()) {
      waiting.reject(error);
    }
    this.pending.clear();
    this.emit('lost', error, wasClosed);
  }
}

module.exports = { Connection };
