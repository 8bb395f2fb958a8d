// An unmodified Node HTTP app, as pm2 users run it in cluster mode: every instance calls
// listen(8766) and jpm hands them all the same listening socket (socket mode, docs/CONFIG.md).
// On SIGINT (the kill signal) it stops accepting, finishes what is in flight and exits, so
// `jpm reload api` fails no request.
const http = require('http');
const server = http.createServer((req, res) => {
  res.end(`hello from pid ${process.pid} (instance ${process.env.NODE_APP_INSTANCE})\n`);
});
server.listen(Number(process.env.API_PORT || 8766), () => console.log(`listening on ${server.address().port}`));
process.on('SIGINT', () => {
  server.close(() => process.exit(0));
  server.closeIdleConnections();
});
