// jpm's dashboard: plain JavaScript, no build step, nothing fetched from elsewhere.
// The token is asked once and kept in sessionStorage (this tab only). Live data comes from the
// daemon's Server-Sent Events, read with fetch because EventSource cannot send Authorization.
// Stays fast with hundreds of apps: rows are keyed by pm_id and only changed cells are written,
// and all drawing happens once per animation frame.
'use strict';

const TOKEN_KEY = 'jpm.token';
const HISTORY = 60;          // sparkline points: one a second, the last minute
const LOG_LINES = 500;       // kept in the log pane
const LIST_REFRESH_MS = 5000;
const rows = new Map();      // pm_id -> {tr, cells, cpu: [], mem: [], process}
let selected = null;         // app name whose logs are shown
let selectedPmId = null;     // the clicked instance, whose own metrics are shown
let logAbort = null;
let eventsAbort = null;
let dirty = new Set();
let listTimer = null;

const $ = (id) => document.getElementById(id);
const token = () => sessionStorage.getItem(TOKEN_KEY);

function say(text, error) {
  $('message').textContent = text;
  $('message').className = error ? 'error' : '';
}

async function call(method, path) {
  const response = await fetch(path, { method, headers: { Authorization: 'Bearer ' + token() } });
  const body = await response.json().catch(() => ({ message: response.statusText }));
  if (!response.ok) {
    const error = new Error(body.message || ('HTTP ' + response.status));
    error.status = response.status;
    throw error;
  }
  return body.data;
}

// ---- login ------------------------------------------------------------------------------------
$('login').addEventListener('submit', async (e) => {
  e.preventDefault();
  sessionStorage.setItem(TOKEN_KEY, $('token').value.trim());
  $('token').value = '';
  await open();
});
$('forget').addEventListener('click', () => {
  sessionStorage.removeItem(TOKEN_KEY);
  location.reload();
});

async function open() {
  try {
    const list = await call('GET', '/api/processes?env=false');
    $('login').hidden = true;
    $('dashboard').hidden = false;
    $('forget').hidden = false;
    showList(list);
    follow();
    loadTimeline();
    openHosts(); // every member's totals and apps (hosts.js)
    // the balancer's per-minute counts and the uptimes move without events: read the list now and then,
    // and whether a keeper still protects the apps (a keeper that died is said by the ping only)
    if (!open.timer) open.timer = setInterval(() => { refreshSoon(); checkKeeper(); }, LIST_REFRESH_MS);
  } catch (e) {
    sessionStorage.removeItem(TOKEN_KEY);
    $('login').hidden = false;
    $('dashboard').hidden = true;
    $('login-error').textContent = e.message;
  }
}

// ---- the table --------------------------------------------------------------------------------
function showList(list) {
  const seen = new Set();
  for (const p of list) {
    if (typeof p.pm_id !== 'number') continue; // a reload's old run
    seen.add(p.pm_id);
    let row = rows.get(p.pm_id);
    if (!row) row = addRow(p.pm_id);
    row.process = p;
    dirty.add(p.pm_id);
    if (p.pm_id === selectedPmId) showCodeMetrics(p);
  }
  for (const [id, row] of rows) {
    if (!seen.has(id)) { row.tr.remove(); rows.delete(id); }
  }
  const body = document.querySelector('#processes tbody');
  const order = [...rows.keys()].sort((a, b) => a - b);
  order.forEach((id) => body.appendChild(rows.get(id).tr)); // appendChild moves: keeps id order
  if (list[0] && list[0].jpm) $('host').textContent = list[0].jpm.host || '';
  schedule();
}

function addRow(id) {
  const tr = document.createElement('tr');
  tr.dataset.pmId = id;
  const names = ['id', 'name', 'status', 'pid', 'uptime', 'restarts', 'exit', 'cpu', 'cpuSpark', 'mem', 'memSpark', 'rpm', 'actions'];
  const cells = {};
  for (const n of names) {
    const td = document.createElement('td');
    td.className = n;
    tr.appendChild(td);
    cells[n] = td;
  }
  cells.cpuSpark.className = cells.memSpark.className = 'spark';
  cells.cpuSpark.appendChild(canvas());
  cells.memSpark.appendChild(canvas());
  for (const action of ['restart', 'reload', 'stop']) {
    const b = document.createElement('button');
    b.textContent = action;
    b.dataset.action = action;
    cells.actions.appendChild(b);
  }
  const row = { tr, cells, cpu: [], mem: [], process: null, shown: {} };
  rows.set(id, row);
  return row;
}

