// Fleet apps (docs/CLUSTER.md, "Fleet apps"): an app that runs on several hosts of a cluster shows as
// one row (its instances ready of those asked, its hosts, every front's requests over the last minute,
// restart, reload and stop of the whole fleet) instead of a row per instance in each host's table. The
// row opens onto its instances grouped by host, each host with its own front's req/min; a host that
// left the cluster is said lost (as soon as /api/hosts says so: the daemon learns it from Hazelcast's
// membership), and the instances that run its share elsewhere are marked extra under their new host.
// A row of a fleet app carries jpm.fleet (docs/PROTOCOL.md): its hosts, how many each, its front's
// minute. Read from every host's list (hosts.js), or this host's alone when there is no cluster.
// Loaded after table.js and hosts.js, whose call, say, badge, stateOf, duration, bytes it uses.
'use strict';

// apps: name -> {tbody, cells, detail, groups: Map(node -> {box, head, body, rows: Map(pm_id -> row)})}
const fleetView = {
  own: [], ownSeen: '[]', all: null, hosts: [], apps: new Map(), expanded: new Set(),
  byInstance: new Map(), // pm_id@node -> its process, as last listed
  rows: new Map(),       // pm_id@node -> its drawn row, for the live figures
};

function isFleet(p) {
  return !!(p && p.jpm && p.jpm.fleet);
}

// This host's list (table.js): its fleet rows go here, not to its table. In a cluster, the fleet is
// read from every host's list: this host's news asks for it again.
function setOwnFleet(list) {
  const seen = JSON.stringify(list.map((p) => [p.pm_id, (p.pm2_env || {}).status, p.pid, (p.pm2_env || {}).restart_time]));
  const changed = seen !== fleetView.ownSeen;
  fleetView.ownSeen = seen;
  fleetView.own = list;
  if (!hostsClustered) drawFleet();
  else if (changed) refreshHostsSoon(); // a start, an exit, a restart here: every host's list again
}

// Every host's list and the members' states (hosts.js's askHosts), null processes without a cluster.
function setFleetHosts(processes, hosts) {
  fleetView.all = processes ? processes.filter(isFleet) : null;
  fleetView.hosts = hosts;
  drawFleet();
}

// ---- the grouping: every host's rows of fleet apps, and what the members' states say ---------------
// -> [{name, perHost, asked, ready, perMinute, groups: [{node, state, why, front, instances, extras}]}], by name.
// A group per host the app names (or every member up, for "all"), then any other host that runs some of it.
function fleetApps(processes, hosts) {
  const members = new Map(hosts.map((h) => [h.node, h]));
  const up = hosts.filter((h) => h.status === 'ok').map((h) => h.node);
  const byApp = new Map();
  for (const p of processes) {
    if (typeof p.pm_id !== 'number' || !isFleet(p)) continue; // a reload's old run
    if (!byApp.has(p.name)) byApp.set(p.name, []);
    byApp.get(p.name).push(p);
  }
  return [...byApp.keys()].sort().map((name) => fleetApp(name, byApp.get(name), members, up));
}

function fleetApp(name, processes, members, up) {
  const fleet = processes[0].jpm.fleet;
  const every = fleet.hosts.length === 1 && fleet.hosts[0] === 'all';
  const named = every ? up : fleet.hosts;
  const groups = new Map();
  const group = (node) => {
    if (!groups.has(node)) {
      const m = members.get(node);
      const state = !m ? 'lost' : m.status === 'ok' ? 'up' : m.member === 'left' ? 'lost' : 'unreachable';
      groups.set(node, { node, state, why: m ? m.error : 'not a member', front: null, instances: [], extras: 0 });
    }
    return groups.get(node);
  };
  named.forEach(group);
  for (const p of [...processes].sort((a, b) => instanceOf(a) - instanceOf(b) || a.pm_id - b.pm_id)) {
    const g = group(p.host || p.jpm.host);
    g.instances.push(p);
    if (instanceOf(p) >= fleet.instances) g.extras++;
    if (p.jpm.fleet.front_per_minute != null) g.front = p.jpm.fleet.front_per_minute;
  }
  const all = [...groups.values()];
  const fronts = all.filter((g) => g.front != null);
  return {
    name,
    perHost: fleet.instances,
    asked: fleet.instances * named.length,
    ready: all.reduce((n, g) => n + g.instances.filter(ready).length, 0),
    perMinute: fronts.length ? fronts.reduce((n, g) => n + g.front, 0) : null,
    groups: all,
  };
}

