#!/usr/bin/env bash
# bench/satan.sh: Satan's costs and reaction times, jpm against pm2 in the same run.
#
#   1. daemon CPU with N_IDLE idle apps over MEASURE seconds (utime+stime of the daemon process from
#      /proc, as % of one core); jpm samples every app every second (its default), pm2 as it does
#      by itself (its worker checks every 30 s)
#   2. time from an app's RSS crossing max_memory_restart to the new run's start (RUNS_MEM runs; the
#      app stamps both instants itself, so no CLI polling is in the figure)
#   3. time from an HTTP app hanging (alive, not answering) to the new run's start, with
#      health {http, interval 1s, timeout 500ms, unhealthy_after 3} (jpm only: pm2 has no probes)
#
# Usage: bash bench/satan.sh      Env: N_IDLE=100 MEASURE=60 RUNS_MEM=5 RUNS_MEM_PM2=2 RUNS_HANG=3
#        PM2_PREFIX=/tmp/pm2 KEEP_WORK=1
# Private JPM_HOME/PM2_HOME in a temp dir; an EXIT trap stops both daemons and every app this run
# started (apps carry JPM_BENCH_RUN in their environment), even when the bench fails.
set -uo pipefail

N_IDLE=${N_IDLE:-100}
MEASURE=${MEASURE:-60}
RUNS_MEM=${RUNS_MEM:-5}
RUNS_MEM_PM2=${RUNS_MEM_PM2:-2}
RUNS_HANG=${RUNS_HANG:-3}
MEM_LIMIT_MB=${MEM_LIMIT_MB:-100}
PM2_PREFIX=${PM2_PREFIX:-/tmp/pm2}

root=$(cd "$(dirname "$0")/.." && pwd)
WORK=$(mktemp -d /tmp/jpm-bench-satan.XXXXXX)
RUN_ID="satan-$$-$(date +%s)"
export JPM_HOME="$WORK/jpm-home" PM2_HOME="$WORK/pm2-home" BENCH_DIR="$WORK/stamps"
JPM="$WORK/jpm/bin/jpm"
PM2="$PM2_PREFIX/bin/pm2"
idle="$root/bench/apps/idle.sh"
app="$root/bench/apps/satan_app.py"

. "$root/bench/lib.sh"
bench_traps

[ -x "$PM2" ] || die "no pm2 at $PM2"
[ -f "$root/target/jpm.jar" ] || die "build first: mvn -q -B -DskipTests package"
mkdir -p "$WORK/jpm/bin" "$WORK/jpm/target" "$JPM_HOME" "$PM2_HOME" "$BENCH_DIR"
cp "$root/bin/jpm" "$JPM" && cp "$root/target/jpm.jar" "$WORK/jpm/target/jpm.jar" && chmod +x "$JPM" || die "snapshot"

now_ms() { echo $(( $(date +%s%N) / 1000000 )); }
ticks() { awk '{ print $14 + $15 }' "/proc/$1/stat"; }
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) print "-"; else if (NR % 2) print a[(NR + 1) / 2]; else print int((a[NR / 2] + a[NR / 2 + 1]) / 2) }'; }
await_file() { # glob deadline_s: prints the first file matching
  local deadline=$(( $(date +%s) + $2 )) f
  while [ "$(date +%s)" -lt "$deadline" ]; do
    for f in $1; do [ -f "$f" ] && { echo "$f"; return 0; }; done
    sleep 0.05
  done
  return 1
}

