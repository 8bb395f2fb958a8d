#!/usr/bin/env bash
# bench/outages.sh: what each kill or stall of jpm's own processes does to the apps, their logs and
# their traffic in each balance mode (docs/ARCHITECTURE.md, "Outages"). For each case, a fresh home
# with a writer (bench/apps/numbers.sh, one numbered line about every millisecond) and
# bench/apps/hello.js -i 2 three times: socket mode (the default for Node), HTTP mode (--balance http)
# and TCP mode (--balance round-robin). bench/outage-probe.py opens a new connection with a GET / to
# each port every 0.2 s (each on its own, 10 s to answer) from 1 s before the event to the end of its
# window; then the
# next command (`jpm ls`) runs, and the script counts:
#   apps      of the 7 processes before, how many run on with the same pid
#   lines     numbers missing from the writer's log (a gap, or lines the writer wrote into a pipe no
#             one read: its last number written, NUMBERS_LAST, past the log's last line), and doubled
#   traffic   per mode: answered within 1 s (ok), answered later (late: it waited), failed (refused,
#             reset, or no answer in 10 s), of those tried, and the slowest answer
# Cases (CASES, all by default):
#   kill9      kill -9 of the daemon; window AWAY_S (10 s)
#   sigstop    SIGSTOP of the daemon for STOP_S (8 s), then SIGCONT; window STOP_S + 3 s
#   hang       God's event loop held (test-only agent from target/test-classes, HangHooks) with
#              satan.hang_timeout 5s: the hang watch ends the daemon; window 15 s
#   crashloop  the daemon killed 1 s after each start, 4 times, with JPM_KEEPER_PAUSES_S="1 1": the
#              keeper gives up and rests (30 s between tries); window: the loop and AWAY_S of the rest
#   update     `jpm update` (the daemon leaves for the next one, which adopts); window AWAY_S
#   keeper9    kill -9 of the keeper; window AWAY_S
#   both9      kill -9 of the keeper and the daemon at once; window AWAY_S
#   reboot     `jpm save`, then kill -9 of the keeper, the daemon and every app (a power cut), then
#              what `jpm startup`'s unit runs at boot (`jpm resurrect`) 1 s into the window (AWAY_S)
# Usage: bash bench/outages.sh   (knobs: CASES="kill9 ..." AWAY_S=10 STOP_S=8; a build in target/,
# and `mvn -o test-compile` for the hang case)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
LOG_TAG=outages
. "$root/bench/lib.sh"
AWAY_S=${AWAY_S:-10}
STOP_S=${STOP_S:-8}
CASES=${CASES:-"kill9 sigstop hang crashloop update keeper9 both9 reboot"}
command -v node >/dev/null || die "node is needed (hello.js)"
[ -f "$root/target/jpm.jar" ] || die "build jpm first: mvn -B -DskipTests package"
WORK=$(mktemp -d /tmp/jpm-bench-outages.XXXXXX)
RUN_ID="outages-$$-$(date +%s)"
export JPM_BENCH_RUN=$RUN_ID
bench_traps
mkdir -p "$WORK/jpm/bin" "$WORK/jpm/target"
cp "$root/bin/jpm" "$WORK/jpm/bin/" && cp "$root/target/jpm.jar" "$WORK/jpm/target/"
JPM="$WORK/jpm/bin/jpm"

now_ms() { date +%s%3N; }
daemon() { cat "$JPM_HOME/jpm.pid" 2>/dev/null; }
keeper() { cat "$JPM_HOME/keeper.pid" 2>/dev/null; }
pids() { "$JPM" jlist 2>/dev/null | python3 -c 'import json,sys; [print(p["name"], p["pm_id"], p["pid"]) for p in json.load(sys.stdin)]'; }

# the test-only agent that holds a verticle's thread (src/test/java/io/jpm/it/hooks/HangHooks.java)
hooks_jar() {
  local classes=$root/target/test-classes dir=$WORK/hooks
  [ -f "$classes/io/jpm/it/hooks/HangHooks.class" ] || die "the hang case needs the test classes: mvn -B -o test-compile"
  mkdir -p "$dir/META-INF/services"
  printf 'Premain-Class: io.jpm.it.hooks.HangHooks\n' >"$dir/manifest"
  echo io.jpm.it.hooks.HangHooks >"$dir/META-INF/services/io.vertx.core.spi.VerticleFactory"
  jar cfm "$WORK/hooks.jar" "$dir/manifest" -C "$classes" io/jpm/it/hooks/HangHooks.class -C "$dir" META-INF/services
  echo "$WORK/hooks.jar"
}

# await_new_daemon OLD: waits (30 s at most) for a daemon other than OLD to answer
await_new_daemon() {
  local i d
  for i in $(seq 1 300); do
    d=$(daemon)
    [ -n "$d" ] && [ "$d" != "$1" ] && grep -q "\"pid\" : $d\b" "$JPM_HOME/daemon.json" 2>/dev/null && return 0
    sleep 0.1
  done
  log "no new daemon after 30 s"
}

# lines LOG LAST: "lost doubled" of the writer's log, LAST its last number written
lines() {
  awk -v last="$2" 'BEGIN { prev = 0; missing = 0; doubled = 0 }
    /^[0-9]+$/ { n = $1 + 0; if (n <= prev) doubled++; else { missing += n - prev - 1; prev = n } }
    END { if (last + 0 > prev) missing += last - prev; print missing, doubled }' "$1"
}

