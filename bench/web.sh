#!/bin/bash
# bench/web.sh: the HTTP door's latency with N_APPS idle apps (50 by default): GET / (pm2 web's JSON)
# against pm2's own lib/HttpInterface.js (the old `pm2 web`, run with node against the pm2 daemon),
# and jpm's GET /api/processes and GET /metrics. RUNS requests each (30), one at a time with curl;
# the median and the 90th percentile of curl's time_total, in ms.
# Knobs: N_APPS=50 RUNS=30 PM2_PREFIX=/tmp/pm2 KEEP_WORK=1
# Private JPM_HOME/PM2_HOME in a temp dir; an EXIT trap stops both daemons and every app this run
# started.
set -u
N_APPS=${N_APPS:-50}
RUNS=${RUNS:-30}
PM2_PREFIX=${PM2_PREFIX:-/tmp/pm2}
LOG_TAG=web

root=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/jpm-bench-web.XXXXXX)
RUN_ID="web-$$-$(date +%s)"
export JPM_HOME="$WORK/jpm-home" PM2_HOME="$WORK/pm2-home" JPM_BENCH_RUN="$RUN_ID"
JPM="$WORK/jpm/bin/jpm"
PM2="$PM2_PREFIX/bin/pm2"
idle="$root/bench/apps/idle.sh"

. "$root/bench/lib.sh"
bench_traps

[ -x "$PM2" ] || die "no pm2 at $PM2"
[ -f "$root/target/jpm.jar" ] || die "build first: mvn -q -B -DskipTests package"
mkdir -p "$WORK/jpm/bin" "$WORK/jpm/target" "$JPM_HOME" "$PM2_HOME"
cp "$root/bin/jpm" "$JPM" && cp "$root/target/jpm.jar" "$WORK/jpm/target/jpm.jar" && chmod +x "$JPM" || die "snapshot"

median_p90() { sort -n | awk '{ a[NR] = $1 } END { printf "%.1f ms / %.1f ms", a[int((NR + 1) / 2)], a[int(NR * 0.9 + 0.5)] }'; }
times() { # url [header]: RUNS time_total values in ms
  local i
  for ((i = 0; i < RUNS; i++)); do
    curl -s -o /dev/null -w '%{time_total}\n' ${2:+-H "$2"} "$1" | awk '{ print $1 * 1000 }'
  done
}
eco() { # file: N_APPS idle apps
  local i sep=""
  { printf '{"apps":['
    for ((i = 0; i < N_APPS; i++)); do printf '%s{"name":"idle-%d","script":"%s","env":{"JPM_BENCH_RUN":"%s"}}' "$sep" "$i" "$idle" "$RUN_ID"; sep=,; done
    printf ']}\n'; } > "$1"
}

eco "$WORK/apps.json"
cp "$WORK/apps.json" "$WORK/apps-pm2.json"
log "jpm: $N_APPS apps, web on"
"$JPM" start "$WORK/apps.json" >/dev/null || die "jpm start"
port=$(free_port)
"$JPM" web --port "$port" >/dev/null || die "jpm web"
auth="Authorization: Bearer $(cat "$JPM_HOME/token.readonly")"
times "http://127.0.0.1:$port/" "$auth" >/dev/null # warm-up
jpm_root=$(times "http://127.0.0.1:$port/" "$auth" | median_p90)
jpm_list=$(times "http://127.0.0.1:$port/api/processes" "$auth" | median_p90)
jpm_metrics=$(times "http://127.0.0.1:$port/metrics" "$auth" | median_p90)
jpm_bytes=$(curl -s -H "$auth" "http://127.0.0.1:$port/metrics" | wc -c)

log "pm2: $N_APPS apps, lib/HttpInterface.js"
"$PM2" start "$WORK/apps-pm2.json" >/dev/null 2>&1 || die "pm2 start"
pm2_port=$(free_port)
PM2_API_PORT=$pm2_port PM2_API_IPADDR=127.0.0.1 node "$PM2_PREFIX/lib/node_modules/pm2/lib/HttpInterface.js" >/dev/null 2>&1 &
for _ in $(seq 100); do curl -s -o /dev/null "http://127.0.0.1:$pm2_port/" && break; sleep 0.1; done
times "http://127.0.0.1:$pm2_port/" >/dev/null
pm2_root=$(times "http://127.0.0.1:$pm2_port/" | median_p90)
kill %1 2>/dev/null

echo "apps $N_APPS, runs $RUNS: median / p90 of curl's time_total"
echo "GET / jpm $jpm_root | pm2 (HttpInterface.js) $pm2_root"
echo "GET /api/processes jpm $jpm_list"
echo "GET /metrics jpm $jpm_metrics ($jpm_bytes bytes)"
