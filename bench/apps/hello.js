// bench/apps/hello.js: the Node hello app of bench/cluster.sh. Listens on $PORT (jpm: the private
// port; pm2 cluster and direct: the public port). On SIGINT:
//   STOP_MODE=graceful  stops listening, answers each request still coming on an open keep-alive
//                       connection with "Connection: close" (so the client reconnects elsewhere
//                       with no race against an idle close), closes connections idle for 1 s, and
//                       exits once none is left. (Node 20's server.close() would also close idle
//                       keep-alive connections at once, racing requests already on their way.)
//   STOP_MODE=immediate exits at once.
const http = require('http');
const net = require('net');
const body = 'hello from ' + process.pid + '\n';
let stopping = false;
const sockets = new Map(); // socket -> requests in flight
const server = http.createServer((req, res) => {
  const socket = req.socket;
  sockets.set(socket, (sockets.get(socket) || 0) + 1);
  const headers = {'Content-Type': 'text/plain', 'Content-Length': Buffer.byteLength(body)};
  if (stopping) {
    headers['Connection'] = 'close';
  }
  res.on('finish', () => sockets.set(socket, sockets.get(socket) - 1));
  res.writeHead(200, headers);
  res.end(body);
});
server.on('connection', (socket) => {
  sockets.set(socket, 0);
  socket.on('close', () => {
    sockets.delete(socket);
    if (stopping && sockets.size === 0) {
      process.exit(0);
    }
  });
});
server.listen(Number(process.env.PORT), process.env.HOST || '127.0.0.1'); // HOST: bench/fleet.sh's HAProxy backends
process.on('SIGINT', () => {
  if (process.env.STOP_MODE === 'immediate') {
    process.exit(0);
  }
  stopping = true;
  net.Server.prototype.close.call(server); // stop listening only
  if (sockets.size === 0) {
    process.exit(0);
  }
  setTimeout(() => {
    for (const [socket, inFlight] of sockets) {
      if (inFlight === 0) {
        socket.destroy();
      }
    }
  }, 1000).unref();
});
