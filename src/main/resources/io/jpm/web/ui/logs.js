// The selected app: its log lines, live, and the clicked instance's own and code metrics.
'use strict';

const LOG_LINES = 500;       // kept in the log pane
let logAbort = null;

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
  showActions(process); // its @pm2/io actions (actions.js), from the same reading
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

// The clicked app's pane. node: another member's app (hosts.js), whose lines, figures and history
// that member serves through this daemon; the instance is then named pm_id@node, as its actions are.
async function showLogs(app, pmId, node) {
  const target = node ? app + '@' + node : app;
  const instance = node ? pmId + '@' + node : pmId;
  selected = target;
  selectedHost = node || null;
  selectedPmId = instance;
  loadTimeline();
  showCodeMetrics(node ? hostProcess(node, pmId) : rows.has(pmId) ? rows.get(pmId).process : fleetProcess(null, pmId));
  $('metrics-app').textContent = target + ' (' + pmId + ')';
  call('GET', '/api/processes/' + encodeURIComponent(instance))
    .then((found) => { if (selectedPmId === instance) showAppMetrics(found[0] && found[0].jpm ? found[0].jpm.app_metrics : null); })
    .catch((e) => say(e.message, true));
  markSelected(app, node);
  $('logs').hidden = false;
  $('logs-app').textContent = target;
  pane.lines = [];
  pane.follow = true;
  $('logs-note').textContent = '';
  renderLines();
  if (logAbort) logAbort.abort();
  logAbort = new AbortController();
  const mine = logAbort;
  try {
    await stream('/api/processes/' + encodeURIComponent(target) + '/logs/stream?lines=50', mine, (kind, body) => {
      if (selected !== target) return;
      if (kind === 'failed') { say('logs of ' + target + ': ' + body.message, true); return; }
      if (kind === 'dropped') { $('logs-note').textContent = body.events + ' batches of lines left out (too many at once)'; return; }
      // the first lines come from the daemon's memory, in the order written; with none kept there
      // (nothing written since its daemon started) from the files, one after the other
      if (kind === 'lines' && body.ordered === false && (body.lines || []).length) {
        $('logs-note').textContent = 'earlier lines from the files: the least recently written first';
      }
      addLines(body.lines || []);
    });
  } catch (e) {
    if (!mine.signal.aborted) say('logs of ' + target + ': ' + e.message, true);
  }
}

// The selected app's rows: this host's table, or the member's.
function markSelected(app, node) {
  document.querySelectorAll('tr.selected').forEach((tr) => tr.classList.remove('selected'));
  const all = node ? (hostGroups.has(node) ? hostGroups.get(node).rows.values() : []) : rows.values();
  for (const row of all) if (row.tr && row.process && row.process.name === app) row.tr.classList.add('selected');
}

// ---- the log pane: lines as written, a filter typed in the search box, and follow -----------------
// follow: the pane stays at the newest line until the user scrolls up, and again once back at the bottom
const pane = { lines: [], follow: true, query: '', streams: { out: true, err: true }, width: 0 };

// Appends a batch; the oldest lines past LOG_LINES go, with their elements (each shown line keeps its own).
function addLines(batch) {
  const lines = batch.slice(-LOG_LINES);
  pane.lines.push(...lines);
  const gone = pane.lines.splice(0, Math.max(0, pane.lines.length - LOG_LINES));
  for (const l of gone) if (l.el) l.el.remove();
  const box = $('log-lines');
  for (const l of lines) if (shows(l)) box.appendChild(l.el = lineElement(l));
  afterLines();
}

function shows(l) {
  return pane.streams[l.stream === 'err' ? 'err' : 'out'] && (!pane.query || l.line.toLowerCase().includes(pane.query));
}

function renderLines() {
  const box = $('log-lines');
  box.textContent = '';
  const frag = document.createDocumentFragment();
  for (const l of pane.lines) l.el = shows(l) ? frag.appendChild(lineElement(l)) : null;
  box.appendChild(frag);
  afterLines();
}

function afterLines() {
  const box = $('log-lines');
  const shown = box.childElementCount;
  $('log-count').textContent = pane.query || !pane.streams.out || !pane.streams.err
    ? shown + ' of ' + pane.lines.length + ' lines' : pane.lines.length + ' lines';
  if (pane.follow) box.scrollTop = box.scrollHeight;
  $('log-follow').textContent = pane.follow ? 'following' : 'paused: jump to the newest';
  $('log-follow').classList.toggle('paused', !pane.follow);
}

// One line: where it came from, then its text with the searched words marked (text nodes only: a
// line is never read as HTML).
function lineElement(l) {
  const div = document.createElement('div');
  div.className = 'line ' + (l.stream === 'err' ? 'err-line' : 'out-line');
  const from = document.createElement('span');
  from.className = 'from';
  from.textContent = (l.pm_id != null ? l.pm_id + '|' : '') + l.app + ' ' + (l.stream === 'err' ? 'err' : 'out') + ' ';
  div.appendChild(from);
  const text = l.line, q = pane.query;
  let at = 0;
  for (let i = q ? text.toLowerCase().indexOf(q) : -1; i >= 0; i = text.toLowerCase().indexOf(q, at)) {
    div.append(text.slice(at, i));
    const mark = document.createElement('mark');
    mark.textContent = text.slice(i, i + q.length);
    div.appendChild(mark);
    at = i + q.length;
  }
  div.append(text.slice(at));
  return div;
}

$('log-search').addEventListener('input', (e) => { pane.query = e.target.value.toLowerCase(); renderLines(); });
for (const s of ['out', 'err']) {
  $('log-' + s).addEventListener('change', (e) => { pane.streams[s] = e.target.checked; renderLines(); });
}
$('log-lines').addEventListener('scroll', () => {
  const box = $('log-lines');
  // a new width (a window resized, a phone turned) moves the lines, not the reader: still following
  if (box.clientWidth !== pane.width) {
    pane.width = box.clientWidth;
    if (pane.follow) { box.scrollTop = box.scrollHeight; return; }
  }
  const atBottom = box.scrollTop + box.clientHeight >= box.scrollHeight - 4;
  if (atBottom !== pane.follow) { pane.follow = atBottom; afterLines(); }
});
$('log-follow').addEventListener('click', () => { pane.follow = true; afterLines(); });
new ResizeObserver(() => {
  const box = $('log-lines');
  pane.width = box.clientWidth;
  if (pane.follow) box.scrollTop = box.scrollHeight;
}).observe($('log-lines'));
