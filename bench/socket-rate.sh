#!/bin/bash
# Socket mode against pm2's cluster mode at the same request rate (docs/BENCHMARKS.md, socket
# mode): bench/apps/hello.js -i 2 (graceful), an open-loop client (bench/rate-latency.js) sending
# RATE requests/s over 16 keep-alive connections for DURATION s, two reloads at 1/3 and 2/3 of it;
# rounds take turns (pm2, jpm, pm2, jpm...). Where bench/cluster.sh saturates the two cores (wrk
# sends as fast as answers come, so a manager whose instances serve more also waits longer on its
# worst requests), this asks how long requests wait when both managers get the same load.
# Usage: bash bench/socket-rate.sh   (knobs: RATES="5000 15000" DURATION=9 ROUNDS=3)
set -uo pipefail
RATES=${RATES:-"5000 15000"}
DURATION=${DURATION:-9}
ROUNDS=${ROUNDS:-3}
PM2_PREFIX=${PM2_PREFIX:-/tmp/pm2}

root=$(cd "$(dirname "$0")/.." && pwd)
app="$root/bench/apps/hello.js"
. "$root/bench/lib.sh"
LOG_TAG=socket-rate
against_pm2 socket-rate
command -v node >/dev/null || die "node is needed"

# one <manager> <rate>: start, warm, measure with two reloads, delete
one() {
  local manager=$1 rate=$2 port tool out
  port=$(free_port)
  tool=$([ "$manager" = pm2 ] && echo "$PM2" || echo "$JPM")
  PORT=$port STOP_MODE=graceful "$tool" start "$app" -i 2 --name hello >/dev/null 2>&1 || die "$manager start"
  await_http "$port"
  node "$root/bench/rate-latency.js" "$port" "$rate" 2 >/dev/null # the instances' own warm-up
  out="$WORK/$manager-$rate-$round.json"
  node "$root/bench/rate-latency.js" "$port" "$rate" "$DURATION" > "$out" &
  local client=$!
  # reloads at 1/3 and 2/3 of the counted part (the client warms itself up for 1 s first)
  sleep $(( 1 + DURATION / 3 )); "$tool" reload hello > "$WORK/reload-$manager-1.txt" 2>&1 || log "$manager: first reload failed"
  sleep $(( DURATION / 3 )); "$tool" reload hello > "$WORK/reload-$manager-2.txt" 2>&1 || log "$manager: second reload failed"
  wait "$client"
  "$tool" delete all >/dev/null 2>&1
  echo "$manager rate $rate round $round (load $(cut -d' ' -f1 /proc/loadavg)): $(cat "$out")"
}

echo "$(nproc) cores, $(node --version), pm2 $("$PM2" --version 2>/dev/null | tail -1), jpm $(git -C "$root" rev-parse --short HEAD), $(date -u +%FT%TZ)"
for rate in $RATES; do
  for round in $(seq "$ROUNDS"); do
    if [ $((round % 2)) = 1 ]; then one pm2 "$rate"; one jpm "$rate"; else one jpm "$rate"; one pm2 "$rate"; fi
  done
done
"$PM2" kill >/dev/null 2>&1
