#!/usr/bin/env bash
# bench/cluster.sh: jpm's ClusterBalancer against pm2's cluster mode, same run, same machine.
#
# One Node hello app (bench/apps/hello.js), wrk on 127.0.0.1 for DURATION seconds per case, two
# reloads during each run (at 1/3 and 2/3 of it), for an app that finishes its requests on SIGINT
# (graceful) and one that exits at once (immediate):
#   direct        one instance, no balancer, no reload (the ceiling)
#   pm2 cluster   pm2 start -i 2 (exec_mode cluster), pm2 reload
#   jpm socket    PORT=P jpm start -i 2 (socket mode: the instances share the app's listen socket), jpm reload
#   jpm tcp       jpm start -i 2 --port P (round-robin TCP), jpm reload
#   jpm http      jpm start -i 2 --port P --balance http, jpm reload
# Prints a markdown table: req/s, p50, p99, failed requests (socket errors + non-2xx) per case.
#
# Usage: bash bench/cluster.sh     (about 3 minutes)
# Env knobs: DURATION=15 CONNECTIONS=32 THREADS=1 PM2_PREFIX=/tmp/pm2 KEEP_WORK=1, and to run
# fewer cases: MODES="graceful immediate" BALANCES="socket round-robin http" DIRECT=1
# Needs wrk (Debian package `wrk`) and node; pm2 at $PM2_PREFIX/bin/pm2. Each tool gets a private
# home in a fresh temp dir; an EXIT trap stops both daemons and every app this run started.
set -uo pipefail

DURATION=${DURATION:-15}
CONNECTIONS=${CONNECTIONS:-32}
THREADS=${THREADS:-1}
PM2_PREFIX=${PM2_PREFIX:-/tmp/pm2}

root=$(cd "$(dirname "$0")/.." && pwd)
app="$root/bench/apps/hello.js"
. "$root/bench/lib.sh"
LOG_TAG=cluster
against_pm2 cluster
command -v wrk >/dev/null || die "wrk is needed (apt-get install wrk)"
command -v node >/dev/null || die "node is needed"

# run_wrk name port reload-command...: wrk for DURATION s, the reload command at 1/3 and 2/3
run_wrk() {
  local name=$1 port=$2; shift 2
  local out="$WORK/wrk-$name.txt"
  wrk -t"$THREADS" -c"$CONNECTIONS" -d"${DURATION}s" --latency "http://127.0.0.1:$port/" > "$out" 2>&1 &
  local wrk_pid=$!
  if [ $# -gt 0 ]; then
    sleep $((DURATION / 3)); "$@" > "$WORK/reload-$name-1.txt" 2>&1 || log "$name: first reload failed"
    sleep $((DURATION / 3)); "$@" > "$WORK/reload-$name-2.txt" 2>&1 || log "$name: second reload failed"
  fi
  wait "$wrk_pid"
  local rps p50 p99 sock non2xx
  rps=$(awk '/^Requests\/sec/ {print $2}' "$out")
  p50=$(awk '$1=="50%" {print $2}' "$out")
  p99=$(awk '$1=="99%" {print $2}' "$out")
  sock=$(awk '/Socket errors/ {gsub(",",""); print $4+$6+$8+$10}' "$out")
  non2xx=$(awk '/Non-2xx/ {print $5}' "$out")
  printf '| %s | %s | %s | %s | %s |\n' "$name" "${rps:-?}" "${p50:-?}" "${p99:-?}" "$(( ${sock:-0} + ${non2xx:-0} ))" >> "$WORK/table.md"
  log "$name: $rps req/s, p50 $p50, p99 $p99, failed $(( ${sock:-0} + ${non2xx:-0} ))"
}

: > "$WORK/table.md"

# ---------------------------------------------------------------- direct
if [ "${DIRECT:-1}" = 1 ]; then
  port=$(free_port)
  PORT=$port STOP_MODE=graceful node "$app" & direct=$!
  await_http "$port"
  run_wrk "direct, 1 instance, no reload" "$port"
  kill "$direct"; wait "$direct" 2>/dev/null
fi

for mode in ${MODES:-graceful immediate}; do
  # ------------------------------------------------------------ pm2 cluster
  port=$(free_port)
  PORT=$port STOP_MODE=$mode "$PM2" start "$app" -i 2 --name "hello-$mode" >/dev/null 2>&1 || die "pm2 start"
  await_http "$port"
  run_wrk "pm2 cluster -i 2, $mode" "$port" "$PM2" reload "hello-$mode"
  "$PM2" delete all >/dev/null 2>&1
  # ------------------------------------------------------------ jpm TCP and HTTP
  for balance in ${BALANCES:-socket round-robin http}; do
    port=$(free_port)
    if [ "$balance" = socket ]; then
      # as a pm2 user starts it: the app's own listen(PORT) shared by the instances
      PORT=$port STOP_MODE=$mode "$JPM" start "$app" -i 2 --name "hello-$mode" >/dev/null 2>&1 || die "jpm start"
    else
      STOP_MODE=$mode "$JPM" start "$app" -i 2 --port "$port" --balance "$balance" --name "hello-$mode" >/dev/null 2>&1 || die "jpm start"
    fi
    await_http "$port"
    label=$([ "$balance" = http ] && echo "http" || ([ "$balance" = socket ] && echo "socket" || echo "tcp"))
    run_wrk "jpm $label -i 2, $mode" "$port" "$JPM" reload "hello-$mode"
    "$JPM" delete all >/dev/null 2>&1
  done
done
"$PM2" kill >/dev/null 2>&1

echo
echo "wrk -t$THREADS -c$CONNECTIONS -d${DURATION}s --latency, two reloads per run (at $((DURATION / 3)) s and $((2 * DURATION / 3)) s); $(nproc) cores, $(node --version), pm2 $("$PM2" --version 2>/dev/null | tail -1)"
echo
echo "| case | req/s | p50 | p99 | failed requests |"
echo "|---|---|---|---|---|"
cat "$WORK/table.md"
