'use strict';
// What pm2 does in every Node app it starts, loaded first with `node -r` in every Node app jpm
// starts: an unhandled promise rejection is written to the error log and the app runs on (Node
// alone ends it, so a noisy app crash-looped into `errored`); an uncaught exception is written there
// and ends the app with exit code 1, unless the app listens for it itself. The app's own listeners
// are called as usual, after this one.
//
// The text is pm2's, mode by mode (checked against pm2 7.0.4), so whatever reads pm2's error logs
// reads jpm's: in cluster mode its container's (lib/ProcessContainer.js: the stack, a rejection
// after "You have triggered an unhandledRejection..."), in fork mode @pm2/io's (console.error of
// the error; a rejection with no reason at all is not logged).
(function () {
  const cluster = process.env.exec_mode === 'cluster_mode';

  // @pm2/io's own handlers (an app that loads @pm2/io, in fork mode): they log the error as this
  // preload would and report it to the daemon (process:exception), but exit only when they are the
  // one listener, which this preload's presence prevents. So with them there this preload logs
  // nothing and does the exit for them, once they have run.
  function pm2Io(listener) {
    return listener.name === 'bound onUncaughtException' || listener.name === 'bound onUnhandledRejection';
  }

  function noOtherListener(event, mine) {
    return process.listeners(event).every((listener) => listener === mine || pm2Io(listener));
  }

  function withPm2Io(event) {
    return process.listeners(event).some(pm2Io);
  }

  function clusterText(event, err) {
    const error = err && err.stack ? err.stack : err;
    return event === 'unhandledRejection'
      ? 'You have triggered an unhandledRejection, you may have forgotten to catch a Promise rejection:\n' + error + '\n'
      : error + '\n';
  }

  function onException(err) {
    if (withPm2Io('uncaughtException')) {
      if (noOtherListener('uncaughtException', onException)) {
        setImmediate(() => process.exit(1)); // after @pm2/io's handler has logged and reported it
      }
      return;
    }
    if (cluster) {
      process.stderr.write(clusterText('uncaughtException', err));
    } else {
      console.error(err);
    }
    // the stderr pipe is written synchronously on Linux: the line is out before the exit
    if (noOtherListener('uncaughtException', onException)) {
      process.exit(1);
    }
  }

  function onRejection(reason) {
    if (withPm2Io('unhandledRejection')) {
      return; // @pm2/io logs it
    }
    if (cluster) {
      process.stderr.write(clusterText('unhandledRejection', reason));
    } else if (reason !== undefined) {
      console.error(reason);
    }
  }

  process.on('uncaughtException', onException);
  process.on('unhandledRejection', onRejection);
})();
