#!/bin/bash
# What a Node app's code metrics cost inside the app (docs/BENCHMARKS.md, "Code metrics"): jpm's
# preload (jpm-metrics.js) against pm2's own (its container's @pm2/io), each with and without
# (`--no-pmx`), and plain node. One fork-mode instance of bench/apps/hello.js, wrk (1 thread, 32
# connections) for DURATION s after a 2 s warm-up; cases take turns round by round (the order is
# turned around every other round), the median of ROUNDS per case, of req/s and of the app's CPU
# time a request (utime + stime of its process over the requests wrk counted: on a machine shared
# with other work throughput moves with the neighbours, the CPU a request costs much less). Then
# the idle cost: an idle Node app's context switches a second (its wake-ups) and CPU over IDLE s,
# and the daemon's CPU over IDLE s with N_APPS idle Node apps reporting (pm2's apps report too;
# jpm-no-pmx: jpm's apps without the preload, the daemon's floor). Nothing watches the metrics
# meanwhile (no describe, jlist or follower), so jpm's apps report at their idle pace.
# Usage: bash bench/code-metrics.sh   (knobs: DURATION=10 ROUNDS=5 IDLE=30 N_APPS=20)
set -uo pipefail
DURATION=${DURATION:-10}
ROUNDS=${ROUNDS:-5}
IDLE=${IDLE:-30}
N_APPS=${N_APPS:-20}
PM2_PREFIX=${PM2_PREFIX:-/tmp/pm2}

root=$(cd "$(dirname "$0")/.." && pwd)
app="$root/bench/apps/hello.js"
. "$root/bench/lib.sh"
LOG_TAG=code-metrics
against_pm2 code-metrics
command -v node >/dev/null || die "node is needed"
command -v wrk >/dev/null || die "wrk is needed (apt-get install wrk)"

CASES="node jpm jpm-no-pmx pm2 pm2-no-pmx"
hz=$(getconf CLK_TCK)

tool_of() { case $1 in jpm*) echo "$JPM" ;; pm2*) echo "$PM2" ;; esac; }

# ctxt <pid>: voluntary + involuntary context switches of a process so far
ctxt() { awk '/ctxt_switches/ {s += $2} END {print s}' "/proc/$1/status"; }
# ticks <pid>: utime + stime in clock ticks
ticks() { awk '{print $14 + $15}' "/proc/$1/stat"; }

# start_case <case> <port>: the hello app under the case's manager (or plain node, in the background)
start_case() {
  local c=$1 port=$2 extra=()
  [[ $c == *-no-pmx ]] && extra=(--no-pmx)
  if [ "$c" = node ]; then
    PORT=$port node "$app" >/dev/null 2>&1 &
    echo $! > "$WORK/node.pid"
  else
    PORT=$port "$(tool_of "$c")" start "$app" --name hello "${extra[@]}" >/dev/null 2>&1 || die "$c start"
  fi
  await_http "$port"
}

stop_case() {
  if [ "$1" = node ]; then kill "$(cat "$WORK/node.pid")" 2>/dev/null; wait 2>/dev/null
  else "$(tool_of "$1")" delete all >/dev/null 2>&1; fi
}

# app_pid <case>: the pid of the app's own process
app_pid() {
  if [ "$1" = node ]; then cat "$WORK/node.pid"; else "$(tool_of "$1")" pid hello | tail -1; fi
}

