// The history: the daemon's figures over a time range (GET /api/history), one chart a figure, drawn by
// uPlot (uPlot.iife.min.js beside this file, MIT, uPlot-LICENSE.txt): times on the x axis in the
// browser's own time zone, the time and value under the pointer, a line between points that follow
// each other and a gap where nothing was recorded for a while (the daemon or the app did not run).
// Drag across a chart to zoom in: the range is asked again at a finer step. The charts share a cursor.
'use strict';

// 7 days: points older than 24 h come from the daemon's 10-minute ring (a point each 20 minutes)
const RANGES = { '1h': 3600e3, '6h': 6 * 3600e3, '24h': 24 * 3600e3, '7d': 7 * 24 * 3600e3 };
const CHARTS = [
  ['cpu', 'cpu', (v) => v.toFixed(1) + '%', '#2b6cb0'],
  ['memory', 'memory', (v) => bytes(Math.round(v)), '#6b46c1'],
  ['restarts', 'restarts', (v) => String(Math.round(v)), '#c0392b', 'whole'],
  ['req_min', 'req/min', (v) => v.toFixed(0), '#178017'],
  ['loop_ms', 'event loop latency (median)', (v) => v.toFixed(1) + ' ms', '#b7791f'],
  ['loop_p95_ms', 'event loop latency (p95)', (v) => v.toFixed(1) + ' ms', '#975a16'],
];
// the steps between a count's ticks: whole numbers
const WHOLE_STEPS = [1, 2, 5, 10, 20, 50, 100, 200, 500, 1000, 2000, 5000, 1e4, 2e4, 5e4, 1e5, 1e6];
// shown: the figures the app (or the host) had over the whole range, whose charts stay while zoomed
const timeline = { range: '1h', zoom: null, data: null, app: null, charts: {}, shown: new Set(), asked: 0 };

// An app's own metrics (its @pm2/io metrics, its metrics_url's samples) get a chart each, at most this many.
const MAX_CUSTOM = 12;
const CUSTOM_COLOR = '#0f766e';
const CHART_HEIGHT = 150;
// While an app runs Satan samples it at least once a minute (satan.idle_sample_interval), so at a 5 s
// step a recorded point follows the one before within a minute even when nobody watched: points closer
// than this (or than two steps) are joined by a line, and a longer hole is a gap, the daemon or the app down.
const JOIN_MS = 90e3;

// One chart: its figure (a caption with the figure's name and its max and last, then the plot), and
// the uPlot drawn in it once the figure has a width.
function addChart(metric, title) {
  const figure = document.createElement('figure');
  figure.dataset.metric = metric;
  const caption = document.createElement('figcaption');
  const name = document.createElement('span');
  name.textContent = title;
  const summary = document.createElement('small');
  caption.append(name, ' ', summary);
  const plot = document.createElement('div');
  plot.className = 'plot';
  figure.append(caption, plot);
  $('charts').appendChild(figure);
  const [format, color, whole] = (CHARTS.find(([m]) => m === metric) || []).slice(2);
  timeline.charts[metric] = { metric, title, figure, summary, box: plot, u: null, whole: !!whole,
    format: format || ((v) => String(+v.toPrecision(4))), color: color || CUSTOM_COLOR };
  return timeline.charts[metric];
}
for (const [metric, title] of CHARTS) addChart(metric, title);

// The figures' series by chart key: the fixed ones by name, an app's own as custom:<name>.
function seriesOf(figures) {
  const all = {};
  for (const [metric] of CHARTS) if (figures[metric]) all[metric] = figures[metric];
  Object.keys(figures.custom || {}).sort().slice(0, MAX_CUSTOM).forEach((name) => { all['custom:' + name] = figures.custom[name]; });
  return all;
}

