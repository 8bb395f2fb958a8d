'use strict';
// jpm's stand-in for the IPC channel pm2 gives a Node app: process.send() and 'message' events,
// carried as JSON lines over the daemon's Unix socket. jpm loads it with `node -r` for every Node
// app that is not in socket mode; it does nothing when the app already has a channel. When the
// daemon goes (a crash, `jpm update`), the next daemon adopts the run with its token: the preload
// connects again, at growing intervals (0.25 s doubling to 10 s), until the new daemon takes it.
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
  const FIRST_RETRY_MS = 250;
  const LAST_RETRY_MS = 10000;
  const waiting = [];
  let socket = null;
  let open = false; // connected, the token written
  let everOpen = false; // lines are queued only until the first connection
  let leaving = false; // the app called process.disconnect(): no reconnecting
  let retryMs = FIRST_RETRY_MS;

  function connect() {
    let buffered = '';
    let openedAt = 0;
    const s = net.createConnection(path);
    socket = s;
    holdAlive();
    s.setEncoding('utf8');
    s.on('connect', () => {
      open = true;
      everOpen = true;
      openedAt = Date.now();
      process.connected = true;
      s.write(JSON.stringify({ token }) + '\n');
      for (const line of waiting.splice(0)) {
        s.write(line);
      }
    });
    s.on('data', (data) => {
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
    s.on('error', () => {});
    s.on('close', () => {
      open = false;
      waiting.length = 0;
      process.connected = false;
      if (openedAt > 0 && Date.now() - openedAt > 5000) {
        retryMs = FIRST_RETRY_MS; // a daemon kept it: the next loss starts over quickly
      }
      if (!leaving) {
        const retry = setTimeout(connect, retryMs);
        if (!listening()) {
          retry.unref();
        }
        retryMs = Math.min(LAST_RETRY_MS, retryMs * 2);
      }
    });
  }

  // As Node's own channel: it keeps the app alive while the app listens for 'message' or
  // 'disconnect' (an app that only answers the daemon's packets lives on, as under pm2), and not
  // otherwise.
  function listening() {
    return process.listenerCount('message') > 0 || process.listenerCount('disconnect') > 0;
  }
  function holdAlive() {
    if (socket !== null) {
      if (listening()) {
        socket.ref();
      } else {
        socket.unref();
      }
    }
  }
  for (const change of ['newListener', 'removeListener']) {
    process.on(change, (event) => {
      if (event === 'message' || event === 'disconnect') {
        process.nextTick(holdAlive); // newListener comes before the listener is added
      }
    });
  }

  connect();
  process.connected = true;
  process.send = function send(message, ...rest) {
    const callback = rest.find((a) => typeof a === 'function');
    const line = JSON.stringify(message) + '\n';
    if (open) {
      socket.write(line, callback);
    } else if (!everOpen && !leaving) {
      waiting.push(line); // node still starting: the daemon's socket takes it in a moment
      if (callback) {
        process.nextTick(callback);
      }
    } else {
      // no daemon holds the other end now (one died; the next adopts this run and it connects again):
      // dropped, not queued for good, and no 'error' thrown at the app as Node's own channel does
      if (callback) {
        process.nextTick(callback, new Error('jpm: the channel to the daemon is closed'));
      }
      return false;
    }
    return true;
  };
  process.disconnect = function disconnect() {
    leaving = true;
    socket.destroy();
    process.connected = false;
  };
})();
