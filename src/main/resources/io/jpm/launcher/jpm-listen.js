'use strict';
// jpm's stand-in for what Node's cluster module gives pm2's workers: one listening socket shared by
// every instance. jpm opens the app's port once and passes the socket at fd 3 with systemd's
// socket-activation variables (LISTEN_FDS=1, LISTEN_PID); JPM_SHARED_PORT names the port. Loaded
// with `node -r`, this makes the app's own listen() on that port listen on fd 3 instead, so an
// unmodified http.createServer(...).listen(3000) serves from every instance and the kernel hands
// each connection to one of them. Any other listen() is left alone.
(function () {
  const SHARED_FD = 3;
  const port = Number(process.env.JPM_SHARED_PORT);
  const forThisProcess = process.env.LISTEN_FDS === '1'
      && (process.env.LISTEN_PID === undefined || Number(process.env.LISTEN_PID) === process.pid);
  // the app's own children get no socket: they must not think fd 3 is theirs (sd_listen_fds' unset)
  for (const name of ['JPM_SHARED_PORT', 'LISTEN_FDS', 'LISTEN_PID', 'LISTEN_FDNAMES']) {
    delete process.env[name];
  }
  if (!forThisProcess || !Number.isInteger(port) || port <= 0 || port > 65535) {
    return;
  }
  const net = require('net');
  const listen = net.Server.prototype.listen;

  // listen(port[, host][, backlog][, cb]), listen('3000', ...) and listen({ port, host, ... }[, cb])
  function asksForSharedPort(args) {
    const first = args[0];
    if (typeof first === 'number' || (typeof first === 'string' && /^\d+$/.test(first))) {
      return Number(first) === port;
    }
    if (first !== null && typeof first === 'object') {
      const handle = first.fd !== undefined || first.handle !== undefined || first._handle !== undefined;
      return !handle && first.path === undefined && Number(first.port) === port;
    }
    return false;
  }

  net.Server.prototype.listen = function (...args) {
    if (!asksForSharedPort(args)) {
      return listen.apply(this, args);
    }
    const callback = typeof args[args.length - 1] === 'function' ? args[args.length - 1] : undefined;
    return callback ? listen.call(this, { fd: SHARED_FD }, callback) : listen.call(this, { fd: SHARED_FD });
  };
})();
