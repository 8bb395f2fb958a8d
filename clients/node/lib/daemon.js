'use strict';
// Finding the daemon as the jpm CLI does (docs/PROTOCOL.md, section 1): JPM_HOME (default ~/.jpm),
// its daemon.json for the bridge's address, its token file for the admin token; and starting it
// when none runs, by running the jpm launcher's `jpm ping` (which starts a daemon and waits for it).
const fs = require('fs');
const os = require('os');
const path = require('path');
const { execFile } = require('child_process');

/** JPM_HOME when set, else ~/.jpm (io.jpm.protocol.JpmHome). */
function home() {
  return process.env.JPM_HOME || path.join(os.homedir(), '.jpm');
}

/** The home of pm2's default, which pm2's destroy refuses to remove: ~/.jpm. */
function isDefaultHome(where) {
  return path.resolve(where) === path.join(os.homedir(), '.jpm');
}

/**
 * The bridge's address and the admin token, or null when no daemon.json is there (no daemon).
 * @param {string} [where] the JPM_HOME (default: home())
 * @returns {{host: string, port: number, token: string, tls?: object} | null}
 */
function find(where = home()) {
  let info;
  let token;
  try {
    info = JSON.parse(fs.readFileSync(path.join(where, 'daemon.json'), 'utf8'));
    token = fs.readFileSync(path.join(where, 'token'), 'utf8').trim();
  } catch (e) {
    return null; // none, or a daemon that is writing them now
  }
  let host = info.bridgeHost || '127.0.0.1';
  // a bridge on every address is reached on loopback
  host = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return { host, port: info.bridgePort, token, tls: info.bridgeTls };
}

/**
 * Whether the daemon of `where` stopped for good: a clean stop removes its pid file (jpm.pid, or
 * pm2.pid in a home with pm2's file names, JPM_FILE_NAMES=pm2), where a daemon that crashed or left
 * for an update leaves it for the next one (docs/ARCHITECTURE.md, the keeper).
 */
function stoppedForGood(where) {
  return !['jpm.pid', 'pm2.pid'].some((name) => fs.existsSync(path.join(where, name)));
}

/**
 * The jpm launcher: JPM_BIN when set, else bin/jpm of the repository this package sits in
 * (clients/node/../../bin/jpm), else `jpm` on PATH.
 */
function launcher() {
  if (process.env.JPM_BIN) {
    return process.env.JPM_BIN;
  }
  const beside = path.join(__dirname, '..', '..', '..', 'bin', 'jpm');
  return fs.existsSync(beside) ? beside : 'jpm';
}

/** Starts a daemon for `where` with `jpm ping`, as pm2's connect forks its daemon when none runs. */
function start(where = home()) {
  return run(where, ['ping']);
}

/**
 * Runs `jpm <args>` for the home `where`; resolves with what it printed.
 * @param {string} where
 * @param {string[]} args
 * @returns {Promise<string>}
 */
function run(where, args) {
  return new Promise((resolve, reject) => {
    execFile(launcher(), args, { env: { ...process.env, JPM_HOME: where } }, (error, stdout, stderr) => {
      if (error) {
        const said = (stderr || error.message).trim();
        reject(new Error('jpm: `' + launcher() + ' ' + args.join(' ') + '` failed: ' + said));
      } else {
        resolve(stdout);
      }
    });
  });
}

module.exports = { home, isDefaultHome, find, stoppedForGood, start, run, launcher };
