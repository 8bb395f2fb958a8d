// bench/list-latency.js MODULE RATE SECONDS: pm2's programmatic API under a steady poll, as a
// dashboard or an exporter uses it. MODULE is what `require('pm2')` would load: pm2's own package,
// or jpm's (clients/node, from the repo path). After connect() and one second of warm-up at the same
// rate (not counted), it calls list() RATE times a second for SECONDS, each call due at a fixed time
// whatever the calls before it did (open loop), and times each from when it was due, so a slow call
// counts for every call it held back. Prints one JSON line: calls, errors, apps (the last list's
// length), p50/p95/max in ms. Used by bench/stress.sh (docs/BENCHMARKS.md, "list() under load").
'use strict';
const [modulePath, rateText, secondsText] = process.argv.slice(2);
const rate = Number(rateText);
const seconds = Number(secondsText);
if (!modulePath || !rate || !seconds) {
  console.error('usage: node list-latency.js MODULE RATE SECONDS');
  process.exit(2);
}
const pm2 = require(modulePath);
const WARMUP_MS = 1000;
const latencies = [];
let errors = 0;
let firstError = null;
let apps = -1;
let sent = 0;
let settled = 0;

pm2.connect((err) => {
  if (err) {
    console.error('connect failed: ' + err.message);
    process.exit(1);
  }
  const start = process.hrtime.bigint();
  const ms = () => Number(process.hrtime.bigint() - start) / 1e6;
  const total = Math.round(rate * (seconds + WARMUP_MS / 1000));
  const call = (due) => {
    sent++;
    pm2.list((e, list) => {
      settled++;
      if (due >= WARMUP_MS) {
        if (e) {
          errors++;
          firstError = firstError || String(e.message || e);
        } else {
          latencies.push(ms() - due);
          apps = list.length;
        }
      }
      if (settled === total) {
        report();
      }
    });
  };
  const timer = setInterval(() => {
    const now = ms();
    while (sent < total && (sent * 1000) / rate <= now) {
      call((sent * 1000) / rate);
    }
    if (sent >= total) {
      clearInterval(timer);
    }
  }, 1);
  // a call that never answers must not hang the bench
  setTimeout(() => {
    errors += total - settled;
    firstError = firstError || `${total - settled} calls never answered`;
    report();
  }, (seconds + 30) * 1000).unref();
});

function report() {
  latencies.sort((a, b) => a - b);
  const at = (q) => (latencies.length ? latencies[Math.min(latencies.length - 1, Math.floor(q * latencies.length))] : null);
  const round = (v) => (v == null ? null : Math.round(v * 10) / 10);
  console.log(JSON.stringify({
    calls: latencies.length + errors,
    errors,
    apps,
    p50: round(at(0.5)),
    p95: round(at(0.95)),
    max: round(latencies.length ? latencies[latencies.length - 1] : null),
    first_error: firstError,
  }));
  pm2.disconnect();
  process.exit(0);
}
