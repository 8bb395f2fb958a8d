'use strict';
// jpm's stand-in for what Node's cluster module gives pm2's workers: one listening socket shared by
// every instance of an app (socket mode, docs/CONFIG.md). Loaded with `node -r`; the app is not changed.
//
// - JPM_SHARE_LISTEN=1 (how jpm runs Node apps in socket mode): the app has Node's own IPC channel to
//   the daemon (NODE_CHANNEL_FD). Its listen() on a TCP port becomes a request over that channel; the
//   daemon opens the address once, for every app that listens there, and deals its connections to
//   the instances in turn, as the cluster module's primary does for pm2's workers: the server listens on a stand-in
//   handle and each connection sent comes in through net's own handler. Once it listens, the daemon
//   is told: that is when the instance is ready. An address the daemon cannot open comes back as the
//   listen()'s 'error', as a bind error would. (A socket sent instead of "deal" is listened on.)
//   Each dealt listen() also keeps a copy of the socket, unlistened: when the dealer has said nothing
//   for SILENCE_MS (it beats while it deals nothing; the daemon stopped, dead, or its keeper resting),
//   the server accepts on that copy itself, and closes it again when the dealing resumes (the queue
//   is the kernel's: closing a copy loses nothing).
// - LISTEN_FDS=1 with JPM_SHARED_PORT (systemd's rules): a listen() on that port takes the socket at
//   fd 3 instead.
// Any other listen() (a path, a handle, port 0 in the second form, `exclusive: true`) is left alone.
(function () {
  const SHARED_FD = 3;
  const viaChannel = process.env.JPM_SHARE_LISTEN === '1' && typeof process.send === 'function';
  const fdPort = Number(process.env.JPM_SHARED_PORT);
  const viaFd = process.env.LISTEN_FDS === '1'
      && (process.env.LISTEN_PID === undefined || Number(process.env.LISTEN_PID) === process.pid)
      && Number.isInteger(fdPort) && fdPort > 0 && fdPort <= 65535;
  // the app's own children get none of this: they must not think fd 3 or the daemon is theirs
  for (const name of ['JPM_SHARE_LISTEN', 'JPM_SHARED_PORT', 'LISTEN_FDS', 'LISTEN_PID', 'LISTEN_FDNAMES']) {
    delete process.env[name];
  }
  if (!viaChannel && !viaFd) {
    return;
  }
  const net = require('net');
  const listen = net.Server.prototype.listen;

  // listen(port[, host][, backlog][, cb]), listen('3000', ...) and listen({ port, host, backlog, exclusive }[, cb])
  function wanted(args) {
    const first = args[0];
    const callback = typeof args[args.length - 1] === 'function' ? args[args.length - 1] : undefined;
    if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
      const host = typeof args[1] === 'string' ? args[1] : undefined;
      const backlog = typeof args[1] === 'number' ? args[1] : typeof args[2] === 'number' ? args[2] : undefined;
      return { port: Number(first), host, backlog, callback };
    }
    if (first !== null && typeof first === 'object') {
      const handle = first.fd !== undefined || first.handle !== undefined || first._handle !== undefined;
      if (handle || first.path !== undefined || first.exclusive === true || first.port === undefined) {
        return undefined;
      }
      return { port: Number(first.port), host: first.host, backlog: first.backlog, callback };
    }
    return undefined;
  }

  if (viaFd) {
    net.Server.prototype.listen = function (...args) {
      const want = wanted(args);
      if (!want || want.port !== fdPort) {
        return listen.apply(this, args);
      }
      return want.callback ? listen.call(this, { fd: SHARED_FD }, want.callback) : listen.call(this, { fd: SHARED_FD });
    };
    return;
  }

  const pending = new Map();
  const dealt = new Map(); // request id -> the stand-in handle connections are dealt to
  const listening = new Map(); // request id -> { host, port } of each stand-in still listening
  // request id -> { copy, accepting, asked, timer, backlog }: the socket's copy kept for when nobody deals
  const kept = new Map();
  // the dealer beats every 250 ms while it deals a listen() nothing: three beats missed is silence
  const SILENCE_MS = 700;
  let left = false; // the daemon stopped dealing to this run on purpose (it stops): nothing is accepted here
  let nextId = 0;

  function send(message) {
    if (process.connected) {
      process.send(message);
    }
  }

  // the dealer deals this listen(): a copy accepted on is closed, and one is asked for when none is kept
  function heard(id) {
    const keep = kept.get(id);
    if (!keep) {
      return;
    }
    keep.timer.refresh();
    if (keep.accepting) {
      keep.copy.close();
      keep.copy = null;
      keep.accepting = false;
    }
    if (!keep.copy && !keep.asked) {
      keep.asked = true;
      send({ cmd: 'NODE_JPM_COPY', id });
    }
  }

  // nothing of the dealer for SILENCE_MS: the server accepts on its copy (net's own handler, as dealt)
  function silent(id) {
    const keep = kept.get(id);
    const standIn = dealt.get(id);
    if (!keep || !keep.copy || keep.accepting || !standIn || left) {
      return;
    }
    keep.copy.onconnection = (status, connection) => standIn.onconnection(status, connection);
    if (keep.copy.listen(keep.backlog || 511) !== 0) {
      keep.copy.close();
      keep.copy = null;
      return;
    }
    keep.accepting = true;
  }

  function unkeep(id) {
    const keep = kept.get(id);
    if (keep) {
      kept.delete(id);
      clearTimeout(keep.timer);
      if (keep.copy) {
        keep.copy.close();
      }
    }
  }

  // NODE_-prefixed messages are Node's internal ones: the app's process.on('message') never sees them
  process.on('internalMessage', (message, server) => {
    if (message && message.cmd === 'NODE_JPM_RELISTEN') {
      // a daemon that adopted this run (its predecessor died) deals the same socket's connections again.
      // A copy asked of the one that died is never answered: asked again once this one deals
      for (const keep of kept.values()) {
        keep.asked = false;
      }
      for (const [id, address] of listening) {
        send({ cmd: 'NODE_JPM_RELISTENING', id, host: address.host, port: address.port, keeps: kept.has(id) });
      }
      return;
    }
    if (message && message.cmd === 'NODE_JPM_CONN') {
      const standIn = dealt.get(message.id);
      if (standIn && server) {
        standIn.onconnection(0, server); // net's own handler: a Socket, 'connection', maxConnections
      } else if (server) {
        server.close();
      }
      heard(message.id);
      return;
    }
    if (message && message.cmd === 'NODE_JPM_DEALING') {
      heard(message.id);
      return;
    }
    if (message && message.cmd === 'NODE_JPM_COPY') {
      const keep = kept.get(message.id);
      if (keep && server && !keep.copy && !left) {
        keep.asked = false;
        keep.copy = server;
      } else if (server) {
        server.close();
      }
      return;
    }
    if (message && message.cmd === 'NODE_JPM_LEFT') {
      left = true;
      for (const id of [...kept.keys()]) {
        unkeep(id);
      }
      return;
    }
    if (!message || message.cmd !== 'NODE_JPM_SHARED') {
      return;
    }
    const request = pending.get(message.id);
    if (!request) {
      if (server) {
        server.close();
      }
      return;
    }
    pending.delete(message.id);
    clearTimeout(request.timer);
    request.answer(message, server);
  });

  function failure(want, message) {
    const error = new Error(`listen ${message.code || 'EINVAL'}: ${message.error}`);
    error.code = message.code || 'EINVAL';
    error.syscall = 'listen';
    error.address = want.host || '::';
    error.port = want.port;
    return error;
  }

  // The daemon deals the shared socket's connections in turn, as the cluster module's primary does:
  // the server listens on a stand-in handle (what a cluster worker's server gets in round-robin
  // mode), and each connection the daemon sends goes to net's own connection handler.
  function listenDealt(server, want, message, id) {
    // a listening server keeps its process alive: the stand-in holds a timer for that
    let keep = setInterval(() => {}, 1 << 30);
    const standIn = {
      listen() { return 0; },
      close(callback) {
        // stays in `dealt`: a connection the daemon sent before it heard of the close is still
        // served (net counts it, so the server's 'close' waits for it), not dropped
        clearInterval(keep);
        listening.delete(id);
        unkeep(id);
        send({ cmd: 'NODE_JPM_UNLISTEN', id });
        if (typeof callback === 'function') {
          process.nextTick(callback);
        }
      },
      ref() { keep.ref(); },
      unref() { keep.unref(); },
      hasRef() { return keep.hasRef(); },
      getsockname(out) {
        out.address = message.host;
        out.family = message.host.includes(':') ? 'IPv6' : 'IPv4';
        out.port = message.port;
        return 0;
      },
    };
    dealt.set(id, standIn);
    listening.set(id, { host: message.host, port: message.port });
    if (!left) {
      const timer = setTimeout(() => silent(id), SILENCE_MS);
      timer.unref(); // the stand-in's own timer is what keeps the app alive
      kept.set(id, { copy: null, accepting: false, asked: false, timer, backlog: want.backlog });
    }
    if (want.callback) {
      server.once('listening', want.callback);
    }
    server.once('listening', () => send({ cmd: 'NODE_JPM_LISTENING', id, port: message.port, keeps: kept.has(id) }));
    server._handle = standIn;
    server._listen2(null, -1, -1, want.backlog);
  }

  net.Server.prototype.listen = function (...args) {
    const want = wanted(args);
    if (!want || !Number.isInteger(want.port) || want.port < 0 || want.port > 65535) {
      return listen.apply(this, args);
    }
    const server = this;
    const id = ++nextId;
    const request = { cmd: 'NODE_JPM_LISTEN', id, port: want.port, host: want.host, backlog: want.backlog };
    // also what keeps the app alive while it waits: its loop may have nothing else yet. A daemon
    // stopped, starved or replaced meanwhile answers late, not never (the keeper holds the channel
    // and the next daemon takes it over): the request is asked again while the channel is up, as
    // a cluster worker's listen() waits for its primary; the first answer is taken, a later one
    // dropped. Only a channel that has closed (no daemon, no keeper) fails the listen()
    const timer = setTimeout(() => {
      if (process.connected) {
        process.send(request);
        timer.refresh();
        return;
      }
      pending.delete(id);
      server.emit('error', failure(want, { code: 'ECONNRESET', error: "jpm's channel closed before it answered the request for the shared socket" }));
    }, 30000);
    pending.set(id, {
      timer,
      answer(message, shared) {
        if (message.deal) {
          listenDealt(server, want, message, id);
          return;
        }
        if (!shared) {
          server.emit('error', failure(want, message));
          return;
        }
        // the socket is the app's server's now; the carrier Node made for it is left empty
        const handle = shared._handle;
        shared._handle = null;
        if (want.callback) {
          server.once('listening', want.callback);
        }
        server.once('listening', () => process.send({ cmd: 'NODE_JPM_LISTENING', id, port: message.port }));
        listen.call(server, handle, want.backlog);
      },
    });
    process.send(request);
    return this;
  };
})();
