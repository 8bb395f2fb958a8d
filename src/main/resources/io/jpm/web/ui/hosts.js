// Every host of a cluster on one page: each host's totals (cpu, memory, load, disk, apps by state) as a
// caption over its apps, this host's over the main table, and each other member's apps in a table of
// their own whose buttons act on app@host. Loaded before app.js, whose call, stream, say, bytes,
// duration, newRow, setName, spark and HISTORY it uses once the page is open (app.js's open() calls openHosts).
// A daemon without a cluster answers the same routes for itself alone: the page then shows this
// host's totals only.
'use strict';

const HOSTS_REFRESH_MS = 5000;
// node -> {table, caption, body, rows: Map(pm_id -> {tr, cells, process, cpu: [], mem: []})}
const hostGroups = new Map();
let hostsTimer = null;
let hostsClustered = false;  // as the last answer said: then both questions go at once
let hostsAsking = false;     // a slow member holds an answer up to timeout_ms: no second one meanwhile
// one stream for every other member (a browser opens 6 connections to a server at most): its members
let hostsFollowed = '';
let hostsAbort = null;

async function openHosts() {
  await refreshHosts();
  if (!hostsTimer) hostsTimer = setInterval(refreshHosts, HOSTS_REFRESH_MS);
}

// The totals and the cluster-wide list, each bounded by the cluster's timeout_ms on the daemon's side:
// a member that is down comes back as unreachable with the reason, never as a wait.
async function refreshHosts() {
  if (hostsAsking) return;
  hostsAsking = true;
  try {
    await askHosts();
  } catch (e) {
    say('hosts: ' + e.message, true);
  } finally {
    hostsAsking = false;
  }
}

async function askHosts() {
  const list = () => call('GET', '/api/processes?all=true&env=false');
  const early = hostsClustered ? list() : null;
  if (early) early.catch(() => {}); // its failure is read below
  const totals = await call('GET', '/api/hosts');
  hostsClustered = totals.cluster !== null;
  // alone, this host's apps are app.js's table already: no second list
  const all = !hostsClustered ? { processes: [] } : await (early || list());
  const others = new Set(), down = new Set();
  for (const host of totals.hosts) {
    if (host.self) {
      showHost(hostCaption(document.getElementById('processes'), 'host-total self'), host);
      continue;
    }
    others.add(host.node);
    if (host.status !== 'ok') down.add(host.node);
    const group = hostGroup(host.node);
    showHost(group.caption, host);
    group.table.classList.toggle('host-down', host.status !== 'ok');
    group.caption.classList.toggle('host-down', host.status !== 'ok');
  }
  for (const [node, group] of hostGroups) {
    if (!others.has(node)) { group.table.remove(); hostGroups.delete(node); }
  }
  followHosts([...others].sort().join(','));
  // a fleet app's instances, every host's, go to its one row (fleet.js), not to each host's table
  setFleetHosts(hostsClustered ? all.processes : null, totals.hosts);
  showHostProcesses(all.processes.filter((p) => others.has(p.host) && !isFleet(p)), down);
}

function hostCaption(table, className) {
  let c = table.querySelector('caption');
  if (!c) {
    c = document.createElement('caption');
    c.title = "click for this host's history";
    c.addEventListener('click', () => showHostHistory(table.dataset.host || null));
    table.prepend(c);
  }
  c.className = className;
  return c;
}

// A host's caption clicked: that host's totals charted (its own daemon's history), no app selected.
function showHostHistory(node) {
  if (logAbort) logAbort.abort();
  selected = null;
  selectedPmId = null;
  selectedHost = node; // null: this host
  markSelected(null, null);
  $('logs').hidden = true;
  loadTimeline();
}

