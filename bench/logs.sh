#!/usr/bin/env bash
# bench/logs.sh: log capture, jpm against pm2 and against the ceiling (no supervisor at all), same
# run, same machine, one tool at a time.
#
# For each tool, each mode (MODES: "raw" = lines as written; "time" = pm2's `time: true`, each line
# after "YYYY-MM-DDTHH:mm:ss: ") and each size (LINES, default "200000 1000000"), RUNS times: start one app that
# writes the numbers 1..N to stdout as fast as it can (bench/apps/flood.sh, awk), and measure
#   - throughput: N / (time the last byte is on disk - time the app starts writing), lines/s
#   - loss: lines missing, doubled, out of order or damaged in the out log (must be 0; pm2 with
#     time: true prefixes pieces of a line split across two reads, which counts as damaged)
#   - the daemon's peak RSS during the flood (and its RSS before), and its CPU seconds
# (bench/logwatch.py polls the file and /proc every 0.5 ms). Prints a markdown table with medians
# and jpm/pm2 ratios, then the raw samples.
#
# With CASES (below) the same with several apps flooding at once (throughput = all their lines / (the
# last byte of the last file on disk - the first app starts writing); loss summed over the files).
#
# The ceiling: the third tool, "cat", runs the same producers with each app's stdout piped straight
# into `cat >> <file>` (no daemon, no supervisor), with the same env, the same barrier, the same
# watcher and the same end condition (every file holds 1..N, checked line by line). No capture can
# beat it: it is what the producers and the disk allow on this machine at that minute, so the table
# shows jpm/ceiling and pm2/ceiling next to jpm/pm2. It has no timestamp mode: it runs (and shows)
# raw lines only; its RSS and CPU columns are empty (there is no daemon).
#
# Usage: bash bench/logs.sh        (about 15 minutes on 2 cores; CASES=1:awk: about 5)
# Env knobs: TOOLS="jpm pm2 cat" RUNS=5 LINES="200000 1000000" MODES="raw time" CASES="1:awk 4:awk 4:blocks" WARMUPS=3 CASE_WARMUPS=1 WATCH_S=20 PM2_PREFIX=/tmp/pm2 KEEP_WORK=1
set -uo pipefail

RUNS=${RUNS:-5}
CASE_WARMUPS=${CASE_WARMUPS:-1}
TOOLS=${TOOLS:-"jpm pm2 cat"}
MODES=${MODES:-"raw time"}
# apps:producer, each case run with every mode and size: "1:awk" = one app (bench/apps/flood.sh);
# "4:awk" = four such apps flooding at once (the issue's "200,000 each from four apps at once");
# "4:blocks" = four apps writing 64 KiB blocks (bench/apps/flood_blocks.py), so the producers are
# not the ceiling
CASES=${CASES:-"1:awk 4:awk 4:blocks"}
LINES=${LINES:-"200000 1000000"}
PM2_PREFIX=${PM2_PREFIX:-/tmp/pm2}
# how long to wait for the last line: floods take under a second; a tool that lost lines never
# completes its file, and the run counts 0 lines/s
WATCH_S=${WATCH_S:-20}
root=$(cd "$(dirname "$0")/.." && pwd)
fixture="$root/bench/apps/flood.sh"
WORK=$(mktemp -d /tmp/jpm-bench-logs.XXXXXX)
RUN_ID="logs-$$-$(date +%s)"
export JPM_HOME="$WORK/jpm-home"
export PM2_HOME="$WORK/pm2-home"
JPM="$WORK/jpm/bin/jpm"
PM2="$PM2_PREFIX/bin/pm2"

. "$root/bench/lib.sh"
bench_traps

[ -x "$PM2" ] || die "no pm2 at $PM2 (install it with npm install -g --prefix $PM2_PREFIX pm2)"
command -v python3 >/dev/null || die "python3 is needed"
PM2_VERSION=$(node -e "console.log(require('$PM2_PREFIX/lib/node_modules/pm2/package.json').version)" 2>/dev/null || echo "?")
if [ ! -f "$root/target/jpm.jar" ]; then
  (cd "$root" && timeout 600 mvn -q -B -DskipTests package) >&2 || die "mvn package"