// its NODE_APP_INSTANCE: from the app's per-host count up, an extra run for a lost host
function instanceOf(p) {
  return p.jpm.instance_id || 0;
}

// online, and in its front's rotation when it has one
function ready(p) {
  const b = p.jpm.balancer;
  return (p.pm2_env || {}).status === 'online' && (!b || b.balance === 'socket' || b.state === 'ready');
}

// ---- drawing: a tbody per app, kept from one reading to the next (a focused button keeps its focus) --
function drawFleet() {
  const source = fleetView.all !== null ? fleetView.all : fleetView.own;
  const apps = fleetApps(source, fleetView.hosts.length ? fleetView.hosts : ownHost(source));
  const table = $('fleet-apps');
  $('fleet').hidden = apps.length === 0;
  fleetView.byInstance = new Map();
  fleetView.rows = new Map();
  for (const app of apps) drawFleetApp(fleetView.apps.get(app.name) || newFleetApp(table, app.name), app);
  const names = new Set(apps.map((a) => a.name));
  for (const [name, shown] of fleetView.apps) if (!names.has(name)) { shown.tbody.remove(); fleetView.apps.delete(name); }
  inOrder(table, [table.tHead, ...apps.map((a) => fleetView.apps.get(a.name).tbody)]);
  drawSummary(); // the tiles count the fleet's instances too (states.js)
}

// no cluster: this host alone, up
function ownHost(processes) {
  return processes.length ? [{ node: processes[0].jpm.host, status: 'ok', member: 'up' }] : [];
}

function newFleetApp(table, name) {
  const tbody = table.appendChild(document.createElement('tbody'));
  tbody.className = 'fleet-app';
  const tr = tbody.appendChild(document.createElement('tr'));
  tr.className = 'fleet-row';
  const cells = {};
  for (const [n, label] of [['name', 'name'], ['status', 'status'], ['ready', 'instances'], ['hosts', 'hosts'], ['rpm', 'req/min'], ['actions', 'actions']]) {
    cells[n] = tr.appendChild(document.createElement('td'));
    cells[n].className = n;
    cells[n].dataset.label = label;
  }
  const id = 'fleet-' + fleetView.apps.size + '-' + name.replace(/[^A-Za-z0-9_-]/g, '_');
  const toggle = cells.name.appendChild(document.createElement('button'));
  toggle.type = 'button';
  toggle.className = 'open fleet-toggle';
  toggle.textContent = name;
  toggle.title = name + ': its instances by host';
  toggle.setAttribute('aria-controls', id);
  for (const action of ['restart', 'reload', 'stop']) {
    const b = cells.actions.appendChild(document.createElement('button'));
    b.type = 'button';
    b.textContent = action;
    b.dataset.action = action;
    b.title = readOnly() ? 'the read-only token watches only' : action + ' ' + name + ' on every host';
    b.disabled = readOnly();
  }
  const detail = tbody.appendChild(document.createElement('tr'));
  detail.className = 'fleet-detail';
  detail.id = id;
  const td = detail.appendChild(document.createElement('td'));
  td.colSpan = 6;
  const shown = { tbody, cells, toggle, detail, box: td, groups: new Map() };
  toggle.addEventListener('click', () => {
    if (fleetView.expanded.has(name)) fleetView.expanded.delete(name); else fleetView.expanded.add(name);
    drawFleet();
  });
  cells.actions.addEventListener('click', (e) => actOnFleet(name, e));
  fleetView.apps.set(name, shown);
  return shown;
}

function drawFleetApp(shown, app) {
  const open = fleetView.expanded.has(app.name);
  shown.toggle.setAttribute('aria-expanded', String(open));
  shown.detail.hidden = !open;
  shown.tbody.classList.toggle('fleet-short', app.ready < app.asked);
  write(shown.cells.ready, app.ready + ' / ' + app.asked + ' ready');
  shown.cells.ready.title = app.perHost + ' on each of ' + (app.asked / (app.perHost || 1)) + ' hosts';
  write(shown.cells.rpm, app.perMinute == null ? '-' : String(app.perMinute));
  shown.cells.rpm.title = 'every front of it: requests (HTTP mode) or connections handed out over the last minute';
  drawFleetStates(shown.cells.status, app);
  drawFleetHosts(shown.cells.hosts, app);
  const groups = new Map();
  for (const g of app.groups) {
    const box = shown.groups.get(g.node) || newFleetGroup(shown, g.node);
    groups.set(g.node, box);
    drawFleetGroup(box, g, app);
  }
  for (const [node, box] of shown.groups) if (!groups.has(node)) box.box.remove();
  shown.groups = groups;
  inOrder(shown.box, [...groups.values()].map((b) => b.box));
}

