// The alerts (jpm.json's alert rules, what they sent and to which webhook) and the apps' exceptions
// grouped by message and place. Read every few seconds while the dashboard shows, with app.js's
// token and call(); everything an app wrote is put in the page as text, never as HTML.
'use strict';

const ALERTS_REFRESH_MS = 5000;
const openStacks = new Set(); // the groups whose stack is unfolded, kept over refreshes

function cell(tr, text, className) {
  const td = document.createElement('td');
  td.textContent = text;
  if (className) td.className = className;
  tr.appendChild(td);
  return td;
}

function when(ms) {
  return new Date(ms).toLocaleString();
}

function showAlerts(data) {
  const rules = data.rules.map((r) => r.name + ' (' + r.when + (r.suppressed ? ', ' + r.suppressed + ' held back' : '') + ')');
  $('alert-rules').textContent = rules.length ? 'rules: ' + rules.join(', ') : 'no alert rules in jpm.json';
  const body = document.querySelector('#alert-list tbody');
  body.replaceChildren();
  for (const a of data.alerts) {
    const tr = document.createElement('tr');
    tr.className = 'alert-' + a.status;
    cell(tr, when(a.time), 'time');
    cell(tr, a.rule, 'rule');
    cell(tr, a.app, 'app');
    cell(tr, a.status, 'status');
    cell(tr, a.text, 'text');
    cell(tr, Object.entries(a.deliveries).map(([hook, how]) => hook + ': ' + how).join('; ') || 'listed only', 'deliveries');
    body.appendChild(tr);
  }
  $('alert-none').hidden = data.alerts.length > 0;
}

function showExceptions(data) {
  const body = document.querySelector('#exception-list tbody');
  body.replaceChildren();
  for (const g of data.groups) {
    const key = g.app + '\u0000' + g.message + '\u0000' + g.place;
    const tr = document.createElement('tr');
    cell(tr, String(g.count), 'count');
    cell(tr, g.app, 'app');
    cell(tr, g.message, 'message');
    cell(tr, g.place, 'place');
    cell(tr, when(g.first_seen), 'time');
    cell(tr, when(g.last_seen), 'time');
    tr.title = 'click for the stack (' + g.source + ')';
    tr.addEventListener('click', () => {
      if (openStacks.has(key)) openStacks.delete(key); else openStacks.add(key);
      refreshAlerts();
    });
    body.appendChild(tr);
    if (openStacks.has(key)) {
      const row = document.createElement('tr');
      const td = document.createElement('td');
      td.colSpan = 6;
      const pre = document.createElement('pre');
      pre.className = 'stack';
      pre.textContent = g.stack;
      td.appendChild(pre);
      row.appendChild(td);
      body.appendChild(row);
    }
  }
  $('exception-none').hidden = data.groups.length > 0;
}

async function refreshAlerts() {
  if (!token() || $('dashboard').hidden) return;
  try {
    const [alerts, exceptions] = await Promise.all([call('GET', '/api/alerts'), call('GET', '/api/exceptions?limit=100')]);
    showAlerts(alerts);
    showExceptions(exceptions);
  } catch (e) {
    // the daemon is away or older than these routes: app.js's live marker says the first
  }
}

setInterval(refreshAlerts, ALERTS_REFRESH_MS);
// the first look as soon as the dashboard opens, not a whole period later
new MutationObserver(refreshAlerts).observe($('dashboard'), { attributes: true, attributeFilter: ['hidden'] });
