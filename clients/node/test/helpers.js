'use strict';
// What the tests against a real daemon share. They run when JPM_NODE_TEST_HOME names a JPM_HOME of
// their own (Pm2NodePackageIT sets it, with JPM_BIN and JPM_BRIDGE_PORT=0); without it they are
// skipped, so `npm test` never touches the daemon of ~/.jpm.
const fs = require('fs');
const os = require('os');
const path = require('path');

const HOME = process.env.JPM_NODE_TEST_HOME;
const skip = HOME ? false : 'JPM_NODE_TEST_HOME is not set (Pm2NodePackageIT sets it)';
if (HOME) {
  process.env.JPM_HOME = HOME;
}

/** Where the tests write: beside the test's JPM_HOME (the IT's folder, removed with it). */
const BASE = HOME ? path.dirname(HOME) : os.tmpdir();

/** A folder of the test's own with an idle Node app (app.js) and a package.json of version 1.2.3. */
function fixtures() {
  const dir = fs.mkdtempSync(path.join(BASE, 'jpm-pm2-test-'));
  fs.writeFileSync(path.join(dir, 'app.js'), 'setInterval(() => {}, 1000);\n');
  fs.writeFileSync(path.join(dir, 'package.json'), '{"name":"fixture","version":"1.2.3"}\n');
  return dir;
}

/** Polls `probe` every 50 ms until it returns a truthy value; fails after `ms` naming `what`. */
async function until(what, probe, ms = 30000) {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await probe();
    if (value) {
      return value;
    }
    if (Date.now() > deadline) {
      throw new Error('timed out waiting for ' + what);
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** A pm2 call with a callback, as a promise of [err, result] (the callback form is what is tested). */
function called(fn) {
  return new Promise((resolve) => fn((err, result) => resolve([err, result])));
}

module.exports = { HOME, BASE, skip, fixtures, until, called };
