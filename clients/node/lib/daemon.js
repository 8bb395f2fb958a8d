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

/**
 * The bridge's address and the admin token, or null when no daemon.json is there (no daemon).
 * @returns {{host: string, port: number, token: string, tls?: object} | null}
 */
function find() {
  let info;
  try {
    info = JSON.parse(fs.readFileSync(path.join(home(), 'daemon.json'), 'utf8'));
  } catch (e) {
    return null;
  }
  const token = fs.readFileSync(path.join(home(), 'token'), 'utf8').trim();
  let host = info.bridgeHost || '127.0.0.1';
  // a bridge on every address is reached on loopback
  host = host === '0.0.0.0' ? '127.0.0.1' : host === '::' ? '::1' : host;
  return { host, port: info.bridgePort, token, tls: info.bridgeTls };
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

/** Starts a daemon for JPM_HOME with `jpm ping`, as pm2's connect forks its daemon when none runs. */
function start() {
  return new Promise((resolve, reject) => {
    execFile(launcher(), ['ping'], { env: process.env }, (error, stdout, stderr) => {
      if (error) {
        reject(new Error('jpm: could not start the daemon with `' + launcher() + ' ping`: ' + (stderr || error.message).trim()));
      } else {
        resolve();
      }
    });
  });
}

module.exports = { home, find, start, launcher };