function write(cell, text) {
  if (cell.textContent !== text) cell.textContent = text;
}

// how many instances in each state, over every host: "3 online · 1 errored"
function drawFleetStates(cell, app) {
  const counts = new Map();
  for (const g of app.groups) for (const p of g.instances) {
    const s = stateOf(p);
    counts.set(s.key, { word: s.word, n: ((counts.get(s.key) || {}).n || 0) + 1 });
  }
  const text = JSON.stringify([...counts]);
  if (cell.dataset.shown === text) return;
  cell.dataset.shown = text;
  cell.replaceChildren(...[...counts].flatMap(([key, c], i) => [i ? ' ' : '', badge(key, c.n + ' ' + c.word)]));
}

// the hosts, each up or said lost (with an icon and its word, not a colour alone)
function drawFleetHosts(cell, app) {
  const text = JSON.stringify(app.groups.map((g) => [g.node, g.state]));
  if (cell.dataset.shown === text) return;
  cell.dataset.shown = text;
  cell.replaceChildren(...app.groups.flatMap((g, i) => {
    const span = document.createElement('span');
    span.className = 'fleet-node ' + g.state;
    span.textContent = g.node + (g.state === 'up' ? '' : ' ' + g.state);
    return i ? [' ', span] : [span];
  }));
}

function newFleetGroup(shown, node) {
  const box = document.createElement('div');
  box.className = 'fleet-host';
  box.dataset.host = node;
  const head = box.appendChild(document.createElement('p'));
  head.className = 'fleet-head';
  const table = box.appendChild(document.createElement('table'));
  table.className = 'fleet-instances';
  const tr = table.createTHead().insertRow();
  for (const label of FLEET_COLUMNS.map((c) => c[1])) tr.appendChild(document.createElement('th')).textContent = label;
  const body = table.appendChild(document.createElement('tbody'));
  body.addEventListener('click', (e) => {
    const row = e.target.closest('tr');
    const p = row && fleetView.byInstance.get(row.dataset.key);
    if (!p) return;
    // named by its node, this host's too: a fleet app's "api" is every host's, "api@web-1" web-1's
    showLogs(p.name, p.pm_id, fleetView.all !== null ? p.host : undefined);
    drawFleet(); // the row marked selected
  });
  return { box, head, table, body, rows: new Map() };
}

const FLEET_COLUMNS = [['id', 'id'], ['instance', 'instance'], ['status', 'status'], ['pid', 'pid'], ['uptime', 'uptime'],
  ['restarts', '\u21BA'], ['cpu', 'cpu'], ['mem', 'mem']];

// this host's node: the members' answer says which is "self"; before it, the list's host
function ownNode() {
  const self = fleetView.hosts.find((h) => h.self);
  return self ? self.node : $('host').textContent;
}

// "web-1 · 2 instances, 1 of them extra · front 37 req/min", or "web-3 · lost (left the cluster) · its share: 1 extra on web-1"
function drawFleetGroup(box, g, app) {
  box.box.className = 'fleet-host ' + g.state;
  const figures = [];
  if (g.state !== 'up') {
    const covering = app.groups.filter((o) => o.state === 'up' && o.extras).map((o) => o.node + ' (+' + o.extras + ')');
    figures.push(g.state + (g.why ? ' (' + g.why + ')' : ''),
      covering.length ? 'its share runs as extras on ' + covering.join(', ') : 'its share does not run elsewhere yet');
  } else {
    figures.push(g.instances.length + ' instance' + (g.instances.length === 1 ? '' : 's') + (g.extras ? ', ' + g.extras + ' extra for a lost host' : ''),
      g.front == null ? 'no front here' : 'front ' + g.front + ' req/min');
  }
  const text = JSON.stringify([g.node, figures]);
  if (box.head.dataset.shown !== text) {
    box.head.dataset.shown = text;
    const node = document.createElement('b');
    node.className = 'node';
    node.textContent = g.node;
    box.head.replaceChildren(node, ...figures.flatMap((f) => {
      const span = document.createElement('span');
      span.className = 'fig';
      span.textContent = f;
      return [' \u00B7 ', span];
    }));
  }
  box.table.hidden = g.instances.length === 0;
  const seen = new Set();
  for (const p of g.instances) {
    const key = p.pm_id + '@' + g.node;
    seen.add(key);
    fleetView.byInstance.set(key, p);
    const row = box.rows.get(key) || newFleetInstance(box, key);
    row.process = p;
    fleetView.rows.set(key, row);
    drawFleetInstance(row, p, app);
  }
  for (const [key, row] of box.rows) if (!seen.has(key)) { row.tr.remove(); box.rows.delete(key); }
  inOrder(box.body, g.instances.map((p) => box.rows.get(p.pm_id + '@' + g.node).tr));
}