function canvas() {
  const c = document.createElement('canvas');
  c.width = 80; c.height = 18;
  return c;
}

document.querySelector('#processes tbody').addEventListener('click', async (e) => {
  const tr = e.target.closest('tr');
  if (!tr) return;
  const row = rows.get(Number(tr.dataset.pmId));
  if (!row || !row.process) return;
  const action = e.target.dataset && e.target.dataset.action;
  if (action) {
    e.stopPropagation();
    try {
      say(action + ' ' + row.process.name + '...');
      await call('POST', '/api/processes/' + row.process.pm_id + '/' + action);
      say(action + ' ' + row.process.name + ': done');
    } catch (err) {
      say(action + ' ' + row.process.name + ': ' + err.message, true);
    }
    refreshSoon();
    return;
  }
  showLogs(row.process.name, row.process.pm_id);
});

function set(row, cell, text) {
  if (row.shown[cell] !== text) {
    row.shown[cell] = text;
    row.cells[cell].textContent = text;
  }
}

function draw() {
  listTimer = null;
  for (const id of dirty) {
    const row = rows.get(id);
    if (!row || !row.process) continue;
    const p = row.process, env = p.pm2_env || {}, jpm = p.jpm || {};
    set(row, 'id', String(p.pm_id));
    set(row, 'name', p.name);
    set(row, 'status', env.status);
    row.cells.status.className = 'status status-' + String(env.status).split(' ')[0];
    set(row, 'pid', p.pid ? String(p.pid) : '-');
    set(row, 'uptime', env.status === 'online' ? duration(jpm.uptime_ms) : '-');
    set(row, 'restarts', String(env.restart_time));
    set(row, 'exit', env.exit_code != null ? 'code ' + env.exit_code : jpm.exit_signal ? jpm.exit_signal : '-');
    set(row, 'cpu', (p.monit ? p.monit.cpu : 0).toFixed(1) + '%');
    set(row, 'mem', bytes(p.monit ? p.monit.memory : 0));
    set(row, 'rpm', jpm.balancer ? String(jpm.balancer.per_minute || 0) : '-');
    spark(row.cells.cpuSpark.firstChild, row.cpu, '#2b6cb0');
    spark(row.cells.memSpark.firstChild, row.mem, '#6b46c1');
  }
  dirty = new Set();
}

function schedule() {
  if (listTimer === null) listTimer = requestAnimationFrame(draw);
}

// The last minute, right-aligned, scaled between its own low and high (a flat line sits mid-way).
function spark(c, points, color) {
  const g = c.getContext('2d');
  g.clearRect(0, 0, c.width, c.height);
  if (points.length < 2) return;
  const low = Math.min(...points), high = Math.max(...points);
  const span = high - low || 1;
  const first = HISTORY - points.length;
  g.strokeStyle = color;
  g.lineWidth = 1.5;
  g.beginPath();
  points.forEach((v, i) => {
    const x = ((first + i) / (HISTORY - 1)) * (c.width - 1);
    const y = high === low ? c.height / 2 : c.height - 2 - ((v - low) / span) * (c.height - 4);
    if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
  });
  g.stroke();
}

function duration(ms) {
  if (!ms) return '0s';
  const s = Math.floor(ms / 1000);
  if (s < 60) return s + 's';
  if (s < 3600) return Math.floor(s / 60) + 'm';
  if (s < 86400) return Math.floor(s / 3600) + 'h';
  return Math.floor(s / 86400) + 'D';
}

function bytes(n) {
  if (n < 1024) return n + 'b';
  if (n < 1048576) return (n / 1024).toFixed(1) + 'kb';
  return (n / 1048576).toFixed(1) + 'mb';
}

