#!/usr/bin/env bash
# bench/cluster-cpu.sh: the daemon's CPU per proxied request, TCP and HTTP mode.
#
# req/s on a shared machine moves by 2x between two runs; the daemon's CPU time per request moves
# much less, so it is the gauge for the balancer's own cost. For each mode: jpm start hello.js -i 2
# behind the balancer, wrk warm-up (WARMUP s), then wrk for DURATION s while the daemon's
# utime+stime is read from /proc/<pid>/stat before and after. Prints one line per run:
#   mode, requests, req/s, p99, daemon CPU per request in us (user part), load average.
#
# Usage: bash bench/cluster-cpu.sh [jar ...]   (default: target/jpm.jar; several jars are run in
#        turn, ROUNDS times, so a before/after comparison sees the same load)
# Env knobs: DURATION=8 WARMUP=3 CONNECTIONS=32 ROUNDS=3 MODES="round-robin http"
set -uo pipefail

DURATION=${DURATION:-8}
WARMUP=${WARMUP:-3}
CONNECTIONS=${CONNECTIONS:-32}
ROUNDS=${ROUNDS:-3}
MODES=${MODES:-round-robin http}

root=$(cd "$(dirname "$0")/.." && pwd)
app="$root/bench/apps/hello.js"
WORK=$(mktemp -d /tmp/jpm-bench-cpu.XXXXXX)
RUN_ID="cluster-cpu-$$-$(date +%s)"
export JPM_BENCH_RUN="$RUN_ID"
jars=("$@")
[ ${#jars[@]} -eq 0 ] && jars=("$root/target/jpm.jar")

LOG_TAG=cpu
. "$root/bench/lib.sh"
cleanup() {
  local rc=$? h
  trap - EXIT INT TERM
  for h in "$WORK"/home-*; do
    [ -d "$h" ] && JPM_HOME="$h" timeout 30 "$WORK/jpm-0/bin/jpm" kill >/dev/null 2>&1
  done
  kill_run_processes
  rm -rf "$WORK"
  exit "$rc"
}
bench_traps cleanup

command -v wrk >/dev/null || die "wrk is needed (apt-get install wrk)"
command -v node >/dev/null || die "node is needed"
for i in "${!jars[@]}"; do
  [ -f "${jars[$i]}" ] || die "no jar at ${jars[$i]} (build first: mvn -B -DskipTests package)"
  mkdir -p "$WORK/jpm-$i/bin" "$WORK/jpm-$i/target"
  cp "$root/bin/jpm" "$WORK/jpm-$i/bin/"
  cp "${jars[$i]}" "$WORK/jpm-$i/target/jpm.jar"
done

cpu_ticks() { awk '{print $14, $15}' "/proc/$1/stat"; }
hz=$(getconf CLK_TCK)

# one jar, one mode: prints the result line
run() {
  local i=$1 mode=$2 n=$3
  local jpm="$WORK/jpm-$i/bin/jpm" home="$WORK/home-$i-$n-$mode" port dpid
  mkdir -p "$home"
  port=$(free_port)
  JPM_HOME="$home" STOP_MODE=graceful "$jpm" start "$app" -i 2 --port "$port" --balance "$mode" --name hello >/dev/null 2>&1 \
    || die "jpm start ($mode)"
  for _ in $(seq 1 300); do curl -sf -m 1 "http://127.0.0.1:$port/" >/dev/null 2>&1 && break; sleep 0.1; done
  dpid=$(cat "$home/jpm.pid")
  wrk -t1 -c"$CONNECTIONS" -d"${WARMUP}s" "http://127.0.0.1:$port/" >/dev/null 2>&1
  local before after
  before=$(cpu_ticks "$dpid")
  wrk -t1 -c"$CONNECTIONS" -d"${DURATION}s" --latency "http://127.0.0.1:$port/" > "$home/wrk.txt" 2>&1
  after=$(cpu_ticks "$dpid")
  JPM_HOME="$home" timeout 30 "$jpm" kill >/dev/null 2>&1
  python3 - "$before" "$after" "$hz" "$home/wrk.txt" "$i" "$mode" "${jars[$i]}" <<'EOF'
import os, re, sys
u0, s0 = map(int, sys.argv[1].split()); u1, s1 = map(int, sys.argv[2].split()); hz = int(sys.argv[3])
text = open(sys.argv[4]).read()
req = int(re.search(r'(\d+) requests in', text).group(1))
rps = re.search(r'Requests/sec:\s+([\d.]+)', text).group(1)
p99 = re.search(r'^\s+99%\s+(\S+)', text, re.M).group(1)
total = ((u1 - u0) + (s1 - s0)) / hz * 1e6 / req
user = (u1 - u0) / hz * 1e6 / req
load = open('/proc/loadavg').read().split()[0]
print(f"| {os.path.basename(os.path.dirname(os.path.dirname(sys.argv[7]))) or sys.argv[7]} [{sys.argv[5]}] | {sys.argv[6]} | {req} | {rps} | {p99} | {total:.1f} ({user:.1f}) | {load} |")
EOF
}

echo "| jar | mode | requests | req/s | p99 | daemon CPU/request, us (user) | load |"
echo "|---|---|---|---|---|---|---|"
for n in $(seq 1 "$ROUNDS"); do
  for mode in $MODES; do
    for i in "${!jars[@]}"; do
      run "$i" "$mode" "$n"
    done
  done
done
