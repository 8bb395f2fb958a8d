// bench/console-paint.js: the dashboard's cost in the browser, measured in headless Chromium through
// the DevTools protocol (CDP over its websocket; node 20 needs --experimental-websocket, 22 has it).
//
//   node --experimental-websocket bench/console-paint.js http://127.0.0.1:PORT TOKEN APPS [LIVE_S] [ROUNDS]
//
// Each round opens a fresh tab on /ui with the token already in its sessionStorage (so the page opens
// at once, as after a login), and reports:
// - first full paint: from the navigation's start to the first frame after the one in which the table
//   knows the APPS apps, every row in the page shows its pid (all rows, or the window in sight of a
//   long table) and the history's charts are drawn (requestAnimationFrame twice: the frame that wrote
//   them was painted), and the main thread's busy time until then (CDP Performance metrics,
//   TaskDuration);
// - live updates: the main thread's busy time (TaskDuration, split into ScriptDuration, layout and
//   style recalculation) over LIVE_S seconds of the daemon's live events with nobody touching the
//   page, per second.
// Prints one JSON line per round, then the medians. Chromium runs with a throw-away profile.
// PROFILE=1: the page's scripts profiled (CDP Profiler) from the navigation to the end of the live
// window, the 15 functions of most self time printed (where to look, not a figure). TRACE=1: the live
// window traced (devtools.timeline), the renderer main thread's events of most time printed; TRACE=paint:
// the same from the navigation to the first full paint. TIMELINE=1: the files and answers the page waited
// for, each one's start and end (the wall time's share that is not the main thread's).
'use strict';
const { spawn } = require('child_process');
const fs = require('fs');
const os = require('os');
const path = require('path');

const [base, token, appsArg, liveArg, roundsArg] = process.argv.slice(2);
const APPS = Number(appsArg);
const LIVE_S = Number(liveArg || 10);
const ROUNDS = Number(roundsArg || 3);
if (!base || !token || !APPS) {
  console.error('usage: node --experimental-websocket bench/console-paint.js BASE_URL TOKEN APPS [LIVE_S] [ROUNDS]');
  process.exit(2);
}

const profile = fs.mkdtempSync(path.join(os.tmpdir(), 'jpm-cdp-'));
const chromium = spawn(process.env.CHROMIUM || '/usr/bin/chromium', [
  '--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking',
  '--disable-component-update', '--disable-sync', '--disable-dev-shm-usage', '--window-size=1400,900',
  '--remote-debugging-port=0', '--user-data-dir=' + profile, 'about:blank',
], { stdio: ['ignore', 'ignore', 'pipe'] });

function done(code) {
  chromium.once('exit', () => {
    fs.rmSync(profile, { recursive: true, force: true, maxRetries: 10, retryDelay: 200 });
    process.exit(code);
  });
  chromium.kill('SIGKILL');
}
process.on('uncaughtException', (e) => { console.error(e); done(1); });

const endpoint = new Promise((resolve, reject) => {
  let seen = '';
  chromium.stderr.on('data', (d) => {
    seen += d;
    const m = seen.match(/DevTools listening on (ws:\/\/\S+)/);
    if (m) resolve(m[1]);
  });
  setTimeout(() => reject(new Error('no DevTools endpoint from chromium: ' + seen)), 30000);
});

// One websocket, the flat session mode: a command names its session.
function connect(url) {
  const ws = new WebSocket(url);
  let next = 0;
  const waiting = new Map();
  const listeners = [];
  ws.onmessage = (m) => {
    const msg = JSON.parse(m.data);
    if (msg.id !== undefined && waiting.has(msg.id)) {
      const { resolve, reject } = waiting.get(msg.id);
      waiting.delete(msg.id);
      if (msg.error) reject(new Error(JSON.stringify(msg.error))); else resolve(msg.result);
    } else if (msg.method) listeners.forEach((l) => l(msg));
  };
  const send = (method, params = {}, sessionId) => new Promise((resolve, reject) => {
    const id = ++next;
    waiting.set(id, { resolve, reject });
    ws.send(JSON.stringify({ id, method, params, sessionId }));
  });
  return new Promise((resolve) => { ws.onopen = () => resolve({ send, on: (l) => listeners.push(l), ws }); });
}

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const metric = (list, name) => (list.metrics.find((m) => m.name === name) || { value: 0 }).value;