# the event of a case, run 1 s into the probe's window
event() {
  local d k i
  d=$(daemon)
  k=$(keeper)
  case $1 in
    kill9) kill -9 "$d" ;;
    sigstop) kill -STOP "$d"; sleep "$STOP_S"; kill -CONT "$d" ;;
    hang) echo 600000 >"$JPM_HOME/test-hang-god" ;;
    crashloop)
      for i in 1 2 3 4; do
        kill -9 "$d"
        [ "$i" -lt 4 ] || break
        await_new_daemon "$d"
        d=$(daemon)
        sleep 1
      done ;;
    update) "$JPM" update >"$WORK/$1.update" 2>&1 || log "update: jpm update exited $?: $(tail -1 "$WORK/$1.update")" ;;
    keeper9) kill -9 "$k" ;;
    both9) kill -9 "$k" "$d" ;;
    reboot)
      # every process of the home at once: the apps are the keeper's children
      kill -9 "$k" "$d" $(awk '{ print $3 }' <<<"$2")
      sleep 1
      # the writer's lines before the cut: its next run starts from 1 in the same log
      cp "$3" "$WORK/$1.log-before"
      cp "$WORK/$1.last" "$WORK/$1.last-before"
      local t0; t0=$(now_ms)
      "$JPM" resurrect >"$WORK/$1.resurrect" 2>&1
      log "reboot: jpm resurrect exited $? after $(($(now_ms) - t0)) ms: $(tail -1 "$WORK/$1.resurrect")" ;;
  esac
}

window() {
  case $1 in
    sigstop) echo $((STOP_S + 4)) ;;
    hang) echo 15 ;;
    crashloop) echo $((AWAY_S + 10)) ;;
    *) echo $((AWAY_S + 1)) ;;
  esac
}

one_case() {
  local case=$1 sock http tcp before after same=0 total name id pid probe out last_file snapshot
  export JPM_HOME="$WORK/$case"
  mkdir -m 700 "$JPM_HOME"
  local env=()
  case $case in
    hang)
      echo '{"satan":{"hang_timeout":"5s"}}' >"$JPM_HOME/jpm.json"
      env=(JPM_DAEMON_OPTS="-Xms8m -Xmx128m -XX:TieredStopAtLevel=1 -javaagent:$(hooks_jar)") ;;
    crashloop) env=(JPM_KEEPER_PAUSES_S="1 1") ;;
  esac
  sock=$(free_port); http=$(free_port); tcp=$(free_port)
  last_file="$WORK/$case.last"
  env "${env[@]}" NUMBERS_LAST="$last_file" "$JPM" start "$root/bench/apps/numbers.sh" --name numbers >/dev/null 2>&1 || die "$case: start"
  PORT=$sock "$JPM" start "$root/bench/apps/hello.js" -i 2 --name sock >/dev/null 2>&1 || die "$case: start sock"
  "$JPM" start "$root/bench/apps/hello.js" -i 2 --port "$http" --balance http --name http >/dev/null 2>&1 || die "$case: start http"
  "$JPM" start "$root/bench/apps/hello.js" -i 2 --port "$tcp" --balance round-robin --name tcp >/dev/null 2>&1 || die "$case: start tcp"
  await_http "$sock"; await_http "$http"; await_http "$tcp"
  sleep 2 # the daemon's record (state.json) names every run
  # what a boot's `jpm resurrect` starts: the saved list
  [ "$case" = reboot ] && "$JPM" save >/dev/null 2>&1
  before=$(pids)
  total=$(wc -l <<<"$before")
  out=$(ls "$JPM_HOME"/logs/numbers-out*.log | head -1)
  log "$case: daemon $(daemon), keeper $(keeper), load $(cut -d' ' -f1 /proc/loadavg)"
  python3 "$root/bench/outage-probe.py" --seconds "$(window "$case")" "socket:$sock" "http:$http" "tcp:$tcp" >"$WORK/$case.probe" &
  probe=$!
  sleep 1
  event "$case" "$before" "$out"
  wait "$probe"
  # what the log and the writer hold before the next command (which may start the writer again)
  [ -f "$WORK/$case.log-before" ] || cp "$out" "$WORK/$case.log-before"
  [ -f "$WORK/$case.last-before" ] || cp "$last_file" "$WORK/$case.last-before" 2>/dev/null
  local t0; t0=$(now_ms)
  "$JPM" ls >/dev/null 2>&1
  local ls_ms=$(($(now_ms) - t0))
  sleep 2
  after=$(pids)
  while read -r name id pid; do
    grep -qxF "$name $id $pid" <<<"$after" && kill -0 "$pid" 2>/dev/null && same=$((same + 1))
  done <<<"$before"
  local writer_before writer_after
  writer_before=$(awk '$1 == "numbers" { print $3 }' <<<"$before")
  writer_after=$(awk '$1 == "numbers" { print $3 }' <<<"$after")
  if [ "$writer_before" = "$writer_after" ]; then
    "$JPM" stop numbers >/dev/null 2>&1
    sleep 1
    read -r lost doubled < <(lines "$out" "$(cat "$last_file")")
    writer=same
  else
    # the writer was started again (from 1): its first run's lines, as they were before the command
    read -r lost doubled < <(lines "$WORK/$case.log-before" "$(cat "$WORK/$case.last-before" 2>/dev/null || echo 0)")
    writer=$([ "$case" = reboot ] && echo restarted || echo "died+restarted")
  fi
  printf '%s apps_same_pid=%s/%s writer=%s lines_lost=%s doubled=%s next_ls_ms=%s %s\n' "$case" "$same" "$total" \
    "$writer" "$lost" "$doubled" "$ls_ms" "$(awk '{ printf "%s=%s ", $1, substr($0, length($1) + 2) }' "$WORK/$case.probe" | sed 's/ /,/g; s/,\([a-z]*=ok\)/ \1/g')"
  "$JPM" kill >/dev/null 2>&1
}

log "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), jpm $(git -C "$root" rev-parse --short HEAD), $(date -u '+%F %H:%M UTC')"
for c in $CASES; do
  one_case "$c"
done
