#!/usr/bin/env bash
# bench/history.sh: what the daemon's history costs an idle daemon with N apps.
#
# For each jar given (default: this build's target/jpm.jar), in ROUNDS rounds taking the jars in turn:
# a fresh JPM_HOME, N `exec sleep` apps from one file, SETTLE s, then the daemon's CPU (utime+stime
# of /proc/<pid>/stat) over IDLE_S s, its RSS, and the size of JPM_HOME/history. Nobody follows the
# figures, so Satan samples once each idle_sample_interval (a minute) and the history records each sample.
# Give main's jar first to compare: bash bench/history.sh /path/to/main/target/jpm.jar target/jpm.jar
#
# With FILL_CP (a class path holding target/test-classes and jpm's jars, e.g.
# target/classes:target/test-classes:$(mvn -q dependency:build-classpath -Dmdep.outputFile=/dev/stdout)),
# each home first gets FILL_HOURS of history for its N apps (HistoryFill: 9 figures an app, a sample
# each 30 s; 168: the whole 7 days the history keeps, its 10 minutes' ring full), and the table says
# how long the daemon took to read it back (daemon.log).
#
# Env knobs: N=200 IDLE_S=180 SETTLE=40 ROUNDS=2 FILL_CP= FILL_HOURS=168 KEEP_WORK=1 (keep the temp dir)
set -uo pipefail
N=${N:-200}
FILL_HOURS=${FILL_HOURS:-168}
IDLE_S=${IDLE_S:-180}
SETTLE=${SETTLE:-40}
ROUNDS=${ROUNDS:-2}
LOG_TAG=history
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
WORK=$(mktemp -d /tmp/jpm-bench-history.XXXXXX)
RUN_ID="history-$$-$(date +%s)"
export JPM_BENCH_RUN="$RUN_ID"
jars=("$@")
[ ${#jars[@]} -gt 0 ] || jars=("$root/target/jpm.jar")
trap 'for h in "$WORK"/home-*; do JPM_HOME=$h timeout 30 "$WORK"/jar-*/bin/jpm kill >/dev/null 2>&1; done; kill_run_processes; remove_work' EXIT

{
  printf '{"apps":['
  for ((i = 0; i < N; i++)); do
    [ "$i" -gt 0 ] && printf ','
    printf '{"name":"idle-%d","script":"%s","interpreter":"bash","env":{"JPM_BENCH_RUN":"%s"}}' \
      "$i" "$root/bench/apps/idle.sh" "$RUN_ID"
  done
  printf ']}\n'
} >"$WORK/eco.json"

for j in "${!jars[@]}"; do
  mkdir -p "$WORK/jar-$j/bin" "$WORK/jar-$j/target"
  cp "$root/bin/jpm" "$WORK/jar-$j/bin/" && cp "${jars[$j]}" "$WORK/jar-$j/target/jpm.jar" || die "copy ${jars[$j]}"
  # the first daemon of a jar records its CDS archive in the background: not in a measured run
  JPM_HOME="$WORK/warm-$j" "$WORK/jar-$j/bin/jpm" ping >/dev/null 2>&1 || die "no daemon from ${jars[$j]}"
  for i in $(seq 1 600); do compgen -G "$WORK/jar-$j/target/jpm-daemon-*.jsa" >/dev/null && break; sleep 0.1; done
  JPM_HOME="$WORK/warm-$j" "$WORK/jar-$j/bin/jpm" kill >/dev/null 2>&1
done

hz=$(getconf CLK_TCK)
printf '| round | jar | idle CPU (%% of a core over %s s) | RSS (MiB) | JPM_HOME/history |\n|---|---|---|---|---|\n' "$IDLE_S"
for r in $(seq 1 "$ROUNDS"); do
  for j in "${!jars[@]}"; do
    export JPM_HOME="$WORK/home-$r-$j"
    jpm="$WORK/jar-$j/bin/jpm"
    if [ -n "${FILL_CP:-}" ]; then
      mkdir -p -m 700 "$JPM_HOME"
      java -cp "$FILL_CP" io.jpm.history.HistoryFill "$JPM_HOME/history" "$N" "$FILL_HOURS" 30 idle- >"$WORK/fill.log" 2>&1 || die "fill: $(cat "$WORK/fill.log")"
    fi
    "$jpm" start "$WORK/eco.json" >/dev/null 2>&1 || die "start"
    for i in $(seq 1 2400); do
      n=$("$jpm" jlist 2>/dev/null | python3 -c 'import json,sys; print(sum(a["pm2_env"]["status"]=="online" for a in json.load(sys.stdin)))' 2>/dev/null)
      [ "${n:-0}" = "$N" ] && break
      sleep 0.1
    done
    [ "${n:-0}" = "$N" ] || die "only ${n:-0} of $N online"
    sleep "$SETTLE"
    d=$(cat "$JPM_HOME/jpm.pid")
    a=$(awk '{ print $14 + $15 }' "/proc/$d/stat"); sleep "$IDLE_S"; b=$(awk '{ print $14 + $15 }' "/proc/$d/stat")
    cpu=$(awk -v t=$((b - a)) -v s="$IDLE_S" -v hz="$hz" 'BEGIN { printf "%.3f", 100 * t / hz / s }')
    rss=$(awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$d/status")
    hist=$(du -sh "$JPM_HOME/history" 2>/dev/null | cut -f1)
    read_back=$(grep -o 'series read from .* in [0-9]* ms' "$JPM_HOME/daemon.log" | sed 's/from .* in/in/' | tail -1)
    [ -n "$read_back" ] && hist="$hist ($read_back)"
    printf '| %s | %s | %s (%s ticks) | %s | %s |\n' "$r" "${jars[$j]}" "$cpu" "$((b - a))" "$rss" "${hist:-none}"
    "$jpm" kill >/dev/null 2>&1
  done
done
