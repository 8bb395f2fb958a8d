// The process table: a row per pm_id, only changed cells written, once per animation frame.
'use strict';

const rows = new Map();      // pm_id -> {tr, cells (null until first placed), cpu: [], mem: [], process}
const HISTORY = 60;          // sparkline points: one a second, the last minute
let dirty = new Set();
let listTimer = null;
// Past this many rows the table holds only the rows in sight and half a screen's height above and
// below them, between two spacer rows as tall as the rows left out (measured: their mean height); scrolling
// moves the window. A row comes in written afresh (marked dirty); out of it, nothing of it is written.
// 1,000 rows in the page took seconds of the main thread to show and most of each second to keep
// up to date (docs/BENCHMARKS.md, "Console").
const LAZY_ROWS = 100;
const view = { order: [], shown: new Set(), spacers: null, rowHeight: 30, placing: false };

function spacer() {
  const tr = document.createElement('tr');
  tr.className = 'spacer';
  tr.setAttribute('aria-hidden', 'true');
  const td = tr.appendChild(document.createElement('td'));
  td.colSpan = COLUMNS.length;
  return tr;
}

// Which rows are in the DOM, in pm_id order: all of them up to LAZY_ROWS, else the window in sight.
function placeRows() {
  view.placing = false;
  const body = document.querySelector('#processes tbody');
  const ids = view.order;
  let first = 0, last = ids.length - 1;
  if (ids.length > LAZY_ROWS) {
    if (!view.spacers) view.spacers = [spacer(), spacer()];
    const [above, below] = view.spacers;
    if (view.shown.size && above.isConnected) {
      const height = (below.offsetTop - above.offsetTop - above.offsetHeight) / view.shown.size;
      if (height > 0) view.rowHeight = height;
    }
    const top = body.getBoundingClientRect().top, h = view.rowHeight;
    first = Math.max(0, Math.floor((-top - innerHeight / 2) / h));
    last = Math.min(ids.length - 1, Math.max(first, Math.ceil((1.5 * innerHeight - top) / h)));
    above.firstChild.style.height = first * h + 'px';
    below.firstChild.style.height = (ids.length - 1 - last) * h + 'px';
  } else if (view.spacers) {
    view.spacers.forEach((tr) => tr.remove());
    view.spacers = null;
  }
  const shown = new Set(), trs = [];
  for (let i = first; i <= last; i++) {
    const row = rows.get(ids[i]);
    if (!row.tr) Object.assign(row, newRow(ids[i])); // made when first placed: 1,000 rows' cells took 0.3-0.6 s
    if (!view.shown.has(ids[i])) dirty.add(ids[i]);
    shown.add(ids[i]);
    trs.push(row.tr);
  }
  for (const id of view.shown) if (!shown.has(id) && rows.has(id)) rows.get(id).tr.remove();
  view.shown = shown;
  inOrder(body, view.spacers ? [view.spacers[0], ...trs, view.spacers[1]] : trs);
  schedule();
}

function placeSoon() {
  if (view.placing || view.order.length <= LAZY_ROWS) return;
  view.placing = true;
  requestAnimationFrame(placeRows);
}
addEventListener('scroll', placeSoon, { passive: true });
addEventListener('resize', placeSoon, { passive: true });

function showList(list) {
  const seen = new Set(), fleet = [];
  for (const p of list) {
    if (typeof p.pm_id !== 'number') continue; // a reload's old run
    if (isFleet(p)) { fleet.push(p); continue; } // one row for every host's instances (fleet.js)
    seen.add(p.pm_id);
    let row = rows.get(p.pm_id);
    if (!row) row = addRow(p.pm_id);
    row.process = p;
    dirty.add(p.pm_id);
    if (p.pm_id === selectedPmId) showCodeMetrics(p);
  }
  for (const [id, row] of rows) {
    if (!seen.has(id)) { if (row.tr) row.tr.remove(); rows.delete(id); }
  }
  view.order = [...rows.keys()].sort((a, b) => a - b);
  placeRows();
  if (list[0] && list[0].jpm) $('host').textContent = list[0].jpm.host || '';
  setOwnFleet(fleet);
  schedule();
}

// The columns: a cell's class, and its label where the table is shown as cards (a phone's width).
const COLUMNS = [['id', 'id'], ['name', 'name'], ['status', 'status'], ['pid', 'pid'], ['uptime', 'uptime'],
  ['restarts', '\u21BA'], ['exit', 'last exit'], ['cpu', 'cpu'], ['cpuSpark', 'cpu history'], ['mem', 'mem'],
  ['memSpark', 'mem history'], ['rpm', 'req/min'], ['actions', 'actions']];

// Puts the rows in this order, moving only those out of place: a row moved loses the keyboard's focus.
function inOrder(body, trs) {
  let before = body.firstChild;
  for (const tr of trs) {
    if (tr !== before) body.insertBefore(tr, before);
    before = tr.nextSibling;
  }
}

function addRow(id) {
  const row = { tr: null, cells: null, cpu: [], mem: [], process: null, shown: {} };
  rows.set(id, row);
  return row;
}

