#!/usr/bin/env bash
# bench/console.sh: the dashboard's cost in the browser with N apps (docs/BENCHMARKS.md, "Console").
#
# A fresh JPM_HOME, N `exec sleep` apps from one file, the web server on a free port, then
# bench/console-paint.js in headless Chromium through the DevTools protocol: the page's first full
# paint (every row shown, the history charted) and the main thread's time over LIVE_S seconds of live
# updates (a metrics event each second for every app, the list read again every 5 s), ROUNDS tabs.
# Targets (issue 65): first full paint under 1 s, live updates under 100 ms of main thread a second.
#
# Env knobs: N=1000 LIVE_S=10 ROUNDS=3 SETTLE=20 JAR=target/jpm.jar KEEP_WORK=1 (keep the temp dir)
set -uo pipefail
N=${N:-1000}
LIVE_S=${LIVE_S:-10}
ROUNDS=${ROUNDS:-3}
SETTLE=${SETTLE:-20}
LOG_TAG=console
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
WORK=$(mktemp -d /tmp/jpm-bench-console.XXXXXX)
RUN_ID="console-$$-$(date +%s)"
export JPM_BENCH_RUN="$RUN_ID" JPM_HOME="$WORK/home"
mkdir -p "$WORK/jpm/bin" "$WORK/jpm/target"
cp "$root/bin/jpm" "$WORK/jpm/bin/" && cp "${JAR:-$root/target/jpm.jar}" "$WORK/jpm/target/jpm.jar" || die "copy the jar"
JPM="$WORK/jpm/bin/jpm"
trap bench_cleanup EXIT INT TERM

{
  printf '{"apps":['
  for ((i = 0; i < N; i++)); do
    [ "$i" -gt 0 ] && printf ','
    printf '{"name":"app-%d","script":"%s","interpreter":"bash","env":{"JPM_BENCH_RUN":"%s"}}' \
      "$i" "$root/bench/apps/idle.sh" "$RUN_ID"
  done
  printf ']}\n'
} >"$WORK/eco.json"

port=$(free_port)
timeout 120 "$JPM" web --port "$port" >/dev/null 2>&1 || die "no web server"
log "start $N apps"
timeout 600 "$JPM" start "$WORK/eco.json" >/dev/null 2>&1 || die "start"
for i in $(seq 1 1200); do
  n=$("$JPM" jlist 2>/dev/null | python3 -c 'import json,sys; print(sum(a["pm2_env"]["status"]=="online" for a in json.load(sys.stdin)))' 2>/dev/null)
  [ "${n:-0}" = "$N" ] && break
  sleep 0.5
done
[ "${n:-0}" = "$N" ] || die "only ${n:-0} of $N online"
log "$N online; settling ${SETTLE}s"
sleep "$SETTLE"
log "chromium: $ROUNDS rounds, ${LIVE_S}s of live updates each (${JAR:-$root/target/jpm.jar}, load $(cut -d' ' -f1-3 /proc/loadavg))"
node --experimental-websocket --no-warnings "$root/bench/console-paint.js" "http://127.0.0.1:$port" \
  "$(cat "$JPM_HOME/token")" "$N" "$LIVE_S" "$ROUNDS"