// A host's header: its name, then its totals, each a figure of its own (the summary's look), read as
// "web-2 · 3 online · cpu 12.5% of 4 cpus (apps 1.0%) · mem 1.2gb / 7.7gb (apps 40.0mb) · load 0.52 0.40 0.33
// · disk 20.1gb free of 50.0gb"; a member that does not answer: "web-2 · unreachable (why)", marked by
// an icon and its word as well as its colour.
function showHost(caption, h) {
  const [name, ...figures] = describeHost(h);
  // the name a button, for the keyboard (the caption's click shows the host's history); kept from one
  // reading to the next, so the focus stays on it
  let node = caption.querySelector('button.node');
  if (!node) {
    node = caption.appendChild(document.createElement('button'));
    node.type = 'button';
    node.className = 'node';
    node.title = "this host's history";
  }
  if (node.textContent !== name) node.textContent = name;
  while (node.nextSibling) node.nextSibling.remove();
  for (const text of figures) {
    const span = document.createElement('span');
    span.className = 'fig';
    span.textContent = text;
    caption.append(' · ', span);
  }
}

function describeHost(h) {
  const name = h.node + (h.self ? ' (this host)' : '');
  if (h.status !== 'ok') return [name, (h.member === 'left' ? 'left' : 'unreachable') + ' (' + h.error + ')'];
  const apps = Object.entries(h.apps || {}).map(([status, n]) => n + ' ' + status).join(', ') || 'no apps';
  return [name, apps,
    'cpu ' + h.cpu.toFixed(1) + '% of ' + h.cpus + ' cpus (apps ' + h.apps_cpu.toFixed(1) + '%)',
    'mem ' + size(h.memory.used) + ' / ' + size(h.memory.total) + ' (apps ' + size(h.apps_memory) + ')',
    'load ' + h.load.map((l) => l.toFixed(2)).join(' '),
    'disk ' + size(h.disk.free) + ' free of ' + size(h.disk.total)];
}

// a machine's memory and disk run to gigabytes and terabytes, past what an app's bytes() says well
function size(n) {
  const units = ['b', 'kb', 'mb', 'gb', 'tb'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) { n /= 1024; i++; }
  return (i === 0 ? String(n) : n.toFixed(1)) + units[i];
}

// A table per other member, after the main one, with its header's columns; live events from that host.
function hostGroup(node) {
  let group = hostGroups.get(node);
  if (group) return group;
  const table = document.createElement('table');
  table.className = 'host-apps';
  table.dataset.host = node;
  table.appendChild(document.getElementById('processes').querySelector('thead').cloneNode(true));
  const body = document.createElement('tbody');
  table.appendChild(body);
  const last = [...hostGroups.values()].map((g) => g.table).pop() || document.getElementById('processes');
  last.after(table);
  group = { table, caption: hostCaption(table, 'host-total'), body, rows: new Map() };
  hostGroups.set(node, group);
  body.addEventListener('click', (e) => actOnHost(node, e));
  return group;
}

// down: members that did not answer, whose last rows stay (faded by style.css) as what was last known
function showHostProcesses(processes, down) {
  const seen = new Map();
  for (const p of processes) {
    if (typeof p.pm_id !== 'number') continue;
    const group = hostGroups.get(p.host);
    if (!group) continue;
    if (!seen.has(p.host)) seen.set(p.host, new Set());
    seen.get(p.host).add(p.pm_id);
    const row = group.rows.get(p.pm_id) || hostRow(group, p.pm_id);
    row.process = p;
    drawHostRow(row);
    if (selectedPmId === p.pm_id + '@' + p.host) showCodeMetrics(p);
  }
  for (const [node, group] of hostGroups) {
    if (down.has(node)) continue;
    const ids = seen.get(node) || new Set();
    for (const [id, row] of group.rows) if (!ids.has(id)) { row.tr.remove(); group.rows.delete(id); }
    inOrder(group.body, [...group.rows.keys()].sort((a, b) => a - b).map((id) => group.rows.get(id).tr));
  }
  drawSummary(); // the tiles count every host's apps (states.js)
}

function hostRow(group, id) {
  const row = { ...newRow(id), process: null, cpu: [], mem: [], shown: {} };
  group.rows.set(id, row);
  return row;
}

