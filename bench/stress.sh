#!/usr/bin/env bash
# bench/stress.sh: the latency of list() through pm2's programmatic API under a steady poll, and
# jlist with 1,000 apps: jpm against pm2, same run, same machine, one daemon at a time.
#
#   1. list() RATE times a second for CASE_S seconds (bench/list-latency.js: open loop, each call
#      timed from when it was due), through the package a user would `require('pm2')`: jpm's own
#      (clients/node, from this repo) and pm2's (PM2_PREFIX), in four cases: no app; N_FORK fork-mode
#      apps; those and one Node HTTP app with 2 instances on one port (jpm: socket mode, its default
#      for a Node app; pm2: cluster mode), with a connection held open to it; the same with
#      HOGS_PER_CORE busy loops per core beside them. p50, p95, max and failed calls per case.
#   2. N_HUGE `exec sleep` apps from one file: `jlist` (the CLI, output to /dev/null) RUNS_JLIST
#      times, median and each run.
# Prints a markdown table with jpm, pm2 and jpm/pm2 (docs/BENCHMARKS.md, "list() under load").
#
# Usage: bash bench/stress.sh   (about 6 min on 2 cores; knobs: RATE=10 CASE_S=20 N_FORK=10
#        HOGS_PER_CORE=8 JLIST=1 N_HUGE=1000 RUNS_JLIST=5 PM2_PREFIX=/tmp/pm2 KEEP_WORK=1)
# pm2 from the npm registry: npm install -g --prefix /tmp/pm2 pm2
set -uo pipefail
RATE=${RATE:-10}
CASE_S=${CASE_S:-20}
N_FORK=${N_FORK:-10}
HOGS_PER_CORE=${HOGS_PER_CORE:-8}
JLIST=${JLIST:-1}
N_HUGE=${N_HUGE:-1000}
RUNS_JLIST=${RUNS_JLIST:-5}
PM2_PREFIX=${PM2_PREFIX:-/tmp/pm2}
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
LOG_TAG=stress
command -v node >/dev/null || die "node is needed (the apps and the API client)"
against_pm2 stress
JPM_MODULE="$root/clients/node"
PM2_MODULE="$PM2_PREFIX/lib/node_modules/pm2"
[ -f "$PM2_MODULE/index.js" ] || die "pm2's package not found at $PM2_MODULE"
mkdir -p "$WORK/samples"
cores=$(nproc)
now_ns() { date +%s%N; }
ms_since() { echo $(( ($(now_ns) - $1) / 1000000 )); }
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) { print "n/a"; exit } if (NR % 2) print a[(NR + 1) / 2]; else printf "%.1f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
load() { cut -d' ' -f1 /proc/loadavg; }

# ---------------------------------------------------------------- the apps, the same files for both tools
cat >"$WORK/web.js" <<'JS'
// a Node HTTP app that listens on APP_PORT, as pm2 users run one in cluster mode
require('http').createServer((req, res) => res.end('ok\n')).listen(Number(process.env.APP_PORT));
JS
make_eco() { # count file
  local n=$1 out=$2 i sep=""
  {
    printf '{"apps":['
    for ((i = 0; i < n; i++)); do
      printf '%s{"name":"idle-%d","script":"%s","interpreter":"bash","env":{"JPM_BENCH_RUN":"%s"}}' \
        "$sep" "$i" "$root/bench/apps/idle.sh" "$RUN_ID"
      sep=","
    done
    printf ']}\n'
  } >"$out"
}
make_eco "$N_FORK" "$WORK/eco-fork.json"
[ "$JLIST" = 1 ] && make_eco "$N_HUGE" "$WORK/eco-huge.json"

online() { # -> how many apps the CLI's jlist shows online
  timeout 60 "$CLI" jlist 2>/dev/null \
    | python3 -c 'import json,sys; print(sum(1 for a in json.load(sys.stdin) if a["pm2_env"]["status"]=="online"))' 2>/dev/null
}
wait_online() { # count deadline_s
  local deadline=$(( $(date +%s) + $2 )) n=0
  while [ "$(date +%s)" -lt "$deadline" ]; do
    n=$(online); [ "${n:-0}" = "$1" ] && return 0
    sleep 0.5
  done
  die "$TOOL: only ${n:-0}/$1 apps online after $2 s"
}