// ---- live data --------------------------------------------------------------------------------
// Lifecycle events change pids, statuses and counters: read the list again, at most 4 times a second.
function refreshSoon() {
  if (refreshSoon.pending) return;
  refreshSoon.pending = setTimeout(async () => {
    refreshSoon.pending = null;
    try { showList(await call('GET', '/api/processes?env=false')); } catch (e) { say(e.message, true); }
  }, 250);
}

function onMetrics(sample) {
  for (const m of sample.processes || []) {
    const row = rows.get(m.pm_id);
    if (!row || !row.process) continue;
    row.cpu.push(m.cpu); row.mem.push(m.memory);
    if (row.cpu.length > HISTORY) { row.cpu.shift(); row.mem.shift(); }
    row.process.monit = { cpu: m.cpu, memory: m.memory };
    if (row.process.jpm && row.process.pm2_env.status === 'online') row.process.jpm.uptime_ms = Date.now() - row.process.pm2_env.pm_uptime;
    dirty.add(m.pm_id);
  }
  schedule();
}

// Reads a text/event-stream body: "event: kind" and "data: json" lines, a blank line ends one event.
async function stream(path, abort, onEvent) {
  const response = await fetch(path, { headers: { Authorization: 'Bearer ' + token() }, signal: abort.signal });
  if (!response.ok) throw new Error((await response.json().catch(() => ({}))).message || 'HTTP ' + response.status);
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '', kind = 'message';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) return;
    buffer += value;
    let nl;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line.startsWith('event: ')) kind = line.slice(7);
      else if (line.startsWith('data: ')) { onEvent(kind, JSON.parse(line.slice(6))); kind = 'message'; }
    }
  }
}

// The apps outlive the daemon only while its keeper runs: say so when it does not (docs/ARCHITECTURE.md).
async function checkKeeper() {
  try {
    const keeper = (await call('GET', '/api/ping')).keeper;
    const why = keeper && !keeper.protected ? keeper.why : null;
    $('unprotected').hidden = !why;
    $('unprotected').textContent = why ? 'apps unprotected: ' + why : '';
  } catch (e) {
    // the daemon is away: the live marker says so
  }
}

async function follow() {
  if (eventsAbort) eventsAbort.abort();
  eventsAbort = new AbortController();
  const mine = eventsAbort;
  $('live').textContent = 'live'; $('live').className = 'on';
  checkKeeper(); // a new daemon (after a crash or a keeper's replacement): its keeper now
  try {
    await stream('/api/events?only=process,metrics,health,appMetrics', mine, (kind, body) => {
      if (kind === 'metrics') onMetrics(body);
      else if (kind === 'appMetrics') { if (body.pm_id === selectedPmId) showAppMetrics(body); }
      else refreshSoon();
    });
  } catch (e) {
    if (mine.signal.aborted) return;
  }
  $('live').textContent = 'reconnecting'; $('live').className = 'off';
  setTimeout(() => { if (eventsAbort === mine) follow(); }, 2000);
}

// The app's own metrics (metrics_url), as the daemon last scraped them: one row per series.
const APP_METRICS_ROWS = 50;
function showAppMetrics(scrape) {
  const body = document.querySelector('#app-metrics tbody');
  body.textContent = '';
  $('metrics-url').textContent = scrape ? (scrape.url || '') + (scrape.error ? ': ' + scrape.error : '') : '(no metrics_url)';
  for (const s of ((scrape && scrape.samples) || []).slice(0, APP_METRICS_ROWS)) {
    const tr = document.createElement('tr');
    const labels = Object.entries(s.labels || {}).map(([k, v]) => k + '="' + v + '"').join(',');
    for (const text of [s.name + (labels ? '{' + labels + '}' : ''), String(s.value)]) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.appendChild(td);
    }
    body.appendChild(tr);
  }
}

// A Node app's code metrics (jlist's axm_monitor: heap, event loop, HTTP, the app's own @pm2/io
// metrics) as pm2 describe shows them, from each reading of the list.
function showCodeMetrics(process) {
  const body = document.querySelector('#code-metrics tbody');
  body.textContent = '';
  const monitor = (process && process.pm2_env && process.pm2_env.axm_monitor) || {};
  for (const [name, m] of Object.entries(monitor).slice(0, APP_METRICS_ROWS)) {
    const value = m !== null && typeof m === 'object' && 'value' in m ? m.value + (m.unit ? ' ' + m.unit : '') : JSON.stringify(m);
    const tr = document.createElement('tr');
    for (const text of [name, value]) {
      const td = document.createElement('td');
      td.textContent = text;
      tr.appendChild(td);
    }
    body.appendChild(tr);
  }
}

