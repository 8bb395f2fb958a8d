#!/usr/bin/env bash
# bench/floor.sh: the floor of jpm's design on this machine, beside jpm and pm2 in the same run.
#
# jpm is a JVM client (bin/jpm) talking to a Vert.x daemon over the TCP event-bus bridge. What a
# design like that costs before any of jpm's own work is measured with two programs that do the
# least of it (bench/apps/FloorDaemon.java: a JVM, Vert.x, one consumer, a door speaking the bridge's frames; FloorClient.java:
# a JVM that starts that daemon when it is not there, waits for its ready file, sends one ping frame
# and prints the reply), run with jpm's own JVM flags (read from a running jpm daemon and bin/jpm)
# and each with a class-data archive of its own classes recorded first, as jpm's are. In turn, each
# round (floor, jpm, pm2):
#   1. the first command with no daemon (ping right after the daemon was stopped)
#   2. a command with the daemon up (ping), as hyperfine times jpm ls in foundation.sh
# then, each daemon 5 s after its start with nothing to run: RSS and threads, its CPU over the next
# IDLE_S seconds (utime+stime from /proc/<pid>/stat, as foundation.sh's idle CPU), and its RSS again
# at the end of them: at rest (pm2's node gives back ~4 MiB between 5 and 20 s after its start).
# Prints a table with each figure and floor/pm2, jpm/pm2: a target below floor/pm2 cannot be met by
# any daemon of this design on this machine (docs/BENCHMARKS.md, "The floor of the design").
#
# Then, floor and jpm in turn, where a first command's time goes: before the daemon's JVM, that JVM to
# its ready file, and from there to the command's end.
#
# Usage: bash bench/floor.sh   (about 6 min; knobs: ROUNDS=10 SPLIT_ROUNDS=ROUNDS SETTLE=5 IDLE_S=60 PM2_PREFIX=/tmp/pm2)
set -uo pipefail
ROUNDS=${ROUNDS:-10}
SETTLE=${SETTLE:-5}
IDLE_S=${IDLE_S:-60}
root=$(cd "$(dirname "$0")/.." && pwd)
. "$root/bench/lib.sh"
LOG_TAG=floor
against_pm2 floor
command -v javac >/dev/null || die "javac is needed to build the floor programs"
now_ns() { date +%s%N; }
ms_since() { echo $(( ($(now_ns) - $1) / 1000000 )); }
median() { sort -n | awk '{ a[NR] = $1 } END { print (NR % 2) ? a[(NR + 1) / 2] : (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
rss_mib() { awk '/^VmRSS:/ { printf "%.1f", $2 / 1024 }' "/proc/$1/status"; }
threads() { ls "/proc/$1/task" | wc -l; }
idle_cpu() { # pid seconds -> percent of one core used over that time (ticks of 1/CLK_TCK s)
  local a b
  a=$(awk '{ print $14 + $15 }' "/proc/$1/stat"); sleep "$2"; b=$(awk '{ print $14 + $15 }' "/proc/$1/stat")
  awk -v t=$((b - a)) -v s="$2" -v hz="$(getconf CLK_TCK)" 'BEGIN { printf "%.2f", 100 * t / hz / s }'
}

# ---------------------------------------------------------------- the floor programs, built and archived
FLOOR="$WORK/floor"
mkdir -p "$FLOOR/classes"
JAR="$WORK/jpm/target/jpm.jar"
javac -d "$FLOOR/classes" -cp "$JAR" "$root/bench/apps/FloorDaemon.java" "$root/bench/apps/FloorClient.java" \
  || die "javac of the floor programs"
(cd "$FLOOR/classes" && jar cf "$FLOOR/floor.jar" ./*.class) || die "jar of the floor programs"
CP="$JAR:$FLOOR/floor.jar"

# jpm's own flags: the daemon's (-X and Netty's properties) from a running daemon's command line (without its archive), the
# client's from bin/jpm
"$JPM" ping >/dev/null 2>&1 || die "jpm ping"
jpm_daemon_pid=$(cat "$JPM_HOME/jpm.pid")
DAEMON_FLAGS=$(tr '\0' '\n' <"/proc/$jpm_daemon_pid/cmdline" | grep -E '^-X|^-Dio\.netty\.' | grep -vE 'SharedArchiveFile|Xshare|Xlog' | tr '\n' ' ')
# jpm's own, as its client passes them (its archive included), for the split below
JPM_OWN_FLAGS=$(tr '\0' '\n' <"/proc/$jpm_daemon_pid/cmdline" | sed -n '2,/^-cp$/p' | grep -v '^-cp$' | tr '\n' ' ')
CLIENT_FLAGS=$(sed -n 's/^flags="\(.*\)"$/\1/p' "$root/bin/jpm" | sed 's/-Xlog:[^ ]*//g')
[ -n "$DAEMON_FLAGS" ] && [ -n "$CLIENT_FLAGS" ] || die "cannot read jpm's JVM flags"
"$JPM" kill >/dev/null 2>&1
log "daemon flags: $DAEMON_FLAGS"
log "client flags: $CLIENT_FLAGS"

READY="$FLOOR/ready"
daemon_cmd() { echo java $DAEMON_FLAGS "$@" -cp "$CP" FloorDaemon "$READY" "$FLOOR_PORT"; }
FLOOR_PORT=$(free_port)
stop_floor() {
  local pid
  pid=$(pgrep -f "FloorDaemon $READY" | head -1)
  [ -n "$pid" ] && kill -9 "$pid" 2>/dev/null
  while [ -n "$pid" ] && [ -d "/proc/$pid" ]; do sleep 0.05; done
  rm -f "$READY" "$READY.tmp"
}
trap 'rc=$?; stop_floor; (exit $rc); bench_cleanup' EXIT INT TERM

# archives: a training run of each, its loaded classes, then -Xshare:dump (bin/jpm's way)
log "recording the floor programs' class archives"
java $CLIENT_FLAGS -XX:DumpLoadedClassList="$FLOOR/client.classes" -cp "$CP" FloorClient "$READY" \
  $(daemon_cmd -XX:DumpLoadedClassList="$FLOOR/daemon.classes") >/dev/null || die "floor training run"
stop_floor
# the client's archive dumped with the client's collector and heap size, as bin/jpm dumps its own (a G1
# archive keeps its heap objects and module graph)
CLIENT_DUMP_FLAGS=$(printf '%s\n' $CLIENT_FLAGS | grep -E '^-XX:\+Use[A-Za-z0-9]+GC$|^-Xmx' | tr '\n' ' ')
java -Xshare:dump -XX:SharedClassListFile="$FLOOR/client.classes" -XX:SharedArchiveFile="$FLOOR/client.jsa" \
  $CLIENT_DUMP_FLAGS -cp "$CP" >/dev/null 2>&1 || die "client archive"
java -Xshare:dump -XX:SharedClassListFile="$FLOOR/daemon.classes" -XX:SharedArchiveFile="$FLOOR/daemon.jsa" \
  -XX:+UseSerialGC -cp "$CP" >/dev/null 2>&1 || die "daemon archive"
floor_client() {
  java $CLIENT_FLAGS -XX:SharedArchiveFile="$FLOOR/client.jsa" -Xlog:cds=off -cp "$CP" FloorClient "$READY" \
    $(daemon_cmd -XX:SharedArchiveFile="$FLOOR/daemon.jsa" -Xlog:cds=off)
}
floor_client | grep -q pong || die "the floor client got no pong"
stop_floor

# ---------------------------------------------------------------- the rounds
# one TOOL: 1 cold first command, 1 warm command; samples appended to $WORK/TOOL.cold and .warm
one() {
  local t0
  case $1 in
    floor) stop_floor
      t0=$(now_ns); floor_client >/dev/null || die "floor cold"; echo "$(ms_since "$t0")" >>"$WORK/floor.cold"
      t0=$(now_ns); floor_client >/dev/null || die "floor warm"; echo "$(ms_since "$t0")" >>"$WORK/floor.warm" ;;
    jpm|pm2) local cli=$JPM; [ "$1" = pm2 ] && cli=$PM2
      "$cli" kill >/dev/null 2>&1; sleep 0.3
      t0=$(now_ns); "$cli" ping >/dev/null 2>&1 || die "$1 cold ping"; echo "$(ms_since "$t0")" >>"$WORK/$1.cold"
      t0=$(now_ns); "$cli" ping >/dev/null 2>&1 || die "$1 warm ping"; echo "$(ms_since "$t0")" >>"$WORK/$1.warm" ;;
  esac
}
log "load average $(cut -d' ' -f1-3 /proc/loadavg); $ROUNDS rounds"
for ((r = 0; r < ROUNDS; r++)); do one floor; one jpm; one pm2; done

