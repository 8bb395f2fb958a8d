'use strict';
// jpm's process events (docs/PROTOCOL.md, section 7: one per state change, {pm_id, from, to,
// reason, ...}) in pm2's bus vocabulary. Measured with pm2 7.0.4 (launchBus, `pm2.restart('app')`):
//   exit (status stopping), exit (status stopped), online, restart
// jpm publishes for the same restart: online->stopping, stopping->stopped, stopped->launching,
// launching->online, so each transition gives the pm2 events below; `start`, `restart`, `reload`
// and `stop` come after the transition that completes the command, as pm2's God and
// client notify them, with `manually: true` (pm2's notifyGod and God.notify(.., true)).

/** The command a stopping or launching event's reason names (Supervisor's "<verb> asked", God's "start"). */
function askedBy(reason) {
  const text = reason || '';
  if (text === 'start') {
    return 'start'; // a new instance: pm2's God.prepare notifies `start` once it is online
  }
  if (/^start of (existing|a resting) (process|app)$/.test(text)) {
    return 'restart'; // pm2's start of an app that exists restarts it
  }
  const match = /^(restart|reload|stop|delete) asked$/.exec(text);
  return match ? match[1] : null;
}

/** pm2's event as the daemon sends it (manually: false) or as a command's notice (true). */
function told(event) {
  return { event, manually: false };
}

function notice(event) {
  return { event, manually: true };
}

/**
 * pm2's events for one jpm process event, in the order pm2 emits them.
 * @param {{pm_id: number, from: string, to: string, reason: string}} event
 * @param {Map<number, string>} asked the command under way per pm_id (kept between events)
 * @returns {{event: string, manually: boolean}[]}
 */
function pm2Events(event, asked) {
  const { pm_id: id, from, to } = event;
  if (from === to) {
    return []; // a fresh God took the instance over: nothing happened to the app
  }
  switch (to) {
    case 'stopping':
      if (askedBy(event.reason)) {
        asked.set(id, askedBy(event.reason));
      }
      // pm2's stopProcessId notifies `exit` as it sends the kill signal
      return [told('exit')];
    case 'launching':
      if (askedBy(event.reason) && !asked.has(id)) {
        asked.set(id, askedBy(event.reason)); // a start, or a restart of a stopped app: no stopping before
      }
      return [];
    case 'online': {
      const command = asked.get(id);
      asked.delete(id);
      return command === 'start' || command === 'restart' || command === 'reload'
        ? [told('online'), notice(command)]
        : [told('online')];
    }
    case 'errored':
      asked.delete(id);
      // pm2 notifies `restart overlimit` before the exit that made it give up
      return from === 'stopped' ? [] : [told('restart overlimit'), told('exit')];
    case 'stopped':
    case 'waiting restart': {
      if (from === 'errored' || from === 'waiting restart') {
        return [];
      }
      const command = asked.get(id);
      if (command === 'stop') {
        asked.delete(id);
        return [told('exit'), notice('stop')];
      }
      return [told('exit')];
    }
    case 'deleted':
      // pm2 7.0.4 notifies `delete` once the process left its table, which its notifyByProcessId
      // refuses ("process id doesnt exists"): its bus never says `delete` (measured)
      asked.delete(id);
      return [];
    default:
      return [];
  }
}

/**
 * pm2's `process` of a process:event: the process's pm2_env with its name, pm_id and pid on top
 * (pm2 sends the whole proc.pm2_env), status as the event leaves it.
 * @param {object | undefined} row the instance's jlist row (jpm.query.describe), when known
 * @param {object} event the jpm event
 */
function pm2Process(row, event) {
  const env = (row && row.pm2_env) || {};
  return {
    ...env,
    name: event.app,
    pm_id: event.pm_id,
    pid: event.pid || 0,
    namespace: env.namespace || 'default',
    status: event.to === 'deleted' ? 'stopped' : event.to,
    exit_code: event.exit_code === null || event.exit_code === undefined ? env.exit_code : event.exit_code,
  };
}

/**
 * pm2's log:out / log:err packets for one jpm.events.log batch (pm2 sends each chunk with its newline).
 * @param {{lines: {app: string, pm_id: number, stream: string, line: string, time: number}[]}} batch
 * @param {(pm_id: number) => (object | undefined)} rowOf
 * @returns {{name: string, packet: object}[]}
 */
function pm2Logs(batch, rowOf) {
  return (batch.lines || []).map((l) => {
    const row = rowOf(l.pm_id);
    const namespace = (row && row.pm2_env && row.pm2_env.namespace) || 'default';
    return {
      name: l.stream === 'err' ? 'log:err' : 'log:out',
      packet: { process: { pm_id: l.pm_id, name: l.app, rev: null, namespace }, at: l.time, data: l.line + '\n' },
    };
  });
}

/**
 * pm2's bus event for what an app sent with process.send (jpm.events.appMessage; pm2's ForkMode):
 * a packet with `type` and `data` goes out under its type with its data, anything else as
 * process:msg with the message in `raw`.
 * @param {{app: string, pm_id: number, message: any, time: number}} event
 * @param {object | undefined} row the instance's jlist row, when known
 * @returns {{name: string, packet: object}}
 */
function pm2Message(event, row) {
  const env = (row && row.pm2_env) || {};
  const process = { pm_id: event.pm_id, name: event.app, versioning: env.versioning || null, namespace: env.namespace || 'default' };
  const message = event.message;
  if (message && message.data && message.type) {
    return { name: message.type, packet: { at: event.time, data: message.data, process } };
  }
  return { name: 'process:msg', packet: { at: event.time, raw: message, process } };
}

module.exports = { pm2Events, pm2Process, pm2Logs, pm2Message, askedBy };