async function showLogs(app, pmId) {
  selected = app;
  selectedPmId = pmId;
  loadTimeline();
  showCodeMetrics(rows.has(pmId) ? rows.get(pmId).process : null);
  $('metrics-app').textContent = app + ' (' + pmId + ')';
  call('GET', '/api/processes/' + pmId)
    .then((found) => { if (selectedPmId === pmId) showAppMetrics(found[0] && found[0].jpm ? found[0].jpm.app_metrics : null); })
    .catch((e) => say(e.message, true));
  document.querySelectorAll('tr.selected').forEach((tr) => tr.classList.remove('selected'));
  for (const row of rows.values()) if (row.process && row.process.name === app) row.tr.classList.add('selected');
  $('logs').hidden = false;
  $('logs-app').textContent = app;
  const pre = $('log-lines');
  pre.textContent = '';
  if (logAbort) logAbort.abort();
  logAbort = new AbortController();
  const mine = logAbort;
  const add = (lines) => {
    const atBottom = pre.scrollTop + pre.clientHeight >= pre.scrollHeight - 4;
    for (const l of lines) {
      const div = document.createElement('div');
      div.textContent = (l.pm_id != null ? l.pm_id + '|' : '') + l.app + ' | ' + l.line;
      if (l.stream === 'err') div.className = 'err-line';
      pre.appendChild(div);
    }
    while (pre.childNodes.length > LOG_LINES) pre.removeChild(pre.firstChild);
    if (atBottom) pre.scrollTop = pre.scrollHeight;
  };
  try {
    await stream('/api/processes/' + encodeURIComponent(app) + '/logs/stream?lines=50', mine, (kind, body) => {
      if (selected === app) add(body.lines || []);
    });
  } catch (e) {
    if (!mine.signal.aborted) say('logs of ' + app + ': ' + e.message, true);
  }
}

// ---- history: the daemon's figures over a time range (GET /api/history), zoomed by dragging --------
const RANGES = { '1h': 3600e3, '6h': 6 * 3600e3, '24h': 24 * 3600e3 };
const CHARTS = [
  ['cpu', 'cpu', (v) => v.toFixed(1) + '%', '#2b6cb0'],
  ['memory', 'memory', (v) => bytes(Math.round(v)), '#6b46c1'],
  ['restarts', 'restarts', (v) => String(Math.round(v)), '#c0392b'],
  ['req_min', 'req/min', (v) => v.toFixed(0), '#178017'],
  ['loop_ms', 'event loop latency', (v) => v.toFixed(1) + ' ms', '#b7791f'],
];
// shown: the figures the app (or the host) had over the whole range, whose charts stay while zoomed
const timeline = { range: '1h', zoom: null, data: null, app: null, drag: null, charts: {}, shown: new Set() };

for (const [metric, title] of CHARTS) {
  const figure = document.createElement('figure');
  const c = document.createElement('canvas');
  c.width = 420; c.height = 110; c.dataset.metric = metric;
  const caption = document.createElement('figcaption');
  caption.textContent = title;
  figure.append(caption, c);
  $('charts').appendChild(figure);
  timeline.charts[metric] = c;
  c.addEventListener('mousedown', (e) => { timeline.drag = { metric, x0: e.offsetX, x1: e.offsetX }; });
  c.addEventListener('mousemove', (e) => {
    if (timeline.drag && timeline.drag.metric === metric) { timeline.drag.x1 = e.offsetX; drawTimeline(); }
  });
}
document.addEventListener('mouseup', () => {
  const drag = timeline.drag, d = timeline.data;
  timeline.drag = null;
  if (!drag || !d || Math.abs(drag.x1 - drag.x0) < 5) { drawTimeline(); return; }
  const at = (x) => d.from + (Math.max(0, Math.min(x, 420)) / 420) * (d.to + d.step_ms - d.from);
  timeline.zoom = [at(Math.min(drag.x0, drag.x1)), at(Math.max(drag.x0, drag.x1))];
  loadTimeline();
});
document.querySelectorAll('.ranges button[data-range]').forEach((b) => b.addEventListener('click', () => {
  timeline.range = b.dataset.range; timeline.zoom = null; loadTimeline();
}));
$('history-reset').addEventListener('click', () => { timeline.zoom = null; loadTimeline(); });

