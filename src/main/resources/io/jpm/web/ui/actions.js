// The selected instance's @pm2/io actions (jlist's pm2_env.axm_actions, what `jpm describe` lists
// under "Actions available") as buttons in its pane, run as `jpm trigger` runs them (POST
// /api/processes/:pm_id/trigger) with the answer shown under them. An action whose handler takes a
// parameter (arity 2: @pm2/io then hands it one) gets a text field; Enter in it runs the action.
// The admin token only: for the read-only one the buttons and fields are disabled (app.js's
// showAccess), and the daemon refuses a trigger sent with it all the same.
'use strict';

let actionsShown = null; // the instance and its actions as drawn: drawn again only when they change

// pm2 Plus lists the custom ones; km:/internal: actions are pm2's own, scoped ones stream (not run here)
function customActions(process) {
  const all = (process && process.pm2_env && process.pm2_env.axm_actions) || [];
  return all.filter((a) => a && typeof a.action_name === 'string' && (a.action_type || 'custom') === 'custom');
}

// Called with each reading of the selected instance (logs.js's showCodeMetrics).
function showActions(process) {
  const instance = selectedPmId;
  const actions = customActions(process);
  const shown = JSON.stringify([instance, actions.map((a) => [a.action_name, a.arity])]);
  if (shown === actionsShown) return;
  const sameInstance = actionsShown !== null && JSON.parse(actionsShown)[0] === instance;
  actionsShown = shown;
  $('actions').hidden = actions.length === 0;
  $('actions-app').textContent = selected + ' (' + (process ? process.pm_id : instance) + ')';
  if (!sameInstance) setAnswer('', false);
  const list = $('action-list');
  list.replaceChildren();
  for (const a of actions) list.appendChild(actionForm(instance, a));
}

function actionForm(instance, action) {
  const form = document.createElement('form');
  form.className = 'action';
  let field = null;
  if (action.arity >= 2) {
    field = document.createElement('input');
    field.type = 'text';
    field.placeholder = 'parameter';
    field.setAttribute('aria-label', 'parameter of ' + action.action_name);
    field.dataset.admin = '';
    form.appendChild(field);
  }
  const button = document.createElement('button');
  button.type = 'submit';
  button.textContent = action.action_name;
  button.dataset.admin = '';
  form.appendChild(button);
  adminOnly(button);
  if (field) adminOnly(field);
  form.addEventListener('submit', (e) => {
    e.preventDefault();
    trigger(instance, action.action_name, field && field.value !== '' ? field.value : undefined);
  });
  return form;
}

// Each instance's reply as `jpm trigger` prints it: [name:pm_id:namespace]=<the reply as JSON>.
async function trigger(instance, action, params) {
  setAnswer(action + ': sent, waiting for the answer...', false);
  try {
    const answer = await call('POST', '/api/processes/' + encodeURIComponent(instance) + '/trigger',
      params === undefined ? { action } : { action, params });
    if (selectedPmId !== instance) return; // another app's pane by now
    const who = (r) => '[' + r.name + ':' + r.pm_id + ':' + r.namespace + ']';
    const lines = [action + ': ' + answer.sent + ' process' + (answer.sent === 1 ? '' : 'es') + ' received it'];
    for (const r of answer.replies) lines.push(who(r) + '=' + (r.return === undefined ? 'undefined' : JSON.stringify(r.return)));
    for (const r of answer.missing) lines.push(who(r) + ' has not replied within 30 s');
    setAnswer(lines.join('\n'), answer.missing.length > 0);
  } catch (e) {
    if (selectedPmId === instance) setAnswer(action + ': ' + e.message, true);
  }
}

function setAnswer(text, error) {
  $('action-answer').textContent = text;
  $('action-answer').classList.toggle('error', error);
}
