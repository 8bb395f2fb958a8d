// The history: the daemon's figures over a time range (GET /api/history), zoomed by dragging.
'use strict';

const RANGES = { '1h': 3600e3, '6h': 6 * 3600e3, '24h': 24 * 3600e3 };
const CHARTS = [
  ['cpu', 'cpu', (v) => v.toFixed(1) + '%', '#2b6cb0'],
  ['memory', 'memory', (v) => bytes(Math.round(v)), '#6b46c1'],
  ['restarts', 'restarts', (v) => String(Math.round(v)), '#c0392b'],
  ['req_min', 'req/min', (v) => v.toFixed(0), '#178017'],
  ['loop_ms', 'event loop latency (median)', (v) => v.toFixed(1) + ' ms', '#b7791f'],
  ['loop_p95_ms', 'event loop latency (p95)', (v) => v.toFixed(1) + ' ms', '#975a16'],
];
// shown: the figures the app (or the host) had over the whole range, whose charts stay while zoomed
const timeline = { range: '1h', zoom: null, data: null, app: null, drag: null, charts: {}, shown: new Set(), asked: 0 };

// An app's own metrics (its @pm2/io metrics, its metrics_url's samples) get a chart each, at most this many.
const MAX_CUSTOM = 12;
const CUSTOM_COLOR = '#0f766e';

function addChart(metric, title) {
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
  return c;
}
for (const [metric, title] of CHARTS) addChart(metric, title);

// The figures' series by chart key: the fixed ones by name, an app's own as custom:<name>.
function seriesOf(figures) {
  const all = {};
  for (const [metric] of CHARTS) if (figures[metric]) all[metric] = figures[metric];
  Object.keys(figures.custom || {}).sort().slice(0, MAX_CUSTOM).forEach((name) => { all['custom:' + name] = figures.custom[name]; });
  return all;
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

// The selected app's figures, or a host's totals with none selected (a click on its caption, hosts.js); read again every 30 s unless zoomed.
// Another member's app: that member's history (its daemon keeps its own), asked with ?host=.
// Only the last request's answer is drawn: answers can come back out of order on a busy daemon (a
// range's, larger, after a zoom's asked next), and an older one would stay up, zoomed with no refresh.
async function loadTimeline() {
  const asked = ++timeline.asked;
  const app = selected, host = selectedHost, now = Date.now();
  const name = host && app ? app.slice(0, app.length - host.length - 1) : app;
  const [from, to] = timeline.zoom || [now - RANGES[timeline.range], now];
  const query = 'from=' + Math.round(from) + '&to=' + Math.round(to) + '&apps=' + encodeURIComponent(name || '')
    + (host ? '&host=' + encodeURIComponent(host) : '');
  try {
    const data = await call('GET', '/api/history?' + query);
    if (asked !== timeline.asked || app !== selected || host !== selectedHost) return;
    if (!timeline.zoom || app !== timeline.app || host !== timeline.node) timeline.shown = new Set();
    timeline.data = data; timeline.app = app; timeline.name = name; timeline.node = host;
    const figures = seriesOf(app ? data.apps[name] || {} : data.totals);
    Object.keys(figures).forEach((metric) => timeline.shown.add(metric));
    drawTimeline();
  } catch (e) {
    if (asked === timeline.asked) say('history: ' + e.message, true);
  }
  clearTimeout(loadTimeline.timer);
  if (!timeline.zoom) loadTimeline.timer = setTimeout(loadTimeline, 30000);
}

function drawTimeline() {
  const d = timeline.data;
  if (!d) return;
  const figures = seriesOf(timeline.app ? d.apps[timeline.name] || {} : d.totals);
  $('history-of').textContent = timeline.app || 'every app of ' + (timeline.node || d.host);
  $('history-range').textContent = clock(d.from) + ' to ' + clock(d.to + d.step_ms) + ', a point each ' + duration(d.step_ms);
  $('history-reset').hidden = !timeline.zoom;
  document.querySelectorAll('.ranges button[data-range]').forEach((b) =>
    b.classList.toggle('chosen', !timeline.zoom && b.dataset.range === timeline.range));
  const fixed = new Map(CHARTS.map(([metric, , format, color]) => [metric, [format, color]]));
  for (const metric of timeline.shown) {
    if (!timeline.charts[metric]) addChart(metric, metric.slice('custom:'.length) + ' (its own)');
  }
  for (const [metric, c] of Object.entries(timeline.charts)) {
    const [format, color] = fixed.get(metric) || [(v) => String(+v.toPrecision(4)), CUSTOM_COLOR];
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
    g.fillStyle = cssVar('--muted'); g.font = '11px system-ui';
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
  g.fillStyle = cssVar('--muted'); g.font = '11px system-ui';
  g.fillText('max ' + format(high) + ' · last ' + format(known[known.length - 1]), 4, 11);
  if (drag) {
    g.fillStyle = 'rgba(43, 108, 176, 0.15)';
    g.fillRect(Math.min(drag.x0, drag.x1), 0, Math.abs(drag.x1 - drag.x0), c.height);
  }
}

