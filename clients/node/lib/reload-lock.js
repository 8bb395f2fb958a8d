'use strict';
// pm2's reload lock (Common.lockReload): a reload writes the time it began to the home's reload.lock
// (pm2's PM2_RELOAD_LOCKFILE) and empties it when done; another reload meanwhile, from this process
// or another, is refused for PM2_RELOAD_LOCK_TIMEOUT ms (default 30000) unless forced. A lock older
// than that is stale (a reload that died) and taken over.
const fs = require('fs');
const path = require('path');

const DEFAULT_TIMEOUT_MS = 30000;

function file(home) {
  return path.join(home, 'reload.lock');
}

function timeoutMs() {
  return parseInt(process.env.PM2_RELOAD_LOCK_TIMEOUT, 10) || DEFAULT_TIMEOUT_MS;
}

/**
 * Takes the lock; returns 0, or how many ms ago (at least 1) the reload that holds it began.
 * @param {string} home the daemon's home (JPM_HOME, pm2's PM2_HOME)
 */
function lock(home) {
  try {
    const began = fs.readFileSync(file(home), 'utf8');
    const ago = Date.now() - parseInt(began, 10);
    if (began !== '' && ago < timeoutMs()) {
      // at least 1: a reload asked in the same millisecond as the one holding the lock is refused too
      return Math.max(1, ago);
    }
  } catch (e) {
    // no lock file yet
  }
  try {
    fs.writeFileSync(file(home), String(Date.now()));
  } catch (e) {
    // a home that is not there yet: the reload goes on without a lock, as pm2's
  }
  return 0;
}

function unlock(home) {
  try {
    fs.writeFileSync(file(home), '');
  } catch (e) {
    // as lock
  }
}

module.exports = { lock, unlock, timeoutMs };
