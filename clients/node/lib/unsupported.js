'use strict';
// pm2 7's API calls that do not map onto a jpm daemon, each with why (docs/COMPAT.md lists them):
// they call back (or reject with) an Error that says so, pm2's error shape, rather than leaving a
// tool with "is not a function".
const { answer, callbackOf } = require('./callback');

const WHY = {
  print: 'it prints for pm2\'s CLI: use list() or describe(), or run the jpm command',
  plus: 'pm2 Plus (app.pm2.io) is not part of jpm',
  modules: 'jpm has no module system: a tool runs as an app (jpm start)',
  deploy: 'use `jpm deploy` on the command line',
  system: 'use the jpm command of the same name on the command line',
};

const CALLS = {
  jlist: WHY.print,
  slist: WHY.print,
  speedList: WHY.print,
  monit: WHY.print,
  dashboard: WHY.print,
  printLogs: WHY.print,
  streamLogs: WHY.print,
  attach: WHY.print,
  inspect: WHY.print,
  env: WHY.print,
  report: WHY.print,
  boilerplate: WHY.print,
  generateSample: WHY.print,
  get: WHY.print,
  conf: WHY.print,
  link: WHY.plus,
  unlink: WHY.plus,
  linkManagement: WHY.plus,
  agentInfos: WHY.plus,
  killAgent: WHY.plus,
  openDashboard: WHY.plus,
  clearSetup: WHY.plus,
  minimumSetup: WHY.plus,
  monitorState: WHY.plus,
  profile: WHY.plus,
  autoinstall: WHY.modules,
  deleteModule: WHY.modules,
  generateModuleSample: WHY.modules,
  package: WHY.modules,
  publish: WHY.modules,
  launchAll: WHY.modules,
  deploy: WHY.deploy,
  backward: WHY.deploy,
  forward: WHY.deploy,
  pullAndReload: WHY.deploy,
  pullAndRestart: WHY.deploy,
  pullCommitId: WHY.deploy,
  remote: WHY.deploy,
  remoteV2: WHY.deploy,
  startup: WHY.system,
  uninstallStartup: WHY.system,
  logrotate: WHY.system,
  deepUpdate: WHY.system,
  autodump: WHY.system,
  serve: WHY.system,
  dockerMode: WHY.system,
  generateDockerfile: WHY.system,
  exitCli: WHY.system,
};

const unsupported = {};
for (const [name, why] of Object.entries(CALLS)) {
  unsupported[name] = function (...args) {
    return answer(Promise.reject(new Error('jpm-pm2: pm2.' + name + ' is not supported: ' + why + ' (docs/COMPAT.md)')), callbackOf(...args));
  };
}

module.exports = unsupported;
