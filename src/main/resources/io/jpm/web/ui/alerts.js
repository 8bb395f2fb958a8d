// The alerts (jpm.json's alert rules, what they sent and to which webhook) and the apps' exceptions
// grouped by message and place, of every host the page shows. Read every few seconds while the dashboard shows, with app.js's
// token and call(); everything an app wrote is put in the page as text, never as HTML.
'use strict';

const ALERTS_REFRESH_MS = 5000;
const openStacks = new Set(); // the groups whose stack is unfolded, kept over refreshes

function cell(tr, text, className, label) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  td.dataset.label = label || className || '';
  tr.appendChild(td);
  return td;
}

function when(ms) {
  return new Date(ms).toLocaleString();
}

// Drawn again only when something changed: a refresh that changes nothing leaves the page alone.
function showAlerts(data) {
  const rules = data.rules.map((r) => r.name + ' (' + r.when + (r.suppressed ? ', ' + r.suppressed + ' held back' : '') + ')');
  $('alert-rules').textContent = rules.length ? 'rules: ' + rules.join(', ') : 'no alert rules in jpm.json';
  const body = document.querySelector('#alert-list tbody');
  const shown = JSON.stringify(data.alerts);
  $('alert-none').hidden = data.alerts.length > 0;
  if (body.dataset.shown === shown) return;
  body.dataset.shown = shown;
  body.replaceChildren();
  for (const a of data.alerts) {
    const tr = document.createElement('tr');
    tr.className = 'alert-' + a.status;
    cell(tr, when(a.time), 'time', 'when');
    cell(tr, a.rule, 'rule');
    cell(tr, a.app, 'app');
    cell(tr, a.status, 'status');
    cell(tr, a.text, 'text', 'what');
    cell(tr, Object.entries(a.deliveries).map(([hook, how]) => hook + ': ' + how).join('; ') || 'listed only', 'deliveries', 'webhooks');
    body.appendChild(tr);
  }
}

// A row per group, kept by its key from one refresh to the next (its button keeps the keyboard's
// focus); its message a button that unfolds its stack in a row under it, there only while unfolded.
const exceptionRows = new Map(); // key -> {tr, stack: tr, shown}
function showExceptions(data) {
  const body = document.querySelector('#exception-list tbody');
  const seen = new Set(), order = [];
  for (const g of data.groups) {
    const key = g.app + '\u0000' + g.message + '\u0000' + g.place;
    seen.add(key);
    const row = exceptionRows.get(key) || exceptionRow(key);
    const shown = JSON.stringify([g.count, g.app, g.message, g.place, g.first_seen, g.last_seen, g.source, openStacks.has(key)]);
    if (row.shown !== shown) {
      row.shown = shown;
      const [count, app, message, place, first, last] = row.tr.children;
      count.textContent = String(g.count);
      app.textContent = g.app;
      message.firstChild.textContent = g.message;
      message.firstChild.setAttribute('aria-expanded', String(openStacks.has(key)));
      place.textContent = g.place;
      first.textContent = when(g.first_seen);
      last.textContent = when(g.last_seen);
      row.tr.title = 'its stack (' + g.source + ')';
      row.stack.querySelector('pre').textContent = g.stack;
    }
    order.push(row.tr);
    if (openStacks.has(key)) order.push(row.stack); else row.stack.remove();
  }
  for (const [key, row] of exceptionRows) {
    if (!seen.has(key)) { row.tr.remove(); row.stack.remove(); exceptionRows.delete(key); }
  }
  inOrder(body, order);
  $('exception-none').hidden = data.groups.length > 0;
}

function exceptionRow(key) {
  const tr = document.createElement('tr');
  cell(tr, '', 'count');
  cell(tr, '', 'app');
  const message = cell(tr, '', 'message');
  const toggle = message.appendChild(document.createElement('button'));
  toggle.type = 'button';
  toggle.className = 'stack-toggle';
  cell(tr, '', 'place');
  cell(tr, '', 'time', 'first seen');
  cell(tr, '', 'time', 'last seen');
  const stack = document.createElement('tr');
  stack.className = 'stack-row';
  const td = stack.appendChild(document.createElement('td'));
  td.colSpan = 6;
  const pre = td.appendChild(document.createElement('pre'));
  pre.className = 'stack';
  tr.addEventListener('click', () => {
    if (openStacks.has(key)) openStacks.delete(key); else openStacks.add(key);
    refreshAlerts();
  });
  const row = { tr, stack, shown: null };
  exceptionRows.set(key, row);
  return row;
}

// This host's lists, and each other member's that answers (hosts.js's hostGroups: each member keeps
// its own), their apps named app@host as everywhere on the page, merged newest first.
async function refreshAlerts() {
  if (!token() || $('dashboard').hidden) return;
  const members = [...hostGroups.keys()].filter((n) => !hostGroups.get(n).table.classList.contains('host-down'));
  const ask = (path, node) => call('GET', path + (node ? (path.includes('?') ? '&' : '?') + 'host=' + encodeURIComponent(node) : ''));
  // a member that does not answer is left out (hosts.js says so); this host's failure is the page's
  const lists = (node) => Promise.all([ask('/api/alerts', node), ask('/api/exceptions?limit=100', node)])
    .then(([alerts, exceptions]) => ({ node, alerts, exceptions }), (e) => (node ? null : Promise.reject(e)));
  try {
    const [own, ...others] = await Promise.all([null, ...members].map(lists));
    const alerts = [...own.alerts.alerts], groups = [...own.exceptions.groups], rules = [...own.alerts.rules];
    for (const o of others.filter(Boolean)) {
      rules.push(...o.alerts.rules.map((r) => ({ ...r, name: r.name + '@' + o.node })));
      alerts.push(...o.alerts.alerts.map((a) => ({ ...a, app: a.app + '@' + o.node })));
      groups.push(...o.exceptions.groups.map((g) => ({ ...g, app: g.app + '@' + o.node })));
    }
    alerts.sort((a, b) => b.time - a.time);
    groups.sort((a, b) => b.last_seen - a.last_seen);
    showAlerts({ rules, alerts });
    showExceptions({ groups });
  } catch (e) {
    // the daemon is away or older than these routes: app.js's live marker says the first
  }
}

setInterval(refreshAlerts, ALERTS_REFRESH_MS);
// the first look as soon as the dashboard opens, not a whole period later
new MutationObserver(refreshAlerts).observe($('dashboard'), { attributes: true, attributeFilter: ['hidden'] });
