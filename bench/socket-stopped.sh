#!/usr/bin/env bash
# bench/socket-stopped.sh: new connections to a Node app's 2 instances while the daemon is stopped
# (SIGSTOP), jpm (socket mode: its daemon deals the connections) against pm2 (cluster mode: its God
# daemon is the cluster's primary, which accepts and hands them out). For each tool, ROUNDS times:
# start bench/apps/hello.js -i 2 on one port, SIGSTOP the daemon for STOP_S (8 s), open N (6) new
# connections meanwhile (bench/socket-stopped.py), SIGCONT, then N more. Prints per round how many
# were answered before the SIGCONT, the worst wait of those, every wait, and which pids answered
# while stopped and after (both instances, in turn, once the daemon deals again).
# Usage: bash bench/socket-stopped.sh    (knobs: ROUNDS=3 N=6 STOP_S=8 TOOLS="jpm pm2")
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
LOG_TAG=socket-stopped
. "$root/bench/lib.sh"
ROUNDS=${ROUNDS:-3}
N=${N:-6}
STOP_S=${STOP_S:-8}
TOOLS=${TOOLS:-"jpm pm2"}
against_pm2 socket-stopped
command -v node >/dev/null || die "node is needed (hello.js)"

for tool in $TOOLS; do
  bin=$JPM; pidfile=$JPM_HOME/jpm.pid
  [ "$tool" = pm2 ] && bin=$PM2 && pidfile=$PM2_HOME/pm2.pid
  for round in $(seq 1 "$ROUNDS"); do
    port=$(free_port)
    PORT=$port "$bin" start "$root/bench/apps/hello.js" -i 2 --name hello >/dev/null 2>&1 || die "$tool start hello"
    await_http "$port"
    sleep 1
    printf '%s round %s: %s\n' "$tool" "$round" "$(python3 "$root/bench/socket-stopped.py" "$(cat "$pidfile")" "$port" "$N" "$STOP_S")"
    "$bin" delete hello >/dev/null 2>&1
    "$bin" kill >/dev/null 2>&1
  done
done
