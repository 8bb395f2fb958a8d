// bench/rate-latency.js PORT RATE SECONDS [CONNECTIONS]: an open-loop HTTP client (to $HOST, else 127.0.0.1). After a second
// of warm-up at the same rate (not counted: the client's own JIT and connects), it sends RATE
// GET / per second over CONNECTIONS keep-alive connections (default 16) for SECONDS, each request
// due at a fixed time whatever the answers before it did, and times each from when it was due (so
// a stall counts for every request it held back, unlike a closed loop such as wrk's, which sends
// less while the server stalls). Prints one JSON line: sent, answered, failed, p50/p99/p99.9/max in
// ms, and the worst requests with when they were due (s from the start). Used by
// bench/socket-rate.sh to compare managers at the same request rate (docs/BENCHMARKS.md).
'use strict';
const http = require('http');
const [port, rate, seconds, connections = 16] = process.argv.slice(2).map(Number);
if (!port || !rate || !seconds) {
  console.error('usage: node rate-latency.js PORT RATE SECONDS [CONNECTIONS]');
  process.exit(2);
}
const agent = new http.Agent({keepAlive: true, maxSockets: connections});
const latencies = [];
const worst = [];
let sent = 0;
let failed = 0;
const WARMUP_MS = 1000;
const start = process.hrtime.bigint();
const ms = (t) => Number(t - start) / 1e6;

function send(due) {
  sent++;
  const req = http.get({host: process.env.HOST || '127.0.0.1', port, path: '/', agent}, (res) => {
    res.resume();
    res.on('end', () => {
      const latency = ms(process.hrtime.bigint()) - due;
      if (due < WARMUP_MS) {
        return;
      }
      latencies.push(latency);
      worst.push([latency, due]);
      if (worst.length > 64) {
        worst.sort((a, b) => b[0] - a[0]).length = 16;
      }
    });
  });
  req.on('error', () => {
    if (due >= WARMUP_MS) {
      failed++;
    }
  });
}

// every millisecond, the requests due by now are sent (a timer may fire late: the catch-up keeps the rate)
const total = Math.round(rate * (seconds + WARMUP_MS / 1000));
const timer = setInterval(() => {
  const now = ms(process.hrtime.bigint());
  while (sent < total && sent * 1000 / rate <= now) {
    send(sent * 1000 / rate);
  }
  if (sent >= total) {
    clearInterval(timer);
    setTimeout(report, 2000); // the last answers
  }
}, 1);

function report() {
  latencies.sort((a, b) => a - b);
  const q = (p) => latencies.length ? +latencies[Math.min(latencies.length - 1, Math.floor(p * latencies.length))].toFixed(2) : null;
  worst.sort((a, b) => b[0] - a[0]);
  console.log(JSON.stringify({
    rate, seconds, connections, sent: sent - Math.round(rate * WARMUP_MS / 1000), answered: latencies.length, failed,
    p50: q(0.5), p99: q(0.99), p999: q(0.999), max: q(1),
    worst: worst.slice(0, 6).map(([l, d]) => [+l.toFixed(1), +((d - WARMUP_MS) / 1000).toFixed(2)]),
  }));
  agent.destroy();
  process.exit(0);
}