# ---------------------------------------------------------------- where a first command goes
# floor and jpm in turn, SPLIT_ROUNDS times: before the daemon's JVM (the command's launcher, its JVM and
# its work up to the spawn, jpm's keeper), that JVM to its ready file (daemon.json), and from there to the
# command's end (its request, the answer, the exit). The daemon's JVM start is read from its own log
# (-Xlog's wall time less its uptime); jpm's daemon gets it through JPM_DAEMON_OPTS with its own flags.
SPLIT_ROUNDS=${SPLIT_ROUNDS:-$ROUNDS}
XLOG="-Xlog:gc+init=info:file=$WORK/jvm-start.log:utctime,uptimemillis"
jvm_started_ms() { # the logged JVM's start, ms since the epoch
  python3 -c 'import sys, datetime, re
m = re.match(r"\[(.*?)\]\[(\d+)ms\]", open(sys.argv[1]).readline())
print(int(datetime.datetime.strptime(m.group(1), "%Y-%m-%dT%H:%M:%S.%f%z").timestamp() * 1000) - int(m.group(2)))' "$WORK/jvm-start.log"
}
mtime_ms() { stat -c %.3Y "$1" | tr -d .; }
split() { # tool t0_ms ready_file t1_ms
  local started; started=$(jvm_started_ms)
  echo "$(($started - $2)) $(($(mtime_ms "$3") - started)) $(($4 - $(mtime_ms "$3")))" >>"$WORK/$1.split"
}
now_ms() { date +%s%3N; }
for ((r = 0; r < SPLIT_ROUNDS; r++)); do
  stop_floor; rm -f "$WORK/jvm-start.log"; t0=$(now_ms)
  java $CLIENT_FLAGS -XX:SharedArchiveFile="$FLOOR/client.jsa" -Xlog:cds=off -cp "$CP" FloorClient "$READY" \
    $(daemon_cmd $XLOG -XX:SharedArchiveFile="$FLOOR/daemon.jsa" -Xlog:cds=off) >/dev/null || die "floor split"
  split floor "$t0" "$READY" "$(now_ms)"
  "$JPM" kill >/dev/null 2>&1; sleep 0.3; rm -f "$WORK/jvm-start.log"; t0=$(now_ms)
  JPM_DAEMON_OPTS="$JPM_OWN_FLAGS $XLOG" "$JPM" ping >/dev/null 2>&1 || die "jpm split"
  split jpm "$t0" "$JPM_HOME/daemon.json" "$(now_ms)"
