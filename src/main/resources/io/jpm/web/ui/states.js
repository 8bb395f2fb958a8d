// What state an app is in, as a person reads it at a glance: pm2's status word, except that an app
// restarting again and again is a crash loop (pm2 shows it "online" between two crashes), and a
// failing health check is said beside it. Each state has a word and an icon (style.css), never a
// colour alone. The summary over the table counts the apps by these states.
'use strict';

// exits nobody asked for within the last minute (jlist's jpm.exits_last_minute) that make a crash loop
const CRASH_LOOP_EXITS = 3;

const STATES = {
  crashloop: 'crash loop',
  errored: 'errored',
  waiting: 'waiting restart',
  stopped: 'stopped',
  stopping: 'stopping',
  launching: 'launching',
  online: 'online',
};

// {key, word, why}: key names the CSS class (state-<key>), word is shown, why goes in the tooltip
function stateOf(p) {
  const env = p.pm2_env || {}, jpm = p.jpm || {};
  const status = String(env.status || '');
  const exits = jpm.exits_last_minute || 0;
  const key = Object.keys(STATES).find((k) => STATES[k] === status) || 'launching';
  const looping = exits >= CRASH_LOOP_EXITS && (key === 'online' || key === 'launching' || key === 'waiting');
  const why = [status ? 'status: ' + status : '', exits ? exits + ' exits in the last minute' : '', jpm.last_reason || '']
    .filter(Boolean).join('; ');
  return looping ? { key: 'crashloop', word: STATES.crashloop, why } : { key, word: status || 'unknown', why };
}

// Failing its health check: judged unhealthy now, or restarted for it and not passed since (the restart
// follows the verdict at once, so "unhealthy" alone would show for a moment only).
function unhealthy(p) {
  const jpm = p.jpm || {};
  return jpm.health === 'unhealthy'
    || (jpm.health === 'starting' && String(jpm.watchdog_restart || '').startsWith('unhealthy'));
}

// One badge: the word in a span whose class gives its colour and icon.
function badge(key, word, why) {
  const span = document.createElement('span');
  span.className = 'badge state-' + key;
  span.textContent = word;
  if (why) span.title = why;
  return span;
}

// The counts over the table: apps by state, and the apps' cpu and memory together, over every host the
// page shows (each host's own figures are in its caption, hosts.js); a member that does not answer is
// counted as such, its apps as last seen left out.
function drawSummary() {
  const counts = {}, processes = [...rows.values()].map((r) => r.process).filter(Boolean).concat(fleetProcesses());
  let hosts = 1, down = 0;
  for (const group of hostGroups.values()) {
    hosts++;
    if (group.table.classList.contains('host-down')) { down++; continue; }
    for (const r of group.rows.values()) if (r.process) processes.push(r.process);
  }
  let cpu = 0, memory = 0, sick = 0;
  for (const p of processes) {
    const key = stateOf(p).key;
    counts[key] = (counts[key] || 0) + 1;
    if (unhealthy(p)) sick++;
    cpu += p.monit ? p.monit.cpu : 0;
    memory += p.monit ? p.monit.memory : 0;
  }
  const every = hosts > 1 ? ' on ' + hosts + ' hosts' : '';
  const tiles = [];
  if (down) tiles.push(['unreachable', down + ' of ' + hosts, 'down']);
  tiles.push(['apps' + every, String(processes.length), 'total']);
  for (const key of Object.keys(STATES)) if (counts[key]) tiles.push([STATES[key], String(counts[key]), key]);
  if (sick) tiles.push(['unhealthy', String(sick), 'unhealthy']);
  tiles.push(['cpu' + every, cpu.toFixed(1) + '%', 'figure'], ['memory' + every, bytes(memory), 'figure']);
  const box = $('summary');
  const text = JSON.stringify(tiles);
  if (box.dataset.shown === text) return; // nothing changed: the DOM is left alone
  box.dataset.shown = text;
  box.textContent = '';
  for (const [label, value, key] of tiles) {
    const tile = document.createElement('div');
    tile.className = 'tile tile-' + key;
    const b = document.createElement('b');
    b.textContent = value;
    const small = document.createElement('span');
    small.textContent = label;
    tile.append(b, small);
    box.appendChild(tile);
  }
}