HOGS=()
hogs_on() {
  local i
  for ((i = 0; i < cores * HOGS_PER_CORE; i++)); do
    sh -c 'while :; do :; done' &
    HOGS+=($!)
  done
}
hogs_off() { [ ${#HOGS[@]} -gt 0 ] && kill "${HOGS[@]}" 2>/dev/null; wait "${HOGS[@]}" 2>/dev/null; HOGS=(); }
stress_cleanup() { hogs_off; [ -n "${HOLD_PID:-}" ] && kill "$HOLD_PID" 2>/dev/null; bench_cleanup; }
bench_traps stress_cleanup

# a connection held open to the app for the rest of the case: the connection count has one to count
hold_connection() { # port
  node -e 'const s = require("net").connect(Number(process.argv[1]), "127.0.0.1"); s.on("error", () => {}); setInterval(() => {}, 1000)' "$1" &
  HOLD_PID=$!
}

poll() { # case-key: list() RATE/s for CASE_S s through the tool's package
  local out
  log "$TOOL: list() ${RATE}/s for ${CASE_S} s: $1 (load $(load))"
  echo "$(load)" >"$WORK/samples/$TOOL.$1.load"
  out=$(node "$root/bench/list-latency.js" "$MODULE" "$RATE" "$CASE_S" 2>&1 | tail -1)
  echo "$out" >"$WORK/samples/$TOOL.$1.json"
  log "$TOOL: $1: $out"
}

run_tool() { # jpm|pm2
  TOOL=$1
  if [ "$TOOL" = jpm ]; then CLI=$JPM; MODULE=$JPM_MODULE; else CLI=$PM2; MODULE=$PM2_MODULE; fi
  timeout 60 "$CLI" ping >/dev/null 2>&1 || die "$TOOL: the daemon does not start"
  poll none
  timeout 60 "$CLI" start "$WORK/eco-fork.json" >/dev/null 2>&1 || die "$TOOL: start of the fork apps failed"
  wait_online "$N_FORK" 60
  poll fork
  local port; port=$(free_port)
  if [ "$TOOL" = jpm ]; then
    APP_PORT=$port timeout 60 "$CLI" start "$WORK/web.js" --name web -i 2 --port "$port" >/dev/null 2>&1
  else
    APP_PORT=$port timeout 60 "$CLI" start "$WORK/web.js" --name web -i 2 >/dev/null 2>&1
  fi
  wait_online $((N_FORK + 2)) 60
  await_http "$port"
  hold_connection "$port"
  poll cluster
  hogs_on
  poll hogs
  hogs_off
  kill "$HOLD_PID" 2>/dev/null; HOLD_PID=
  timeout 120 "$CLI" delete all >/dev/null 2>&1
  if [ "$JLIST" = 1 ]; then
    log "$TOOL: start $N_HUGE apps"
    timeout 300 "$CLI" start "$WORK/eco-huge.json" >/dev/null 2>&1
    wait_online "$N_HUGE" 300
    local i t0
    for ((i = 0; i < RUNS_JLIST; i++)); do
      t0=$(now_ns); timeout 60 "$CLI" jlist >/dev/null 2>&1; echo "$(ms_since "$t0")" >>"$WORK/samples/$TOOL.jlist"
    done
    echo "$(load)" >"$WORK/samples/$TOOL.jlist.load"
    log "$TOOL: jlist with $N_HUGE apps (ms): $(tr '\n' ' ' <"$WORK/samples/$TOOL.jlist")"
    timeout 300 "$CLI" delete all >/dev/null 2>&1
  fi
  timeout 60 "$CLI" kill >/dev/null 2>&1
}

run_tool jpm
run_tool pm2

# ---------------------------------------------------------------- the table
field() { python3 -c 'import json,sys; v=json.load(open(sys.argv[1])).get(sys.argv[2]); print("n/a" if v is None else v)' "$WORK/samples/$1.$2.json" "$3" 2>/dev/null || echo n/a; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a + 0 == a && b + 0 == b && b > 0) printf "%.2f", a / b; else print "n/a" }'; }
echo
echo "list() through the Node package, ${RATE}/s for ${CASE_S} s, $cores cores, $(date -u +%Y-%m-%dT%H:%MZ); ms (p50 / p95 / max), failed calls"
echo
echo "| case | jpm | pm2 | p50 jpm/pm2 | load (jpm, pm2) |"
echo "| --- | --- | --- | --- | --- |"
for key in none fork cluster hogs; do
  case $key in
    none) what="no app" ;; fork) what="$N_FORK fork apps" ;; cluster) what="$N_FORK fork + one -i 2 Node app" ;;
    hogs) what="the same, $((cores * HOGS_PER_CORE)) CPU hogs" ;;
  esac
  j="$(field jpm $key p50) / $(field jpm $key p95) / $(field jpm $key max), $(field jpm $key errors) failed"
  p="$(field pm2 $key p50) / $(field pm2 $key p95) / $(field pm2 $key max), $(field pm2 $key errors) failed"
  echo "| $what | $j | $p | $(ratio "$(field jpm $key p50)" "$(field pm2 $key p50)") | $(cat "$WORK/samples/jpm.$key.load"), $(cat "$WORK/samples/pm2.$key.load") |"
done
if [ "$JLIST" = 1 ]; then
  jm=$(median <"$WORK/samples/jpm.jlist"); pm=$(median <"$WORK/samples/pm2.jlist")
  echo
  echo "| jlist, $N_HUGE apps (median of $RUNS_JLIST, ms) | jpm | pm2 | jpm/pm2 |"
  echo "| --- | --- | --- | --- |"
  echo "| runs: jpm $(tr '\n' ' ' <"$WORK/samples/jpm.jlist")/ pm2 $(tr '\n' ' ' <"$WORK/samples/pm2.jlist")| $jm | $pm | $(ratio "$jm" "$pm") |"
fi