done
"$JPM" kill >/dev/null 2>&1; stop_floor

# ---------------------------------------------------------------- idle daemons: RSS, threads, CPU
declare -A RSS THR CPU LATER
idle() { # tool pid: RSS and threads SETTLE s after the start, then CPU over IDLE_S s, then RSS again
  RSS[$1]=$(rss_mib "$2"); THR[$1]=$(threads "$2")
  log "$1: idle CPU over $IDLE_S s"; CPU[$1]=$(idle_cpu "$2" "$IDLE_S")
  LATER[$1]=$(rss_mib "$2")
}
stop_floor; floor_client >/dev/null; sleep "$SETTLE"
idle floor "$(pgrep -f "FloorDaemon $READY" | head -1)"; stop_floor
"$JPM" kill >/dev/null 2>&1; "$JPM" ping >/dev/null 2>&1; sleep "$SETTLE"
idle jpm "$(cat "$JPM_HOME/jpm.pid")"; "$JPM" kill >/dev/null 2>&1
"$PM2" kill >/dev/null 2>&1; "$PM2" ping >/dev/null 2>&1; sleep "$SETTLE"
idle pm2 "$(cat "$PM2_HOME/pm2.pid")"; "$PM2" kill >/dev/null 2>&1

# ---------------------------------------------------------------- the table
declare -A M
for t in floor jpm pm2; do for k in cold warm; do M[$t.$k]=$(median <"$WORK/$t.$k"); done; done
ratio() { awk -v a="$1" -v b="$2" 'BEGIN { printf "%.2f", a / b }'; }
echo
echo "$(nproc) cores, $(java -version 2>&1 | sed -n 1p), node $(node -v), pm2 $("$PM2" -v 2>/dev/null | tail -1), jpm $(git -C "$root" rev-parse --short HEAD 2>/dev/null), $(date -u +%FT%TZ), load $(cut -d' ' -f1-3 /proc/loadavg)"
echo
echo "| measure (median of $ROUNDS, in turn) | floor | jpm | pm2 | floor/pm2 | jpm/pm2 |"
echo "| --- | ---: | ---: | ---: | ---: | ---: |"
echo "| first command, no daemon (ms) | ${M[floor.cold]} | ${M[jpm.cold]} | ${M[pm2.cold]} | $(ratio "${M[floor.cold]}" "${M[pm2.cold]}") | $(ratio "${M[jpm.cold]}" "${M[pm2.cold]}") |"
echo "| a command, daemon up (ms) | ${M[floor.warm]} | ${M[jpm.warm]} | ${M[pm2.warm]} | $(ratio "${M[floor.warm]}" "${M[pm2.warm]}") | $(ratio "${M[jpm.warm]}" "${M[pm2.warm]}") |"
echo "| daemon RSS, nothing to run, $SETTLE s after its start (MiB) | ${RSS[floor]} | ${RSS[jpm]} | ${RSS[pm2]} | $(ratio "${RSS[floor]}" "${RSS[pm2]}") | $(ratio "${RSS[jpm]}" "${RSS[pm2]}") |"
echo "| daemon RSS, nothing to run, $((SETTLE + IDLE_S)) s after its start (MiB) | ${LATER[floor]} | ${LATER[jpm]} | ${LATER[pm2]} | $(ratio "${LATER[floor]}" "${LATER[pm2]}") | $(ratio "${LATER[jpm]}" "${LATER[pm2]}") |"
echo "| daemon threads, nothing to run | ${THR[floor]} | ${THR[jpm]} | ${THR[pm2]} | | |"
echo "| idle daemon CPU, nothing to run (% of a core over $IDLE_S s) | ${CPU[floor]} | ${CPU[jpm]} | ${CPU[pm2]} | | |"
echo
for t in floor jpm pm2; do echo "- $t cold: $(tr '\n' ' ' <"$WORK/$t.cold")  warm: $(tr '\n' ' ' <"$WORK/$t.warm")"; done
col() { awk -v c="$1" '{ print $c }' "$WORK/$2.split" | median; }
echo
echo "| first command, median of $SPLIT_ROUNDS in turn (ms) | floor | jpm |"
echo "| --- | ---: | ---: |"
echo "| to the daemon's JVM (launcher, client JVM, its work to the spawn, the keeper) | $(col 1 floor) | $(col 1 jpm) |"
echo "| the daemon's JVM to its ready file (daemon.json) | $(col 2 floor) | $(col 2 jpm) |"
echo "| ready file to the command's end (request, answer, exit) | $(col 3 floor) | $(col 3 jpm) |"