// As table.js draws this host's rows: the same cells, the state's badge (states.js) and row class.
function drawHostRow(row) {
  const p = row.process, env = p.pm2_env || {}, jpm = p.jpm || {}, c = row.cells;
  c.id.textContent = String(p.pm_id);
  setName(c.name, p.name);
  drawState(row, p);
  c.pid.textContent = p.pid ? String(p.pid) : '-';
  c.uptime.textContent = env.status === 'online' ? duration(jpm.uptime_ms) : '-';
  c.restarts.textContent = String(env.restart_time);
  c.exit.textContent = env.exit_code != null ? 'code ' + env.exit_code : jpm.exit_signal || '-';
  c.cpu.textContent = (p.monit ? p.monit.cpu : 0).toFixed(1) + '%';
  c.mem.textContent = bytes(p.monit ? p.monit.memory : 0);
  c.rpm.textContent = jpm.balancer ? String(jpm.balancer.per_minute || 0) : '-';
}

// A member's process by pm_id, as last listed (a fleet app's in fleet.js), or null.
function hostProcess(node, pmId) {
  const group = hostGroups.get(node), row = group && group.rows.get(pmId);
  return row ? row.process : fleetProcess(node, pmId);
}

// restart, reload, stop on app@host: pm_id@node names the instance on that member; a click elsewhere
// on the row opens its logs, figures and history, as a row of this host's does
async function actOnHost(node, e) {
  const action = e.target.dataset && e.target.dataset.action;
  const tr = e.target.closest('tr');
  const group = hostGroups.get(node);
  const row = tr && group ? group.rows.get(Number(tr.dataset.pmId)) : null;
  if (!row || !row.process) return;
  if (!action) { showLogs(row.process.name, row.process.pm_id, node); return; }
  const what = action + ' ' + row.process.name + '@' + node;
  try {
    say(what + '...');
    await call('POST', '/api/processes/' + encodeURIComponent(row.process.pm_id + '@' + node) + '/' + action);
    say(what + ': done');
  } catch (err) {
    say(what + ': ' + err.message, true);
  }
  refreshHosts();
}

// The other members' lifecycle events (read the list again) and their cpu and memory figures, as they
// come, each marked with its member's node; opened again when the members change, or after a loss.
async function followHosts(nodes) {
  if (nodes === hostsFollowed) return;
  hostsFollowed = nodes;
  if (hostsAbort) hostsAbort.abort();
  hostsAbort = null;
  if (!nodes) return;
  const mine = new AbortController();
  hostsAbort = mine;
  try {
    await stream('/api/events?only=process,metrics&host=' + encodeURIComponent(nodes), mine, (kind, body) => {
      if (kind === 'metrics') { hostMetrics(hostGroups.get(body.node), body); fleetMetrics(body.node, body); }
      else refreshHostsSoon();
    });
  } catch (e) {
    if (mine.signal.aborted) return;
  }
  setTimeout(() => { if (hostsAbort === mine) { hostsFollowed = ''; followHosts(nodes); } }, 2000);
}

function hostMetrics(group, sample) {
  if (!group) return;
  for (const m of sample.processes || []) {
    const row = group.rows.get(m.pm_id);
    if (!row || !row.process) continue;
    row.process.monit = { cpu: m.cpu, memory: m.memory };
    row.cells.cpu.textContent = m.cpu.toFixed(1) + '%';
    row.cells.mem.textContent = bytes(m.memory);
    // the last minute, as app.js keeps it for this host's rows
    row.cpu.push(m.cpu); row.mem.push(m.memory);
    if (row.cpu.length > HISTORY) { row.cpu.shift(); row.mem.shift(); }
    spark(row.cells.cpuSpark.firstChild, row.cpu, cssVar('--cpu'));
    spark(row.cells.memSpark.firstChild, row.mem, cssVar('--mem'));
  }
  drawSummary();
}

function refreshHostsSoon() {
  if (refreshHostsSoon.pending) return;
  refreshHostsSoon.pending = setTimeout(() => { refreshHostsSoon.pending = null; refreshHosts(); }, 250);
}
