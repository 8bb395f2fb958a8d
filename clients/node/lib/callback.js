'use strict';
// pm2's calling convention: `cb(err, result)` when a callback is given, else (jpm-pm2 only) a
// Promise. The callback runs on a tick of its own, outside the promise's handlers, so an exception
// it throws (a test's failed assertion) surfaces at once as an uncaught exception, as under pm2,
// instead of becoming an unhandled rejection.

/**
 * Calls `cb(err, result)` when given, else returns the promise.
 * @template T
 * @param {Promise<T>} promise
 * @param {Function} [cb]
 * @returns {Promise<T> | undefined}
 */
function answer(promise, cb) {
  if (typeof cb !== 'function') {
    return promise;
  }
  promise.then(
    (result) => process.nextTick(cb, null, result),
    (error) => process.nextTick(cb, error)
  );
  return undefined;
}

/** The callback among a call's arguments (pm2's optional arguments come before it). */
function callbackOf(...args) {
  return args.find((a) => typeof a === 'function');
}

module.exports = { answer, callbackOf };
