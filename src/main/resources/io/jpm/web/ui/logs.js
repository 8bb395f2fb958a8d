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

