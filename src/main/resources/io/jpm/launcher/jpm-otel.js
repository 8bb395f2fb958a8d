'use strict';
// jpm's tracing (pm2's --trace, `trace: true`), loaded last with `node -r` in a traced Node app:
// OpenTelemetry's Node SDK with the auto-instrumentations (http, express, pg, redis and the others),
// loaded from the packages `jpm install-otel` put in JPM_HOME/otel; this file is JPM_HOME/lib's,
// written by the daemon, hence the path from here. The SDK reads the standard OTEL_* variables from
// the app's environment: spans go over OTLP to OTEL_EXPORTER_OTLP_ENDPOINT (the SDK's default,
// http://localhost:4318, http/protobuf; OTEL_EXPORTER_OTLP_PROTOCOL=http/json for JSON), and
// service.name is the app's name (the `name` jpm puts in every app's environment, as pm2 does)
// unless OTEL_SERVICE_NAME or OTEL_RESOURCE_ATTRIBUTES names it. Nothing here may stop the app:
// without the packages, or when the SDK fails to start, it runs untraced and says so once on its
// error log.
(function () {
  const path = require('path');
  const root = path.join(__dirname, '..', 'otel');

  function untraced(why) {
    process.stderr.write('[jpm] tracing disabled: ' + why + '\n');
  }

  let load;
  try {
    load = require('module').createRequire(path.join(root, 'package.json'));
    load.resolve('@opentelemetry/sdk-node');
  } catch (e) {
    untraced('the OpenTelemetry packages are not installed in ' + root + ' (jpm install-otel)');
    return;
  }
  try {
    const { NodeSDK } = load('@opentelemetry/sdk-node');
    const { getNodeAutoInstrumentations } = load('@opentelemetry/auto-instrumentations-node');
    const options = { instrumentations: [getNodeAutoInstrumentations()] };
    const named = process.env.OTEL_SERVICE_NAME || /(^|,)\s*service\.name=/.test(process.env.OTEL_RESOURCE_ATTRIBUTES || '');
    if (!named && process.env.name) {
      options.serviceName = process.env.name;
    }
    new NodeSDK(options).start();
  } catch (e) {
    untraced('OpenTelemetry did not start: ' + (e && e.message));
  }
})();
