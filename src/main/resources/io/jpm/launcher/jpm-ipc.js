'use strict';
// jpm's stand-in for the IPC channel pm2 gives a Node app: process.send() and 'message' events,
// carried as JSON lines over the daemon's Unix socket. jpm loads it with `node -r` for apps that
// use wait_ready or shutdown_with_message; it does nothing when the app already has a channel.
(function () {
  const path = process.env.JPM_IPC_PATH;
  const token = process.env.JPM_IPC_TOKEN;
  // the app's own children are not this run
  delete process.env.JPM_IPC_PATH;
  delete process.env.JPM_IPC_TOKEN;
  if (!path || !token || typeof process.send === 'function') {
    return;
  }
  const net = require('net');
  const waiting = [];
  let open = false;
  let buffered = '';
  const socket = net.createConnection(path);
  // the channel never keeps the app alive by itself
  socket.unref();
  socket.setEncoding('utf8');
  socket.on('connect', () => {
    open = true;
    socket.write(JSON.stringify({ token }) + '\n');
    for (const line of waiting.splice(0)) {
      socket.write(line);
    }
  });
  socket.on('data', (data) => {
    buffered += data;
    let end;
    while ((end = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, end);
      buffered = buffered.slice(end + 1);
      let message;
      try {
        message = JSON.parse(line);
      } catch (e) {
        continue;
      }
      // Node's own channel hands a {cmd: 'NODE_...'} message to 'internalMessage', never to the
      // app's 'message' listeners: jpm's own messages (the metrics' pace) stay out of the app's sight
      const internal = message !== null && typeof message === 'object' && typeof message.cmd === 'string' &&
        message.cmd.startsWith('NODE_');
      process.emit(internal ? 'internalMessage' : 'message', message);
    }
  });
  socket.on('error', () => {});
  socket.on('close', () => {
    open = false;
    closed = true;
    waiting.length = 0;
    process.connected = false;
  });
  process.connected = true;
  let closed = false;
  process.send = function send(message, ...rest) {
    const callback = rest.find((a) => typeof a === 'function');
    const line = JSON.stringify(message) + '\n';
    if (open) {
      socket.write(line, callback);
    } else if (!closed) {
      waiting.push(line);
      if (callback) {
        process.nextTick(callback);
      }
    } else {
      // the daemon that held the other end is gone (a daemon that adopts this run has no channel to
      // it): dropped, not queued for good, and no 'error' thrown at the app as Node's own channel does
      if (callback) {
        process.nextTick(callback, new Error('jpm: the channel to the daemon is closed'));
      }
      return false;
    }
    return true;
  };
  process.disconnect = function disconnect() {
    socket.destroy();
    process.connected = false;
  };
})();