// The selected app's figures, or the host's totals with none selected; read again every 30 s unless zoomed.
async function loadTimeline() {
  const app = selected, now = Date.now();
  const [from, to] = timeline.zoom || [now - RANGES[timeline.range], now];
  const query = 'from=' + Math.round(from) + '&to=' + Math.round(to) + '&apps=' + encodeURIComponent(app || '');
  try {
    const data = await call('GET', '/api/history?' + query);
    if (app !== selected) return;
    if (!timeline.zoom || app !== timeline.app) timeline.shown = new Set();
    timeline.data = data; timeline.app = app;
    const figures = app ? data.apps[app] || {} : data.totals;
    CHARTS.forEach(([metric]) => { if (figures[metric]) timeline.shown.add(metric); });
    drawTimeline();
  } catch (e) {
    say('history: ' + e.message, true);
  }
  clearTimeout(loadTimeline.timer);
  if (!timeline.zoom) loadTimeline.timer = setTimeout(loadTimeline, 30000);
}

function drawTimeline() {
  const d = timeline.data;
  if (!d) return;
  const figures = timeline.app ? d.apps[timeline.app] || {} : d.totals;
  $('history-of').textContent = timeline.app || 'every app of ' + d.host;
  $('history-range').textContent = clock(d.from) + ' to ' + clock(d.to + d.step_ms) + ', a point each ' + duration(d.step_ms);
  $('history-reset').hidden = !timeline.zoom;
  document.querySelectorAll('.ranges button[data-range]').forEach((b) =>
    b.classList.toggle('chosen', !timeline.zoom && b.dataset.range === timeline.range));
  for (const [metric, , format, color] of CHARTS) {
    const c = timeline.charts[metric];
    c.parentNode.hidden = !timeline.shown.has(metric);
    chart(c, figures[metric] || [], format, color, timeline.drag && timeline.drag.metric === metric ? timeline.drag : null);
  }
}

function clock(ms) {
  const t = new Date(ms);
  return (Date.now() - ms > 20 * 3600e3 ? t.toLocaleDateString() + ' ' : '') + t.toLocaleTimeString();
}

// One series across the canvas, a gap where a point is null, its low and high written at the left.
function chart(c, values, format, color, drag) {
  const g = c.getContext('2d');
  g.clearRect(0, 0, c.width, c.height);
  const known = values.filter((v) => v !== null);
  if (known.length === 0) {
    g.fillStyle = '#555'; g.font = '11px system-ui';
    g.fillText('nothing recorded in this range', 4, 11);
    return;
  }
  const low = Math.min(0, ...known), high = Math.max(...known);
  const span = high - low || 1, top = 14, bottom = c.height - 4;
  const x = (i) => values.length === 1 ? c.width / 2 : (i / (values.length - 1)) * (c.width - 1);
  const y = (v) => bottom - ((v - low) / span) * (bottom - top);
  g.strokeStyle = color; g.lineWidth = 1.5; g.beginPath();
  let drawing = false;
  values.forEach((v, i) => {
    if (v === null) { drawing = false; return; }
    if (drawing) g.lineTo(x(i), y(v)); else { g.moveTo(x(i), y(v)); if (values[i + 1] == null) g.fillRect(x(i) - 1, y(v) - 1, 2, 2); }
    drawing = true;
  });
  g.stroke();
  g.fillStyle = '#555'; g.font = '11px system-ui';
  g.fillText('max ' + format(high) + ' · last ' + format(known[known.length - 1]), 4, 11);
  if (drag) {
    g.fillStyle = 'rgba(43, 108, 176, 0.15)';
    g.fillRect(Math.min(drag.x0, drag.x1), 0, Math.abs(drag.x1 - drag.x0), c.height);
  }
}

if (token()) open(); else $('login').hidden = false;
