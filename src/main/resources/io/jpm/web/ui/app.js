// jpm's dashboard: plain JavaScript, no build step, nothing fetched from elsewhere.
// The token is asked once and kept in sessionStorage (this tab only). Live data comes from the
// daemon's Server-Sent Events, read with fetch because EventSource cannot send Authorization.
// Stays fast with hundreds of apps: rows are keyed by pm_id and only changed cells are written,
// and all drawing happens once per animation frame.
'use strict';

// The page is scripts sharing one global scope, loaded in order: hosts.js (every member of a
// cluster), this one (token, API calls, the live event stream), states.js (the states' words and the
// tiles), table.js (the process table), fleet.js (apps on several hosts, one row each), logs.js (the selected app's logs and metrics), history.js
// (the charts, drawn by uPlot.iife.min.js), actions.js (the selected app's @pm2/io actions),
// alerts.js (alerts and exceptions). It starts once all are loaded (DOMContentLoaded), its first
// answers asked before (opening).
const TOKEN_KEY = 'jpm.token';
const LIST_REFRESH_MS = 5000;
let selected = null;         // app name whose logs are shown
let selectedPmId = null;     // the clicked instance, whose own metrics are shown (pm_id@node on another member)
let selectedHost = null;     // the member whose app is selected; null: this host
let eventsAbort = null;
let access = null;           // 'admin' or 'read-only', from the ping: the read-only token's buttons are disabled

const $ = (id) => document.getElementById(id);
const token = () => sessionStorage.getItem(TOKEN_KEY);
const readOnly = () => access !== 'admin';
const cssVar = (name) => getComputedStyle(document.documentElement).getPropertyValue(name).trim();

function say(text, error) {
  $('message').textContent = text;
  $('message').className = error ? 'error' : '';
}

// body: sent as JSON when given (an action's name and parameter)
async function call(method, path, body) {
  const headers = { Authorization: 'Bearer ' + token() };
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  const response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  const answer = await response.json().catch(() => ({ message: response.statusText }));
  if (!response.ok) {
    const error = new Error(answer.message || ('HTTP ' + response.status));
    error.status = response.status;
    throw error;
  }
  return answer.data;
}

// The page's first answers, asked as soon as this script runs (with a token kept in the tab) rather
// than once every script is in (DOMContentLoaded): with 1,000 apps the list (~1.8 MB) is most of the
// wait for the first full paint (docs/BENCHMARKS.md, "Console"). history.js asks its first range so too.
let opening = token() ? { ping: early(call('GET', '/api/ping')), list: early(call('GET', '/api/processes?env=false')) } : null;

// An answer asked before anyone awaits it: its failure is read where it is awaited, not reported unhandled.
function early(answer) {
  answer.catch(() => {});
  return answer;
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
    // the token's access first: the rows' buttons are made for it
    const asked = opening || { ping: call('GET', '/api/ping'), list: call('GET', '/api/processes?env=false') };
    opening = null; // a second open (after a login) asks again
    const [ping, list] = await Promise.all([asked.ping, asked.list]);
    showAccess(ping.access);
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
    timeline.first = null; // asked with that token
    $('login').hidden = false;
    $('dashboard').hidden = true;
    $('login-error').textContent = e.message;
  }
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
    const ping = await call('GET', '/api/ping');
    if (ping.access !== access) showAccess(ping.access);
    const keeper = ping.keeper;
    const why = keeper && !keeper.protected ? keeper.why : null;
    $('unprotected').hidden = !why;
    $('unprotected').textContent = why ? 'apps unprotected: ' + why : '';
  } catch (e) {
    // the daemon is away: the live marker says so
  }
}

// The read-only token sees everything and acts on nothing: its buttons (and the actions' fields)
// are disabled, and say why.
function showAccess(level) {
  access = level;
  document.body.classList.toggle('read-only', readOnly());
  $('access').textContent = readOnly() ? 'read-only' : '';
  document.querySelectorAll('[data-action], [data-admin]').forEach(adminOnly);
}

function adminOnly(control) {
  control.disabled = readOnly();
  control.title = readOnly() ? 'the read-only token watches only' : '';
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

// ---- colours: the system's (prefers-color-scheme) unless one is chosen; the choice is kept in
// localStorage (a preference, not a secret). Canvases are drawn again in the new colours.
const THEME_KEY = 'jpm.theme';
const THEMES = ['auto', 'dark', 'light'];

function applyTheme(theme) {
  const dark = theme === 'dark' || (theme === 'auto' && matchMedia('(prefers-color-scheme: dark)').matches);
  document.documentElement.dataset.theme = dark ? 'dark' : 'light';
  $('theme').textContent = 'theme: ' + theme;
  for (const id of rows.keys()) dirty.add(id);
  schedule();
  drawTimeline();
}
$('theme').addEventListener('click', () => {
  const next = THEMES[(THEMES.indexOf(localStorage.getItem(THEME_KEY) || 'auto') + 1) % THEMES.length];
  localStorage.setItem(THEME_KEY, next);
  applyTheme(next);
});
matchMedia('(prefers-color-scheme: dark)').addEventListener('change', () => applyTheme(localStorage.getItem(THEME_KEY) || 'auto'));

document.addEventListener('DOMContentLoaded', () => {
  applyTheme(localStorage.getItem(THEME_KEY) || 'auto');
  if (token()) open(); else $('login').hidden = false;
});