// Runs in the page before its scripts: the token, and the moment of the first full paint.
const BEFORE = (tok, apps) => `
  sessionStorage.setItem('jpm.token', ${JSON.stringify(tok)});
  window.__paint = null;
  const look = () => {
    // every app known to the table (rows, table.js), and each row in the page drawn: all of them, or
    // past table.js's LAZY_ROWS the ones in sight and a screen's height around them
    const pids = document.querySelectorAll('#processes tbody tr[data-pm-id] td.pid');
    let full = typeof rows !== 'undefined' && rows.size >= ${apps} && pids.length > 0;
    if (full) for (const td of pids) if (!td.textContent) { full = false; break; }
    const charted = document.querySelector('#charts .uplot');
    if (full && charted) requestAnimationFrame(() => { window.__paint = performance.now(); });
    else requestAnimationFrame(look);
  };
  requestAnimationFrame(look);
`;

// TIMELINE=1: where the wall time to the first full paint went, from the page's Resource Timing: the
// document's response and DOMContentLoaded, then each file and API answer asked, start-end (ms).
const TIMELINE = `(() => {
  const n = performance.getEntriesByType('navigation')[0];
  return 'document ' + Math.round(n.responseEnd) + ', DOMContentLoaded ' + Math.round(n.domContentLoadedEventStart) + '; '
    + performance.getEntriesByType('resource').map((r) => r.name.replace(/.*\\/|[?].*/g, '') + ' ' + Math.round(r.startTime) + '-' + Math.round(r.responseEnd)).join(', ');
})()`;

