'use strict';
// The code metrics pm2 shows for every Node app with nothing added to it (its container loads its
// copy of @pm2/io): heap, active handles and requests, event loop latency, and the app's own HTTP
// servers' request rate and latency. Loaded with `node -r` after the channel's preload, it sends
// them to the daemon as @pm2/io does, `process.send({type: 'axm:monitor', data})`, with @pm2/io's
// names, units and value shapes (checked against pm2 7.0.4's jlist), so the daemon reads them as it
// reads an app's own @pm2/io: at its first tick, then every second while someone watches them and
// every IDLE_EVERY seconds otherwise. The daemon says which with {cmd: 'NODE_JPM_METRICS', every_ms}
// on the channel, which Node hands to 'internalMessage', never to the app's 'message' listeners.
//
// What it costs the app: one timer a second (unref'd: it never keeps the app alive) that measures
// the event loop's latency and moves the request meters, a report only when one is due, no module
// loaded at start but diagnostics_channel (v8 on the first report), and per HTTP request two
// diagnostics_channel messages, a clock read at each end and a sample kept in fixed arrays.
(function () {
  const INTERVAL_MS = 1000;
  /** Ticks between two reports while nobody watches (the daemon's ReportPace.IDLE_MS). */
  const IDLE_EVERY = 10;
  const PACE = 'NODE_JPM_METRICS';
  // @pm2/io's meter: a rate per second averaged over a minute, moved on every 5 s
  const METER_TICK_MS = 5000;
  const METER_ALPHA = 1 - Math.exp(-METER_TICK_MS / 60000);
  // @pm2/io's histograms keep a sample of 1028 values weighted to the recent (forward decay,
  // alpha 0.015 a second), rescaled every hour so the weights stay finite
  const SAMPLE_SIZE = 1028;
  const DECAY_PER_MS = 0.015 / 1000;
  const RESCALE_MS = 3600 * 1000;

  const { performance } = require('perf_hooks');
  const dc = require('diagnostics_channel');

  /** A priority sample: each value kept with the key exp(decay * age) / random; the smallest key goes first. */
  function Sample() {
    this.values = new Float64Array(SAMPLE_SIZE);
    this.keys = new Float64Array(SAMPLE_SIZE);
    this.size = 0;
    this.landmark = performance.now();
  }

  Sample.prototype.add = function (value, now) {
    if (now - this.landmark > RESCALE_MS) {
      const factor = Math.exp(-DECAY_PER_MS * (now - this.landmark));
      for (let i = 0; i < this.size; i++) {
        this.keys[i] *= factor;
      }
      this.landmark = now;
    }
    const key = Math.exp(DECAY_PER_MS * (now - this.landmark)) / Math.random();
    if (this.size < SAMPLE_SIZE) {
      this.siftUp(this.size++, key, value);
    } else if (key > this.keys[0]) {
      this.siftDown(key, value);
    }
  };

  Sample.prototype.siftUp = function (at, key, value) {
    const keys = this.keys;
    const values = this.values;
    while (at > 0) {
      const parent = (at - 1) >> 1;
      if (keys[parent] <= key) {
        break;
      }
      keys[at] = keys[parent];
      values[at] = values[parent];
      at = parent;
    }
    keys[at] = key;
    values[at] = value;
  };

  Sample.prototype.siftDown = function (key, value) {
    const keys = this.keys;
    const values = this.values;
    const size = this.size;
    let at = 0;
    for (;;) {
      let child = 2 * at + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && keys[child + 1] < keys[child]) {
        child++;
      }
      if (keys[child] >= key) {
        break;
      }
      keys[at] = keys[child];
      values[at] = values[child];
      at = child;
    }
    keys[at] = key;
    values[at] = value;
  };

  /** The p-quantiles of the values kept, interpolated as @pm2/io does; null when none is kept. */
  Sample.prototype.percentiles = function (ps) {
    if (this.size === 0) {
      return ps.map(() => null);
    }
    const sorted = this.values.slice(0, this.size).sort();
    return ps.map((p) => {
      const pos = p * (sorted.length + 1);
      if (pos < 1) {
        return sorted[0];
      }
      if (pos >= sorted.length) {
        return sorted[sorted.length - 1];
      }
      const lower = sorted[Math.floor(pos) - 1];
      return lower + (pos - Math.floor(pos)) * (sorted[Math.ceil(pos) - 1] - lower);
    });
  };

  /** One server kind's figures (HTTP, HTTPS): requests counted into a meter, latencies sampled. */
  function Served(name, id) {
    this.name = name;
    this.id = id;
    this.count = 0;
    this.rate = 0; // requests per ms
    this.used = false; // @pm2/io reports a server kind from its first request on
    this.latency = new Sample();
  }

  Served.prototype.tick = function () {
    const instant = this.count / METER_TICK_MS;
    this.count = 0;
    this.rate += METER_ALPHA * (instant - this.rate);
  };

  Served.prototype.report = function (data) {
    if (!this.used) {
      return;
    }
    const [p50, p95] = this.latency.percentiles([0.5, 0.95]);
    if (p50 !== null) {
      data[this.name + ' Mean Latency'] = metric('ms', 'internal/' + this.id + '/builtin/latency/p50', round(p50));
      data[this.name + ' P95 Latency'] = metric('ms', 'internal/' + this.id + '/builtin/latency/p95', round(p95));
    }
    data[this.name] = metric('req/min', 'internal/' + this.id + '/builtin/reqs', round(this.rate * 1000));
  };

  const http = new Served('HTTP', 'http');
  const https = new Served('HTTPS', 'https');
  const started = Symbol('jpm.started');

  // Node's own HTTP servers publish each request and each response's end (Node 18+), whatever module
  // made the server: nothing is wrapped, and an app that serves no HTTP pays nothing
  function onRequest(message) {
    const served = message.socket && message.socket.encrypted ? https : http;
    served.used = true;
    served.count++;
    message.response[started] = performance.now();
  }

  function onFinish(message) {
    const start = message.response[started];
    if (start !== undefined) {
      const now = performance.now();
      (message.socket && message.socket.encrypted ? https : http).latency.add(now - start, now);
    }
  }

  const channels = [
    ['http.server.request.start', onRequest],
    ['http.server.response.finish', onFinish],
  ];
  for (const [name, listener] of channels) {
    if (typeof dc.subscribe === 'function') {
      dc.subscribe(name, listener);
    } else {
      dc.channel(name).subscribe(listener);
    }
  }

  function metric(unit, type, value) {
    return unit === undefined ? { historic: true, type, value } : { historic: true, unit, type, value };
  }

  function round(value) {
    return Math.round(value * 100) / 100;
  }

  function mib(bytes) {
    return (bytes / 1024 / 1024).toFixed(2);
  }

  const loopLag = new Sample();
  let v8;
  let last = performance.now();
  let meterDue = last + METER_TICK_MS;
  let sending = false;

  function collect(now) {
    const data = {};
    http.report(data);
    https.report(data);
    v8 = v8 || require('v8');
    const heap = v8.getHeapStatistics();
    data['Heap Size'] = metric('MiB', 'internal/v8/heap/total', mib(heap.total_heap_size));
    data['Heap Usage'] = metric('%', 'internal/v8/heap/usage',
      parseFloat((heap.used_heap_size / heap.total_heap_size * 100).toFixed(2)));
    data['Used Heap Size'] = metric('MiB', 'internal/v8/heap/used', mib(heap.used_heap_size));
    if (typeof process._getActiveRequests === 'function') {
      data['Active requests'] = metric(undefined, 'internal/libuv/requests', process._getActiveRequests().length);
    }
    if (typeof process._getActiveHandles === 'function') {
      data['Active handles'] = metric(undefined, 'internal/libuv/handles', process._getActiveHandles().length);
    }
    const [p50, p95] = loopLag.percentiles([0.5, 0.95]);
    if (p50 !== null) {
      data['Event Loop Latency'] = metric('ms', 'internal/libuv/latency/p50', p50.toFixed(2));
      data['Event Loop Latency p95'] = metric('ms', 'internal/libuv/latency/p95', p95.toFixed(2));
    }
    return data;
  }

  // what this agent measures, in jlist's axm_options, as @pm2/io says what it does there when it
  // starts (scripts count the app's name in prettylist, where @pm2/io's module_name shows it too)
  if (typeof process.send === 'function' && process.connected !== false) {
    try {
      process.send({
        type: 'axm:option:configuration',
        data: {
          metrics: { v8: true, eventLoop: true, http: true, network: false, runtime: false },
          apm: { type: 'node', agent: 'jpm-metrics' },
          module_name: process.env.name,
        },
      }, () => {});
    } catch (e) {
      // no channel after all: the reports find none either
    }
  }

  let ticks = 0;
  let every = IDLE_EVERY; // ticks between two reports
  let sinceReport = 0;

  // one report in flight at most: a daemon that does not read never makes the app queue them
  function report(now) {
    if (sending || typeof process.send !== 'function' || process.connected === false) {
      return;
    }
    sending = true;
    sinceReport = 0;
    try {
      process.send({ type: 'axm:monitor', data: collect(now) }, () => {
        sending = false;
      });
    } catch (e) {
      sending = false;
    }
  }

  process.on('internalMessage', (message) => {
    if (message === null || typeof message !== 'object' || message.cmd !== PACE) {
      return;
    }
    const next = Math.max(1, Math.round(Number(message.every_ms) / INTERVAL_MS) || IDLE_EVERY);
    if (next < every && ticks > 0) {
      report(performance.now()); // someone started watching: what they read now is fresh
    }
    every = next;
  });

  const timer = setInterval(() => {
    const now = performance.now();
    // how late this tick came: the event loop's latency, as @pm2/io measures it without its native
    // module; the first tick waited for the app's own start (its main module ran meanwhile)
    if (ticks++ > 0) {
      loopLag.add(Math.max(0, now - last - INTERVAL_MS), now);
    }
    last = now;
    while (now >= meterDue) {
      http.tick();
      https.tick();
      meterDue += METER_TICK_MS;
    }
    // the first tick reports at once (the app's metrics are there a second after its start)
    if (ticks === 1 || ++sinceReport >= every) {
      report(now);
    }
  }, INTERVAL_MS);
  timer.unref();
})();