// The recorded points of one series as uPlot takes them ([times, values]): a null put between two
// points farther apart than JOIN_MS and two steps, so uPlot leaves a gap there and joins the rest.
function joined(times, values, step) {
  const xs = [], ys = [], join = Math.max(JOIN_MS, 2 * step);
  let last = null;
  values.forEach((v, i) => {
    if (v === null || v === undefined) return;
    if (last !== null && times[i] - last > join) { xs.push((last + times[i]) / 2); ys.push(null); }
    xs.push(times[i]); ys.push(v);
    last = times[i];
  });
  return [xs, ys];
}

// A point with no neighbour draws no line: it is drawn as a dot.
function lonePoints(ys) {
  const lone = [];
  ys.forEach((v, i) => { if (v !== null && ys[i - 1] == null && ys[i + 1] == null) lone.push(i); });
  return lone;
}

function plotOptions(chart, width) {
  // the theme's colours, read at each drawing
  const axis = () => ({ stroke: () => cssVar('--muted'), font: '11px system-ui', grid: { stroke: () => cssVar('--line'), width: 1 },
    ticks: { stroke: () => cssVar('--line'), width: 1 } });
  return {
    width, height: CHART_HEIGHT, ms: 1, legend: { show: false },
    cursor: {
      drag: { x: true, y: false, setScale: false }, // a drag asks the daemon again (zoomTo), it does not only stretch
      sync: { key: 'history' },
      hover: { skip: [null, undefined] },
      points: { size: 7 },
    },
    scales: {
      // every chart spans the range asked, whatever its first and last points, so they line up
      x: { time: true, range: () => [timeline.data.from, timeline.data.to + timeline.data.step_ms] },
      // from 0 (or below, a metric that goes negative), and a flat line at its value, not on the top edge
      y: { range: (u, low, high) => { const lo = Math.min(0, low ?? 0); return uPlot.rangeNum(lo, high > lo ? high : lo + 1, 0.1, true); } },
    },
    // the value axis as wide as its longest label ("100.0 ms") at 11 px
    axes: [axis(), { ...axis(), size: (u, labels) => 18 + 6.5 * Math.max(4, ...(labels || []).map((l) => String(l).length)),
      values: (u, splits) => splits.map((v) => chart.format(v)),
      ...(chart.whole ? { incrs: WHOLE_STEPS } : {}) }],
    series: [{}, {
      label: chart.title, stroke: chart.color, width: 1.5, fill: chart.color + '1f', spanGaps: false,
      points: { filter: (u, i, show) => (show ? null : lonePoints(u.data[i])) },
    }],
    hooks: { setSelect: [zoomTo], setCursor: [(u) => showReadout(chart, u)] },
  };
}

// The time and value under the pointer, next to it; hidden off the chart or over a gap.
function showReadout(chart, u) {
  let tip = chart.tip;
  if (!tip) {
    tip = chart.tip = document.createElement('div');
    tip.className = 'readout';
    u.over.appendChild(tip);
  }
  const i = u.cursor.idxs ? u.cursor.idxs[1] : u.cursor.idx;
  const v = i == null ? null : u.data[1][i];
  if (v == null || u.cursor.left < 0) { tip.hidden = true; return; }
  tip.hidden = false;
  tip.textContent = clock(u.data[0][i]) + ' · ' + chart.format(v);
  const x = u.valToPos(u.data[0][i], 'x'), y = u.valToPos(v, 'y');
  const plotWidth = u.over.clientWidth;
  tip.style.left = Math.min(Math.max(0, x + 8), Math.max(0, plotWidth - tip.offsetWidth)) + 'px';
  tip.style.top = Math.max(0, y - tip.offsetHeight - 6) + 'px';
}

// A range dragged across a chart: asked again, at the finest step that holds it.
function zoomTo(u) {
  const { left, width } = u.select;
  if (width < 5 || !timeline.data) return;
  timeline.zoom = [u.posToVal(left, 'x'), u.posToVal(left + width, 'x')];
  u.setSelect({ left: 0, top: 0, width: 0, height: 0 }, false);
  loadTimeline();
}

document.querySelectorAll('.ranges button[data-range]').forEach((b) => b.addEventListener('click', () => {
  timeline.range = b.dataset.range; timeline.zoom = null; loadTimeline();
}));
$('history-reset').addEventListener('click', () => { timeline.zoom = null; loadTimeline(); });