// The functions of most self time in a CPU profile: name, url:line, ms.
function top(profile) {
  const self = new Map();
  const dt = new Map();
  profile.samples.forEach((id, i) => dt.set(id, (dt.get(id) || 0) + (profile.timeDeltas[i] || 0)));
  for (const n of profile.nodes) {
    const f = n.callFrame;
    const key = f.functionName + ' ' + f.url.replace(/.*\//, '') + ':' + (f.lineNumber + 1);
    self.set(key, (self.get(key) || 0) + (dt.get(n.id) || 0) / 1000);
  }
  [...self.entries()].sort((a, b) => b[1] - a[1]).slice(0, 15)
    .forEach(([k, ms]) => console.error('  ' + ms.toFixed(0).padStart(6) + ' ms  ' + k));
}

// The renderer main thread's complete events by name, their total time (nested events counted in each).
function traced(events, per = LIVE_S) {
  const main = new Set(events.filter((e) => e.name === 'thread_name' && e.args.name === 'CrRendererMain').map((e) => e.pid + ':' + e.tid));
  const total = new Map();
  for (const e of events) {
    if (e.ph !== 'X' || !main.has(e.pid + ':' + e.tid)) continue;
    total.set(e.name, (total.get(e.name) || 0) + e.dur / 1000);
  }
  [...total.entries()].sort((a, b) => b[1] - a[1]).slice(0, 20)
    .forEach(([name, ms]) => console.error('  ' + (ms / per).toFixed(1).padStart(7) + (per === 1 ? ' ms    ' : ' ms/s  ') + name));
}

async function round(cdp) {
  const { targetId } = await cdp.send('Target.createTarget', { url: 'about:blank' });
  const { sessionId } = await cdp.send('Target.attachToTarget', { targetId, flatten: true });
  const s = (m, p) => cdp.send(m, p, sessionId);
  await s('Page.enable');
  await s('Performance.enable', { timeDomain: 'timeTicks' });
  await s('Page.addScriptToEvaluateOnNewDocument', { source: BEFORE(token, APPS) });
  if (process.env.PROFILE) { await s('Profiler.enable'); await s('Profiler.setSamplingInterval', { interval: 500 }); await s('Profiler.start'); }
  const atStart = await s('Performance.getMetrics');
  const paintTrace = [];
  if (process.env.TRACE === 'paint') {
    cdp.on((m) => { if (m.method === 'Tracing.dataCollected') paintTrace.push(...m.params.value); });
    await cdp.send('Tracing.start', { categories: 'devtools.timeline', transferMode: 'ReportEvents' });
  }
  await s('Page.navigate', { url: base + '/ui' });
  let paint = null;
  for (const until = Date.now() + 120000; paint === null && Date.now() < until; ) {
    await sleep(50);
    const r = await s('Runtime.evaluate', { expression: 'window.__paint', returnByValue: true }).catch(() => null);
    paint = r && r.result ? r.result.value : null;
  }
  if (paint === null) throw new Error('the page never showed ' + APPS + ' rows');
  const painted = await s('Performance.getMetrics');
  if (process.env.TIMELINE) console.error('  ' + (await s('Runtime.evaluate', { expression: TIMELINE, returnByValue: true })).result.value);
  if (process.env.TRACE === 'paint') {
    const ended = new Promise((resolve) => cdp.on((m) => { if (m.method === 'Tracing.tracingComplete') resolve(); }));
    await cdp.send('Tracing.end');
    await ended;
    traced(paintTrace, 1); // ms in all, to the first full paint
  }
  await sleep(2000); // the answers asked at the open (hosts, alerts) settle before the live window
  const trace = [];
  if (process.env.TRACE === '1') {
    cdp.on((m) => { if (m.method === 'Tracing.dataCollected') trace.push(...m.params.value); });
    await cdp.send('Tracing.start', { categories: 'devtools.timeline,disabled-by-default-devtools.timeline', transferMode: 'ReportEvents' });
  }
  const before = await s('Performance.getMetrics');
  await sleep(LIVE_S * 1000);
  const after = await s('Performance.getMetrics');
  if (process.env.TRACE === '1') {
    const ended = new Promise((resolve) => cdp.on((m) => { if (m.method === 'Tracing.tracingComplete') resolve(); }));
    await cdp.send('Tracing.end');
    await ended;
    traced(trace);
  }
  const per = (name) => (metric(after, name) - metric(before, name)) * 1000 / LIVE_S;
  if (process.env.PROFILE) top((await s('Profiler.stop')).profile);
  const rows = await s('Runtime.evaluate', { expression: "document.querySelectorAll('#processes tbody tr[data-pm-id]').length", returnByValue: true });
  await cdp.send('Target.closeTarget', { targetId });
  return {
    apps: APPS,
    rows_in_page: rows.result.value,
    first_full_paint_ms: Math.round(paint),
    main_thread_to_paint_ms: Math.round((metric(painted, 'TaskDuration') - metric(atStart, 'TaskDuration')) * 1000),
    live_main_thread_ms_per_s: Math.round(per('TaskDuration') * 10) / 10,
    live_script_ms_per_s: Math.round(per('ScriptDuration') * 10) / 10,
    live_layout_style_ms_per_s: Math.round((per('LayoutDuration') + per('RecalcStyleDuration')) * 10) / 10,
  };
}

(async () => {
  const cdp = await connect(await endpoint);
  const results = [];
  for (let i = 0; i < ROUNDS; i++) {
    const r = await round(cdp);
    results.push(r);
    console.log(JSON.stringify(r));
  }
  const median = (k) => results.map((r) => r[k]).sort((a, b) => a - b)[Math.floor(results.length / 2)];
  console.log('median of ' + ROUNDS + ': first full paint ' + median('first_full_paint_ms') + ' ms (target 1000), main thread to it '
    + median('main_thread_to_paint_ms') + ' ms; live updates ' + median('live_main_thread_ms_per_s')
    + ' ms of main thread a second (target 100): script ' + median('live_script_ms_per_s') + ', layout and style '
    + median('live_layout_style_ms_per_s'));
  done(0);
})().catch((e) => { console.error(e.stack || e); done(1); });
