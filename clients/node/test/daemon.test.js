'use strict';
// Whether a lost daemon stopped for good (lib/daemon.js): its home's pid file, under jpm's name or pm2's.
const test = require('node:test');
const assert = require('node:assert');
const fs = require('fs');
const os = require('os');
const path = require('path');
const { stoppedForGood } = require('../lib/daemon');

test('a home whose pid file is left, under jpm\'s name or pm2\'s, has a daemon to come back', () => {
  const home = fs.mkdtempSync(path.join(os.tmpdir(), 'jpm-pm2-home-'));
  try {
    assert.strictEqual(stoppedForGood(home), true);
    fs.writeFileSync(path.join(home, 'pm2.pid'), '4242');
    assert.strictEqual(stoppedForGood(home), false, 'pm2.pid: JPM_FILE_NAMES=pm2');
    fs.unlinkSync(path.join(home, 'pm2.pid'));
    fs.writeFileSync(path.join(home, 'jpm.pid'), '4242\n');
    assert.strictEqual(stoppedForGood(home), false);
  } finally {
    fs.rmSync(home, { recursive: true, force: true });
  }
});