fi
mkdir -p "$WORK/jpm/bin" "$WORK/jpm/target" "$JPM_HOME" "$PM2_HOME"
cp "$root/bin/jpm" "$JPM" && cp "$root/target/jpm.jar" "$WORK/jpm/target/jpm.jar" && chmod +x "$JPM" || die "snapshot of jpm"

median() { sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) print 0; else print a[int((NR + 1) / 2)] }'; }
# lines missing, doubled or out of place in a file that should hold 1..N
# (jpm rotates at 10M by default: its rotated files, oldest first, come before the current one)
loss() {
  local files=() i
  for ((i = 100; i >= 1; i--)); do [ -f "$1.$i" ] && files+=("$1.$i"); done
  awk -v n="$2" 'BEGIN { bad = 0 } { sub(/^[0-9T:-]+: /, "") } $0 != NR { bad++ } END { print bad + (n > NR ? n - NR : NR - n) }' "${files[@]}" "$1"
}

# The ceiling's "start": each app of the ecosystem file run as `producer | cat >> its out file`,
# with the env the daemons would give it (the barrier included), in the background.
CAT_PIPES=()
cat_start() {
  local a
  for ((a = 0; a < ${#names[@]}; a++)); do
    # shellcheck disable=SC2086 # one word per VAR=value (no spaces in them)
    env ${app_env[$a]} "$interp" "$script" "$n" < /dev/null 2>/dev/null | cat >>"$LOGDIR/${names[$a]}-out.log" &
    CAT_PIPES+=($!)
  done
}

declare -A RESULT
for tool in $TOOLS; do
  case $tool in
    jpm) CLI=$JPM; PIDFILE=$JPM_HOME/jpm.pid; LOGDIR=$JPM_HOME/logs ;;
    pm2) CLI=$PM2; PIDFILE=$PM2_HOME/pm2.pid; LOGDIR=$PM2_HOME/logs ;;
    cat) CLI=""; LOGDIR=$WORK/cat-logs; mkdir -p "$LOGDIR" ;;
    *) die "TOOLS: unknown tool '$tool' (jpm, pm2 or cat)" ;;
  esac
  if [ "$tool" = cat ]; then
    daemon=- # nothing to warm up: no daemon
  else
  timeout 60 "$CLI" ping >/dev/null 2>&1 || die "$tool: ping"
  daemon=$(cat "$PIDFILE")
  # WARMUPS unmeasured floods of 1M lines first (raw, then timestamped), so neither tool is measured
  # while it warms up: with a single 200k flood, jpm's JIT was still compiling its log path during
  # the first measured runs (raw 200k: 4.2, 4.3, 5.0, 7.7, 9.8 M lines/s over runs 1-5)
  for ((wu = 1; wu <= ${WARMUPS:-3}; wu++)); do
    for wtime in false true; do
      printf '{"apps":[{"name":"warmup","script":"%s","interpreter":"bash","args":"1000000","autorestart":false,"time":%s,"env":{"JPM_BENCH_RUN":"%s"}}]}\n' \
        "$fixture" "$wtime" "$RUN_ID" >"$WORK/warmup.json"
      timeout 60 "$CLI" start "$WORK/warmup.json" >/dev/null 2>&1 || die "$tool: warm-up"
      wprefix=0; [ "$wtime" = true ] && wprefix=21
      python3 "$root/bench/logwatch.py" "$LOGDIR/warmup-out.log" 1000000 "$daemon" "$WATCH_S" "$WORK/warmup-stamp" "$wprefix" >/dev/null
      timeout 60 "$CLI" delete warmup >/dev/null 2>&1
      rm -f "$LOGDIR"/warmup-*.log*
    done
  done
  fi
  for cs in $CASES; do
  apps=${cs%%:*}; producer=${cs#*:}
  case $producer in
    awk) script=$fixture; interp=bash ;;
    blocks) script=$root/bench/apps/flood_blocks.py; interp=python3 ;;
    *) die "CASES: unknown producer '$producer' in '$cs' (awk or blocks)" ;;
  esac
  case $apps in ''|*[!0-9]*|0) die "CASES: '$cs' needs a number of apps >= 1" ;; esac
  for mode in $MODES; do
  [ "$tool" = cat ] && [ "$mode" != raw ] && continue
  if [ "$mode" = time ]; then time=true; prefix=21; else time=false; prefix=0; fi
  for n in $LINES; do
    # run 0 (CASE_WARMUPS=1, the default) is not recorded: the first flood of a producer is slower
    # for every tool, the ceiling too (the producer's own first start), and would skew 3-5 runs
    for ((run = 1 - CASE_WARMUPS; run <= RUNS; run++)); do
      base="flood-$apps$producer-$mode-$n-$run"
      # one ecosystem file with all the apps; with more than one, each waits at a barrier (a FIFO:
      # bench/apps/flood.sh) so they all start flooding at the same instant, whatever time each
      # tool takes to start them one after another
      apps_json="" outs="" stamps="" names=() app_env=()
      rm -f "$WORK"/stamp* "$WORK"/ready.* "$WORK/go"
      [ "$apps" -gt 1 ] && mkfifo "$WORK/go"
      for ((a = 1; a <= apps; a++)); do
        if [ "$apps" -gt 1 ]; then name="$base-a$a"; stamp="$WORK/stamp.$a"; else name=$base; stamp="$WORK/stamp"; fi
        names+=("$name")
        barrier=""; [ "$apps" -gt 1 ] && barrier=",\"FLOOD_GO\":\"$WORK/go\",\"FLOOD_READY\":\"$WORK/ready.$a\""
        envs="JPM_BENCH_RUN=$RUN_ID FLOOD_STAMP=$stamp"; [ "$apps" -gt 1 ] && envs+=" FLOOD_GO=$WORK/go FLOOD_READY=$WORK/ready.$a"
        app_env+=("$envs")
        apps_json+="${apps_json:+,}{\"name\":\"$name\",\"script\":\"$script\",\"interpreter\":\"$interp\",\"args\":\"$n\",\"autorestart\":false,\"time\":$time,\"env\":{\"JPM_BENCH_RUN\":\"$RUN_ID\",\"FLOOD_STAMP\":\"$stamp\"$barrier}}"
        outs+="${outs:+,}$LOGDIR/$name-out.log"; stamps+="${stamps:+,}$stamp"
      done
      eco="$WORK/$base.json"
      printf '{"apps":[%s]}\n' "$apps_json" >"$eco"
      python3 "$root/bench/logwatch.py" "$outs" "$n" "$daemon" "$WATCH_S" "$stamps" "$prefix" >"$WORK/watch" &
      watcher=$!
      # the apps start only once the watcher is sampling (else a short flood ends before it looks)
      w=0; while [ ! -e "${stamps%%,*}.ready" ] && [ $w -lt 3000 ]; do sleep 0.01; w=$((w + 1)); done
      [ -e "${stamps%%,*}.ready" ] || die "$tool: the watcher did not start"
      if [ "$tool" = cat ]; then cat_start; else timeout 60 "$CLI" start "$eco" >/dev/null 2>&1 || die "$tool: start $base"; fi
      if [ "$apps" -gt 1 ]; then
        w=0; while [ "$(ls "$WORK"/ready.* 2>/dev/null | wc -l)" -lt "$apps" ] && [ $w -lt 3000 ]; do sleep 0.01; w=$((w + 1)); done
        [ $w -lt 3000 ] || log "$tool $base: not all apps reached the barrier"
        # read-write: never blocks, even if an app never came (the lines then go with the FIFO)
        exec 8<>"$WORK/go"; for ((a = 1; a <= apps; a++)); do echo go; done >&8; exec 8>&-
      fi
      wait "$watcher"
      read -r first last peak start cpu timedout <"$WORK/watch"
      [ "$timedout" = 0 ] || log "$tool $base: not all lines on disk within $WATCH_S s"
      lost=0
      for name in "${names[@]}"; do lost=$((lost + $(loss "$LOGDIR/$name-out.log" "$n"))); done
      rate=$(awk -v n=$((apps * n)) -v ns=$((last - first)) 'BEGIN { printf "%d", (ns > 0 ? n / (ns / 1e9) : 0) }')
      n_key="$cs,$mode,$n"
      log "$tool $cs $mode $n lines x $apps run $run: $rate lines/s, lost $lost, rss $((start / 1024)) -> peak $((peak / 1024)) MiB, cpu ${cpu}s"
      if [ "$run" -lt 1 ]; then :; else
      RESULT[$tool,$n_key,rate]+="$rate "; RESULT[$tool,$n_key,lost]+="$lost "
      RESULT[$tool,$n_key,peak]+="$((peak / 1024)) "; RESULT[$tool,$n_key,start]+="$((start / 1024)) "
      RESULT[$tool,$n_key,cpu]+="$cpu "
      RESULT[$tool,$n_key,cpupct]+="$(awk -v c="$cpu" -v ns=$((last - first)) 'BEGIN { printf "%d", (ns > 0 ? 100 * c / (ns / 1e9) : 0) }') "
      fi
      if [ "$tool" = cat ]; then wait "${CAT_PIPES[@]}" 2>/dev/null; CAT_PIPES=(); fi
      for name in "${names[@]}"; do
        [ "$tool" = cat ] || timeout 60 "$CLI" delete "$name" >/dev/null 2>&1
        out="$LOGDIR/$name-out.log"
        rm -f "$out" "$out".[0-9]* "$LOGDIR/$name-error.log"
      done
    done
  done
  done
  done
  [ "$tool" = cat ] || timeout 60 "$CLI" kill >/dev/null 2>&1