function newFleetInstance(box, key) {
  const tr = document.createElement('tr');
  tr.dataset.key = key;
  const cells = {};
  for (const [n, label] of FLEET_COLUMNS) {
    cells[n] = tr.appendChild(document.createElement('td'));
    cells[n].className = n;
    cells[n].dataset.label = label;
  }
  const open = cells.id.appendChild(document.createElement('button'));
  open.type = 'button';
  open.className = 'open';
  const row = { tr, cells, open, shown: {} };
  box.rows.set(key, row);
  return row;
}

function drawFleetInstance(row, p, app) {
  const env = p.pm2_env || {}, jpm = p.jpm, c = row.cells;
  write(row.open, String(p.pm_id));
  row.open.title = p.name + ' (' + p.pm_id + ') on ' + (p.host || jpm.host) + ': its logs, figures and history';
  const extra = instanceOf(p) >= app.perHost;
  write(c.instance, '#' + instanceOf(p) + (extra ? ' extra' : ''));
  c.instance.title = extra ? 'runs here for a lost host' : '';
  row.tr.classList.toggle('extra', extra);
  // the instance whose pane is open: pm_id@node in a cluster (the click above), pm_id alone
  row.tr.classList.toggle('selected', selectedPmId === (p.host ? p.pm_id + '@' + p.host : p.pm_id));
  drawState(row, p);
  write(c.pid, p.pid ? String(p.pid) : '-');
  write(c.uptime, env.status === 'online' ? duration(jpm.uptime_ms) : '-');
  write(c.restarts, String(env.restart_time));
  write(c.cpu, (p.monit ? p.monit.cpu : 0).toFixed(1) + '%');
  write(c.mem, bytes(p.monit ? p.monit.memory : 0));
}

// restart, reload, stop of the whole fleet app: from any member, every host's instances (docs/CLUSTER.md)
async function actOnFleet(name, e) {
  const action = e.target.dataset && e.target.dataset.action;
  if (!action) return;
  const what = action + ' ' + name + ' (every host)';
  try {
    say(what + '...');
    await call('POST', '/api/processes/' + encodeURIComponent(name) + '/' + action);
    say(what + ': done');
  } catch (err) {
    say(what + ': ' + err.message, true);
  }
  refreshSoon();
}

// A host's metrics sample (node null: this host's): its fleet instances' cpu and memory, as they come
// (the list, read every 5 s, brings the rest).
function fleetMetrics(node, sample) {
  if (!fleetView.rows.size) return;
  const host = node || ownNode();
  for (const m of sample.processes || []) {
    const row = fleetView.rows.get(m.pm_id + '@' + host);
    if (!row || !row.tr.isConnected) continue;
    row.process.monit = { cpu: m.cpu, memory: m.memory };
    write(row.cells.cpu, m.cpu.toFixed(1) + '%');
    write(row.cells.mem, bytes(m.memory));
  }
}

// The fleet's instances on the hosts up, for the tiles over the tables (states.js).
function fleetProcesses() {
  const source = fleetView.all !== null ? fleetView.all : fleetView.own;
  const down = new Set(fleetView.hosts.filter((h) => h.status !== 'ok').map((h) => h.node));
  return source.filter((p) => typeof p.pm_id === 'number' && !down.has(p.host || p.jpm.host));
}

// A fleet instance by pm_id and node (null: this host), as last listed: its pane's figures (logs.js).
function fleetProcess(node, pmId) {
  return fleetView.byInstance.get(pmId + '@' + (node || ownNode())) || null;
}