declare -A R
# ---------------------------------------------------------------- 1. idle CPU
cpu_run() { # tool cli pidfile
  local tool=$1 cli=$2 pidfile=$3 i sep="" eco="$WORK/idle-$1.json" pid t0 t1 s0 s1
  { printf '{"apps":['
    for ((i = 0; i < N_IDLE; i++)); do
      printf '%s{"name":"idle-%d","script":"%s","interpreter":"bash","env":{"JPM_BENCH_RUN":"%s"}}' "$sep" "$i" "$idle" "$RUN_ID"; sep=","
    done
    printf ']}\n'; } >"$eco"
  timeout 120 "$cli" start "$eco" >/dev/null 2>&1 || die "$tool start"
  sleep 10 # let start-up work settle before measuring
  pid=$(cat "$pidfile")
  t0=$(ticks "$pid"); s0=$(now_ms)
  sleep "$MEASURE"
  t1=$(ticks "$pid"); s1=$(now_ms)
  R[$tool.cpu]=$(awk -v t="$((t1 - t0))" -v ms="$((s1 - s0))" 'BEGIN { printf "%.2f", t / 100 / (ms / 1000) * 100 }')
  R[$tool.rss]=$(awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$pid/status")
  timeout 120 "$cli" delete all >/dev/null 2>&1
  log "$tool: ${R[$tool.cpu]}% of a core with $N_IDLE idle apps over ${MEASURE}s, RSS ${R[$tool.rss]} MiB"
}

# ---------------------------------------------------------------- 2. memory limit -> restart
mem_runs() { # tool cli runs
  local tool=$1 cli=$2 runs=$3 limit=$((MEM_LIMIT_MB * 1024 * 1024)) i old crossed started new samples=""
  rm -f "$BENCH_DIR"/*
  printf '{"apps":[{"name":"grow","script":"%s","interpreter":"python3","args":["grow","%d"],"max_memory_restart":"%dM","env":{"JPM_BENCH_RUN":"%s","BENCH_DIR":"%s"}}]}\n' \
    "$app" "$limit" "$MEM_LIMIT_MB" "$RUN_ID" "$BENCH_DIR" >"$WORK/grow-$tool.json"
  timeout 60 "$cli" start "$WORK/grow-$tool.json" >/dev/null 2>&1 || die "$tool start grow"
  for ((i = 0; i < runs; i++)); do
    old=$(await_file "$BENCH_DIR/started-*" 30) || die "$tool: grow app did not start"
    old=${old##*-}
    touch "$BENCH_DIR/grow"
    crossed=$(await_file "$BENCH_DIR/crossed-$old" 30) || die "$tool: never crossed"
    rm -f "$BENCH_DIR/grow"
    local deadline=$(( $(date +%s) + 90 ))
    new=""
    while [ -z "$new" ] && [ "$(date +%s)" -lt "$deadline" ]; do
      for f in "$BENCH_DIR"/started-*; do [ "$f" != "$BENCH_DIR/started-$old" ] && [ -f "$f" ] && new=$f; done
      sleep 0.05
    done
    [ -n "$new" ] || die "$tool: no restart within 90 s of crossing"
    samples="$samples $(( $(cat "$new") - $(cat "$crossed") ))"
    rm -f "$BENCH_DIR/started-$old" "$BENCH_DIR/crossed-$old"
  done
  timeout 60 "$cli" delete all >/dev/null 2>&1
  R[$tool.mem]=$(echo $samples | tr ' ' '\n' | median)
  R[$tool.memraw]=$samples
  log "$tool: memory limit crossed -> new run started (ms):$samples"
}

# ---------------------------------------------------------------- 3. hang -> restart
hang_runs() {
  local port i old new samples="" t0
  port=$(free_port)
  rm -f "$BENCH_DIR"/*
  printf '{"apps":[{"name":"web","script":"%s","interpreter":"python3","args":["http"],"env":{"PORT":"%s","JPM_BENCH_RUN":"%s","BENCH_DIR":"%s"},"health":{"http":"/","interval":"1s","timeout":"500ms","unhealthy_after":3}}]}\n' \
    "$app" "$port" "$RUN_ID" "$BENCH_DIR" >"$WORK/web.json"
  timeout 60 "$JPM" start "$WORK/web.json" >/dev/null 2>&1 || die "jpm start web"
  for ((i = 0; i < RUNS_HANG; i++)); do
    old=$(await_file "$BENCH_DIR/started-*" 30) || die "web did not start"
    old=${old##*-}
    sleep 3 # a few healthy probes first
    t0=$(now_ms); touch "$BENCH_DIR/hang"
    local deadline=$(( $(date +%s) + 60 )); new=""
    while [ -z "$new" ] && [ "$(date +%s)" -lt "$deadline" ]; do
      for f in "$BENCH_DIR"/started-*; do [ "$f" != "$BENCH_DIR/started-$old" ] && [ -f "$f" ] && new=$f; done
      sleep 0.05
    done
    [ -n "$new" ] || die "no restart within 60 s of the hang"
    samples="$samples $(( $(cat "$new") - t0 ))"
    rm -f "$BENCH_DIR/hang" "$BENCH_DIR/started-$old"
  done
  timeout 60 "$JPM" delete all >/dev/null 2>&1
  R[jpm.hang]=$(echo $samples | tr ' ' '\n' | median)
  R[jpm.hangraw]=$samples
  log "jpm: hang -> new run started (ms):$samples"
}

log "load average: $(cut -d' ' -f1-3 /proc/loadavg)"
"$JPM" ping >/dev/null 2>&1 || die "jpm daemon"
cpu_run jpm "$JPM" "$JPM_HOME/jpm.pid"
mem_runs jpm "$JPM" "$RUNS_MEM"
hang_runs
timeout 30 "$JPM" kill >/dev/null 2>&1
"$PM2" ping >/dev/null 2>&1 || die "pm2 daemon"
cpu_run pm2 "$PM2" "$PM2_HOME/pm2.pid"
mem_runs pm2 "$PM2" "$RUNS_MEM_PM2"
log "load average: $(cut -d' ' -f1-3 /proc/loadavg)"

ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (b + 0 == 0) print "-"; else printf "%.2f", a / b }'; }
cat <<TABLE
| measure | jpm | pm2 | jpm/pm2 | target |
| --- | ---: | ---: | ---: | --- |
| daemon CPU, $N_IDLE idle apps, ${MEASURE} s (jpm samples each app every 1 s) | ${R[jpm.cpu]}% | ${R[pm2.cpu]}% | $(ratio "${R[jpm.cpu]}" "${R[pm2.cpu]}") | jpm < 2% of one core |
| daemon RSS, $N_IDLE idle apps | ${R[jpm.rss]} MiB | ${R[pm2.rss]} MiB | $(ratio "${R[jpm.rss]}" "${R[pm2.rss]}") | |
| RSS crosses max_memory_restart ${MEM_LIMIT_MB}M -> new run started (median) | ${R[jpm.mem]} ms | ${R[pm2.mem]} ms | $(ratio "${R[jpm.mem]}" "${R[pm2.mem]}") | ~1 s |
| HTTP app hangs -> new run started (probe 1 s x 3, timeout 500 ms; median) | ${R[jpm.hang]} ms | n/a (no probes) | | ≤ 3.5 s + restart |

raw (ms): jpm memory:${R[jpm.memraw]}; pm2 memory:${R[pm2.memraw]}; jpm hang:${R[jpm.hangraw]}
TABLE