done

med() { tr ' ' '\n' <<<"${RESULT[$1]:-}" | grep -v '^$' | median; }
complete() { tr ' ' '\n' <<<"${RESULT[$1]:-}" | grep -c '^[1-9]'; }
max() { tr ' ' '\n' <<<"${RESULT[$1]:-}" | grep -v '^$' | sort -n | tail -1; }
echo
echo "jpm $(git -C "$root" rev-parse --short HEAD 2>/dev/null) vs pm2 $PM2_VERSION vs the ceiling (producer | cat >> file), $(nproc) cores, RUNS=$RUNS, $(date -u +%F)"
echo
# a tool's throughput cell, "-" when it did not run that case (not in TOOLS, or cat in time mode)
cell() { if [ -z "${RESULT[$1,$n,rate]:-}" ]; then echo "-"; else echo "$2 ($3 of $RUNS runs complete)"; fi; }
# a tool's cell, "-" when it did not run that case
ran() { if [ -z "${RESULT[$1,$n,rate]:-}" ]; then echo "-"; else echo "$2"; fi; }
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { if (a > 0 && b > 0) printf "%.2fx", a / b; else print "-" }'; }
echo "| measure | apps x producer, mode, lines per app | jpm | pm2 | ceiling (cat) | jpm/pm2 | jpm/ceiling | pm2/ceiling |"
echo "|---|---|---|---|---|---|---|---|"
for cs in $CASES; do
for mode in $MODES; do
for n0 in $LINES; do
  n="$cs,$mode,$n0"
  j=$(med "jpm,$n,rate"); p=$(med "pm2,$n,rate"); c=$(med "cat,$n,rate")
  jc=$(complete "jpm,$n,rate"); pc=$(complete "pm2,$n,rate"); cc=$(complete "cat,$n,rate")
  echo "| capture throughput, lines/s (median; a run whose lines never all arrive counts 0) | $n | $(cell jpm "$j" "$jc") | $(cell pm2 "$p" "$pc") | $(cell cat "$c" "$cc") | $(ratio "$j" "$p") | $(ratio "$j" "$c") | $(ratio "$p" "$c") |"
  echo "| lines lost (worst run) | $n | $(ran jpm "$(max "jpm,$n,lost")") | $(ran pm2 "$(max "pm2,$n,lost")") | $(ran cat "$(max "cat,$n,lost")") | | | |"
  echo "| daemon RSS before -> peak during flood, MiB (median) | $n | $(ran jpm "$(med "jpm,$n,start") -> $(med "jpm,$n,peak")") | $(ran pm2 "$(med "pm2,$n,start") -> $(med "pm2,$n,peak")") | - | | | |"
  echo "| daemon CPU during flood, s (median; % of one core) | $n | $(ran jpm "$(med "jpm,$n,cpu") ($(med "jpm,$n,cpupct")%)") | $(ran pm2 "$(med "pm2,$n,cpu") ($(med "pm2,$n,cpupct")%)") | - | | | |"
done
done
done
echo
echo "raw samples:"
for k in $(printf '%s\n' "${!RESULT[@]}" | sort); do echo "  $k: ${RESULT[$k]}"; done