# one <case>: req/s and CPU microseconds a request of one wrk run
one() {
  local c=$1 port pid t0 t1 out rps n us
  port=$(free_port)
  start_case "$c" "$port"
  pid=$(app_pid "$c")
  wrk -t1 -c32 -d2s "http://127.0.0.1:$port/" >/dev/null 2>&1 # warm-up
  t0=$(ticks "$pid")
  out=$(wrk -t1 -c32 -d"${DURATION}s" "http://127.0.0.1:$port/" 2>&1)
  t1=$(ticks "$pid")
  stop_case "$c"
  rps=$(echo "$out" | awk '/^Requests\/sec/ {print $2}')
  n=$(echo "$out" | awk '/requests in/ {print $1}')
  us=$(awk -v t=$((t1 - t0)) -v hz="$hz" -v n="$n" 'BEGIN {printf "%.2f", t / hz * 1e6 / n}')
  echo "$c round $round (load $(cut -d' ' -f1 /proc/loadavg)): $rps req/s, $us us of CPU a request (pid $pid)"
  echo "$c $rps $us" >> "$WORK/rps.txt"
}

median() { # median <case> <field: 2 req/s, 3 us a request>
  awk -v c="$1" -v f="$2" '$1 == c {print $f}' "$WORK/rps.txt" | sort -n \
    | awk '{v[NR]=$1} END {print (NR % 2) ? v[(NR+1)/2] : (v[NR/2] + v[NR/2+1]) / 2}'
}

echo "$(nproc) cores, $(node --version), pm2 $("$PM2" --version 2>/dev/null | tail -1), jpm $(git -C "$root" rev-parse --short HEAD), $(date -u +%FT%TZ)"
for round in $(seq "$ROUNDS"); do
  order=$CASES
  [ $((round % 2)) = 0 ] && order=$(echo "$CASES" | tr ' ' '\n' | tac | tr '\n' ' ')
  for c in $order; do one "$c"; done
done
printf '%-12s %12s %18s\n' case "req/s" "CPU us a request"
for c in $CASES; do printf '%-12s %12s %18s\n' "$c" "$(median "$c" 2)" "$(median "$c" 3)"; done
for f in 2 3; do
  awk -v what="$([ $f = 2 ] && echo 'req/s' || echo 'CPU a request')" -v n="$(median node $f)" \
    -v j="$(median jpm $f)" -v jn="$(median jpm-no-pmx $f)" -v p="$(median pm2 $f)" -v pn="$(median pm2-no-pmx $f)" 'BEGIN {
    printf "%s, medians: with metrics / without: jpm %.3f, pm2 %.3f; jpm / pm2: with metrics %.3f, without %.3f; / plain node: jpm %.3f, pm2 %.3f\n",
      what, j / jn, p / pn, j / p, jn / pn, j / n, p / n }'
done

# the idle cost: one idle app's wake-ups, and the daemon's CPU with N_APPS idle apps reporting
printf 'setInterval(() => {}, 60000);\n' > "$WORK/idle.js"
for c in jpm jpm-no-pmx pm2; do
  tool=$(tool_of "$c") extra=()
  [[ $c == *-no-pmx ]] && extra=(--no-pmx)
  for i in $(seq "$N_APPS"); do "$tool" start "$WORK/idle.js" --name "idle-$i" "${extra[@]}" >/dev/null 2>&1 || die "$c start idle-$i"; done
  sleep 5 # every app has started and reports
  pid=$("$tool" pid idle-1 | tail -1)
  daemon=$([ "$c" = jpm ] && cat "$JPM_HOME/jpm.pid" || cat "$PM2_HOME/pm2.pid")
  c0=$(ctxt "$pid"); a0=$(ticks "$pid"); d0=$(ticks "$daemon")
  sleep "$IDLE"
  c1=$(ctxt "$pid"); a1=$(ticks "$pid"); d1=$(ticks "$daemon")
  awk -v c="$c" -v w=$((c1 - c0)) -v a=$((a1 - a0)) -v d=$((d1 - d0)) -v t="$IDLE" -v hz="$hz" -v n="$N_APPS" 'BEGIN {
    printf "%s idle: an app %.1f context switches/s, %.3f%% of a core; the daemon with %d apps %.3f%% of a core\n", c, w / t, 100 * a / hz / t, n, 100 * d / hz / t }'
  "$tool" delete all >/dev/null 2>&1
done