// A row's cells, this host's or another member's (hosts.js): the name a button that opens the app's
// pane (so the keyboard reaches it), its text cut to the column with the whole name on hover or focus,
// and restart, reload, stop.
function newRow(id) {
  const tr = document.createElement('tr');
  tr.dataset.pmId = id;
  const cells = {};
  for (const [n, label] of COLUMNS) {
    const td = tr.appendChild(document.createElement('td'));
    td.className = n;
    td.dataset.label = label;
    cells[n] = td;
  }
  const open = cells.name.appendChild(document.createElement('button'));
  open.type = 'button';
  open.className = 'open';
  cells.cpuSpark.className = cells.memSpark.className = 'spark';
  cells.cpuSpark.appendChild(canvas());
  cells.memSpark.appendChild(canvas());
  for (const action of ['restart', 'reload', 'stop']) {
    const b = cells.actions.appendChild(document.createElement('button'));
    b.type = 'button';
    b.textContent = action;
    b.dataset.action = action;
    b.disabled = readOnly();
  }
  return { tr, cells };
}

// The name on its button, and in its title: the whole of it where the column cuts it.
function setName(cell, name) {
  const open = cell.firstChild;
  if (open.textContent === name) return;
  open.textContent = name;
  open.title = name + ': its logs, figures and history';
}

function canvas() {
  const c = document.createElement('canvas');
  c.width = 96; c.height = 22;
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
  const colors = { cpu: cssVar('--cpu'), mem: cssVar('--mem') };
  for (const id of dirty) {
    const row = rows.get(id);
    if (!row || !row.process || !view.shown.has(id)) continue; // written afresh when placed
    const p = row.process, env = p.pm2_env || {}, jpm = p.jpm || {};
    set(row, 'id', String(p.pm_id));
    setName(row.cells.name, p.name);
    row.tr.classList.toggle('selected', !selectedHost && p.name === selected); // a row placed after the click too
    drawState(row, p);
    set(row, 'pid', p.pid ? String(p.pid) : '-');
    set(row, 'restarts', String(env.restart_time));
    set(row, 'exit', env.exit_code != null ? 'code ' + env.exit_code : jpm.exit_signal ? jpm.exit_signal : '-');
    set(row, 'uptime', env.status === 'online' ? duration(jpm.uptime_ms) : '-');
    set(row, 'cpu', (p.monit ? p.monit.cpu : 0).toFixed(1) + '%');
    set(row, 'mem', bytes(p.monit ? p.monit.memory : 0));
    set(row, 'rpm', jpm.balancer ? String(jpm.balancer.per_minute || 0) : '-');
    spark(row.cells.cpuSpark.firstChild, row.cpu, colors.cpu);
    spark(row.cells.memSpark.firstChild, row.mem, colors.mem);
  }
  if (dirty.size) drawSummary();
  dirty = new Set();
}

// The status cell's badges (states.js) and the row's state-<key> class, rewritten only when they change.
function drawState(row, p) {
  const state = stateOf(p), sick = unhealthy(p);
  const shown = state.key + '|' + state.word + '|' + state.why + '|' + sick;
  if (row.shown.state === shown) return;
  row.shown.state = shown;
  const cell = row.cells.status;
  cell.replaceChildren(badge(state.key, state.word, state.why));
  if (sick) cell.append(' ', badge('unhealthy', 'unhealthy', p.jpm.health_reason));
  for (const c of [...row.tr.classList]) if (c.startsWith('state-')) row.tr.classList.remove(c);
  row.tr.classList.add('state-' + state.key);
}

function schedule() {
  if (listTimer === null) listTimer = requestAnimationFrame(draw);
}

// The last minute, right-aligned, scaled between its own low and high (a flat line sits mid-way).
function spark(c, points, color) {
  // a canvas never drawn gets no context (1,000 rows' 2,000 contexts held a first paint up for seconds)
  if (points.length < 2 && !c.drawn) return;
  const g = c.getContext('2d');
  g.clearRect(0, 0, c.width, c.height);
  c.drawn = points.length >= 2;
  if (!c.drawn) return;
  const low = Math.min(...points), high = Math.max(...points);
  const span = high - low || 1;
  const first = HISTORY - points.length;
  g.strokeStyle = color;
  g.lineWidth = 1.5;
  g.lineJoin = 'round';
  g.beginPath();
  points.forEach((v, i) => {
    const x = ((first + i) / (HISTORY - 1)) * (c.width - 1);
    const y = high === low ? c.height / 2 : c.height - 2 - ((v - low) / span) * (c.height - 4);
    if (i === 0) g.moveTo(x, y); else g.lineTo(x, y);
  });
  g.stroke();
  // the area under the line, faint: a shape reads at a glance where a thin line alone does not
  const xLast = ((first + points.length - 1) / (HISTORY - 1)) * (c.width - 1);
  g.lineTo(xLast, c.height);
  g.lineTo((first / (HISTORY - 1)) * (c.width - 1), c.height);
  g.closePath();
  g.globalAlpha = 0.18;
  g.fillStyle = color;
  g.fill();
  g.globalAlpha = 1;
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

function onMetrics(sample) {
  fleetMetrics(null, sample); // this host's instances of fleet apps (fleet.js)
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

