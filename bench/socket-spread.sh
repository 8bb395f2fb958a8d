#!/usr/bin/env bash
# bench/socket-spread.sh: how evenly connections spread over the instances of one app, jpm's socket
# mode against pm2's cluster mode, same run. The Node hello app (bench/apps/hello.js), 4 instances:
#   pm2 cluster            pm2 start -i 4 (Node's cluster module: pm2's daemon accepts, round robin)
#   jpm socket             PORT=P jpm start -i 4 (one shared socket; the daemon deals its connections in turn)
# Two loads per case (bench/spread.py): CONNS new connections from 8 client threads (one request
# each), and 64 keep-alive connections opened at once (which instance each landed on). Prints the
# share of each instance and max/min.
#
# Usage: bash bench/socket-spread.sh     (about 1 minute)   Knobs: CONNS=4000 PM2_PREFIX=/tmp/pm2
set -uo pipefail
CONNS=${CONNS:-4000}
PM2_PREFIX=${PM2_PREFIX:-/tmp/pm2}
root=$(cd "$(dirname "$0")/.." && pwd)
app="$root/bench/apps/hello.js"
. "$root/bench/lib.sh"
LOG_TAG=spread
against_pm2 spread

measure() { # label port
  sleep 1
  python3 "$root/bench/spread.py" "$2" "$CONNS" "$1"
}

port=$(free_port)
PORT=$port "$PM2" start "$app" -i 4 --name spread >/dev/null 2>&1 || die "pm2 start"
measure "pm2 cluster -i 4" "$port"
"$PM2" kill >/dev/null 2>&1

port=$(free_port)
PORT=$port "$JPM" start "$app" -i 4 --name spread >/dev/null 2>&1 || die "jpm start"
measure "jpm socket -i 4" "$port"
"$JPM" delete all >/dev/null 2>&1

echo "$(nproc) cores, $(node --version), load average $(cut -d' ' -f1-3 /proc/loadavg)"
