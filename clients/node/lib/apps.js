'use strict';
// What pm2's calls take as a target or a start: an app's options object, a config object
// (`{apps: [...]}`), an array of apps, an ecosystem file, an id or a name.

/** pm2's rule for a config file rather than a script (Common.isConfigFile). */
const ECOSYSTEM_FILE = /(\.json|\.ya?ml|\.config\.[cm]?js)$/;

function isEcosystemFile(target) {
  return typeof target === 'string' && ECOSYSTEM_FILE.test(target);
}

/**
 * The apps of an options object, a config object or an array of either.
 * @param {object | object[]} config
 * @returns {object[]}
 */
function appsOf(config) {
  if (Array.isArray(config)) {
    return config.flatMap(appsOf);
  }
  if (config && Array.isArray(config.apps)) {
    return config.apps;
  }
  return config && typeof config === 'object' ? [config] : [];
}

/**
 * The daemon's targets (docs/PROTOCOL.md, target request) for what pm2's stop, restart, delete or
 * actionFromJson take: an id, a name, 'all', a file, or the apps of an object (each by its name, a
 * nameless one by its script, which the daemon resolves against `cwd`).
 * @param {string | number | object} target
 * @returns {string[]}
 */
function targetsOf(target) {
  if (target !== null && typeof target === 'object') {
    return appsOf(target).map((app) => (app.name !== undefined ? String(app.name) : String(app.script)));
  }
  return [String(target)];
}

module.exports = { isEcosystemFile, appsOf, targetsOf };