// The charts follow the page's width (a phone's, a window made narrower).
new ResizeObserver(() => {
  for (const chart of Object.values(timeline.charts)) {
    const width = chart.box.clientWidth;
    if (chart.u && width > 0 && width !== chart.u.width) chart.u.setSize({ width, height: CHART_HEIGHT });
  }
}).observe($('charts'));

// The selected app's figures, or a host's totals with none selected (a click on its caption, hosts.js); read again every 30 s unless zoomed.
// Another member's app: that member's history (its daemon keeps its own), asked with ?host=.
// Only the last request's answer is drawn: answers can come back out of order on a busy daemon (a
// range's, larger, after a zoom's asked next), and an older one would stay up, zoomed with no refresh.
async function loadTimeline() {
  const asked = ++timeline.asked;
  const app = selected, host = selectedHost;
  const name = host && app ? app.slice(0, app.length - host.length - 1) : app;
  const first = timeline.first;
  timeline.first = null;
  try {
    // the answer asked while the page loaded, while it still is the one wanted (nothing chosen since)
    const data = await (first && first.key === historyKey() ? first.answer : askHistory());
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

function askHistory() {
  const app = selected, host = selectedHost, now = Date.now();
  const name = host && app ? app.slice(0, app.length - host.length - 1) : app;
  const [from, to] = timeline.zoom || [now - RANGES[timeline.range], now];
  const query = 'from=' + Math.round(from) + '&to=' + Math.round(to) + '&apps=' + encodeURIComponent(name || '')
    + (host ? '&host=' + encodeURIComponent(host) : '');
  return call('GET', '/api/history?' + query);
}

const historyKey = () => [selected, selectedHost, timeline.range, timeline.zoom].join('|');

// The first range asked with the list (app.js's opening), not after it: the charts wait for both.
if (opening) timeline.first = { key: historyKey(), answer: early(askHistory()) };

function drawTimeline() {
  const d = timeline.data;
  if (!d) return;
  const figures = seriesOf(timeline.app ? d.apps[timeline.name] || {} : d.totals);
  $('history-of').textContent = timeline.app || 'every app of ' + (timeline.node || d.host);
  $('history-range').textContent = clock(d.from) + ' to ' + clock(d.to + d.step_ms) + ', a point each ' + duration(d.step_ms);
  $('history-reset').hidden = !timeline.zoom;
  document.querySelectorAll('.ranges button[data-range]').forEach((b) => {
    const chosen = !timeline.zoom && b.dataset.range === timeline.range;
    b.classList.toggle('chosen', chosen);
    b.setAttribute('aria-pressed', String(chosen));
  });
  for (const metric of timeline.shown) {
    if (!timeline.charts[metric]) addChart(metric, metric.slice('custom:'.length) + ' (its own)');
  }
  for (const chart of Object.values(timeline.charts)) {
    chart.figure.hidden = !timeline.shown.has(chart.metric);
    if (!chart.figure.hidden) drawChart(chart, figures[chart.metric] || []);
  }
}

// One chart's data, its caption's max and last (what a screen reader reads of it), and its plot.
function drawChart(chart, values) {
  const d = timeline.data;
  const known = values.filter((v) => v !== null);
  chart.summary.textContent = known.length === 0 ? 'nothing recorded in this range'
    : 'max ' + chart.format(Math.max(...known)) + ' · last ' + chart.format(known[known.length - 1]);
  const data = joined(d.times, values, d.step_ms);
  if (chart.u) {
    chart.u.setData(data);
    chart.u.redraw(false); // the theme's colours, read again
    return;
  }
  const width = chart.box.clientWidth;
  if (width > 0) chart.u = new uPlot(plotOptions(chart, width), data, chart.box);
}

function clock(ms) {
  const t = new Date(ms);
  return (Date.now() - ms > 20 * 3600e3 ? t.toLocaleDateString() + ' ' : '') + t.toLocaleTimeString();
}
