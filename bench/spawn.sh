#!/usr/bin/env bash
# bench/spawn.sh: jpm's two launchers against each other, same jar, same run, taking turns.
#
# The daemon spawns through posix_spawn (launcher.PosixSpawnLauncher) where it can, or through
# NuProcess (JDK vfork, then the setsid and env --default-signal execs) with JPM_LAUNCHER=nuprocess.
# Each round runs both, in alternating order, each with a fresh daemon and JPM_HOME:
#   1. `start eco.json` of N_APPS idle apps (bench/apps/idle.sh), after one start not measured
#      (a fresh daemon compiles its start path then): time until every app process runs
#      its app (/proc/<pid>/cmdline, polled without the CLI), and until jlist shows all online
#      (foundation.sh's measure); the CPU this took, daemon + apps (/proc/<pid>/task/*/schedstat:
#      nanoseconds; the apps' count the setsid and env execs, which run under the app's pid)
#   2. restart after SIGKILL of one app, RUNS_RESTART times: until jlist shows a new pid online, and
#      until the new child runs its app in /proc
# then the per-spawn cost in one JVM (src/test/java/io/jpm/launcher/SpawnBench.java).
# Prints medians per launcher, then the raw samples.
#
# Usage: bash bench/spawn.sh          (about 3 minutes on 2 cores with the defaults)
# Knobs: ROUNDS=5 N_APPS=50 RUNS_START=2 RUNS_RESTART=5 BENCH_ROUNDS=10 BENCH_N=50 KEEP_WORK=1
# Needs target/jpm.jar and target/test-classes (mvn -B -DskipTests package test-compile).
set -uo pipefail

ROUNDS=${ROUNDS:-5}
N_APPS=${N_APPS:-50}
RUNS_START=${RUNS_START:-2}
RUNS_RESTART=${RUNS_RESTART:-5}
BENCH_ROUNDS=${BENCH_ROUNDS:-10}
BENCH_N=${BENCH_N:-50}
LAUNCHERS=${LAUNCHERS:-"nuprocess posix_spawn"}

root=$(cd "$(dirname "$0")/.." && pwd)
fixture="$root/bench/apps/idle.sh"
WORK=$(mktemp -d /tmp/jpm-spawn.XXXXXX)
RUN_ID="spawn-$$-$(date +%s)"
LOG_TAG=spawn
JPM="$WORK/jpm/bin/jpm"
. "$root/bench/lib.sh"
bench_traps
now_ns() { date +%s%N; }
ms_since() { echo $(( ($(now_ns) - $1) / 1000000 )); }
median() { sort -n | awk '{ a[NR] = $1 } END { if (NR == 0) { print "n/a"; exit } if (NR % 2) print a[(NR + 1) / 2]; else printf "%.1f\n", (a[NR / 2] + a[NR / 2 + 1]) / 2 }'; }
sample() { echo "$3" >>"$WORK/samples/$1.$2"; } # launcher key value

[ -f "$root/target/jpm.jar" ] && [ -d "$root/target/test-classes" ] || die "build first: mvn -B -DskipTests package test-compile"
command -v jq >/dev/null || die "jq is needed"
mkdir -p "$WORK/jpm/bin" "$WORK/jpm/target" "$WORK/samples"
cp "$root/bin/jpm" "$JPM" && cp "$root/target/jpm.jar" "$WORK/jpm/target/jpm.jar" && cp -r "$root/target/test-classes" "$WORK/test-classes" \
  || die "snapshot of jpm"
chmod +x "$JPM"
{
  printf '{"apps":['
  for ((i = 0; i < N_APPS; i++)); do
    [ "$i" -gt 0 ] && printf ','
    printf '{"name":"idle-%d","script":"%s","interpreter":"bash","env":{"JPM_BENCH_RUN":"%s"}}' "$i" "$fixture" "$RUN_ID"
  done
  printf ']}\n'
} >"$WORK/eco.json"

cli() { timeout 60 "$JPM" "$@"; }
jlist() { timeout 30 "$JPM" jlist 2>/dev/null; }
daemon_pid() { cat "$JPM_HOME/jpm.pid" 2>/dev/null; }
children() { cat /proc/"$1"/task/*/children 2>/dev/null | tr ' ' '\n' | grep -v '^$'; }
# children of the daemon that run the app itself (not yet setsid or env): "sleep 100000"
running_apps() { local n=0 c; for c in $(children "$1"); do [ "$(tr '\0' ' ' <"/proc/$c/cmdline" 2>/dev/null)" = "sleep 100000 " ] && n=$((n + 1)); done; echo $n; }
cpu_ns() { cat /proc/"$1"/task/*/schedstat 2>/dev/null | awk '{ s += $1 } END { print s + 0 }'; }
apps_cpu_ns() { local c s=0; for c in $(children "$1"); do s=$((s + $(cpu_ns "$c"))); done; echo $s; }
count_online() { jq '[.[] | select(.pm2_env.status == "online")] | length' 2>/dev/null; }
wait_online() { # count
  local deadline=$(( $(date +%s) + 120 )) n
  while [ "$(date +%s)" -lt "$deadline" ]; do
    n=$(jlist | count_online); [ "${n:-0}" = "$1" ] && return 0
  done
  return 1
}
clear_apps() {
  local d deadline=$(( $(date +%s) + 60 ))
  cli delete all >/dev/null 2>&1; d=$(daemon_pid)
  while [ "$(date +%s)" -lt "$deadline" ]; do
    [ "$(jlist | jq length)" = 0 ] && [ -z "$(children "$d")" ] && return 0
    sleep 0.1
  done
  die "apps still there 60 s after delete all"
}

suite() { # launcher
  local L=$1 d i t0 cpu0 n name old new st deadline before
  export JPM_HOME="$WORK/home-$L-$round" JPM_LAUNCHER=$L
  mkdir -p "$JPM_HOME"
  for ((i = 0; i < 3; i++)); do cli ping >/dev/null 2>&1 || die "$L: ping"; done
  deadline=$(( $(date +%s) + 120 ))
  while [ -f "$WORK/jpm/target/jpm-daemon-lock" ] && [ "$(date +%s)" -lt "$deadline" ]; do sleep 0.2; done
  d=$(daemon_pid)
  # warm-up, not measured: a fresh daemon's first start also compiles the start path
  cli start "$WORK/eco.json" >/dev/null 2>&1 && wait_online "$N_APPS" || die "$L: warm-up start"
  clear_apps
  for ((i = 0; i < RUNS_START; i++)); do
    cpu0=$(cpu_ns "$d"); t0=$(now_ns)
    cli start "$WORK/eco.json" >/dev/null 2>&1 || die "$L: start"
    deadline=$(( $(date +%s) + 60 ))
    until [ "$(running_apps "$d")" = "$N_APPS" ]; do [ "$(date +%s)" -lt "$deadline" ] || die "$L: apps not running"; done
    sample "$L" exec "$(ms_since "$t0")"
    sample "$L" cpu "$(( ($(cpu_ns "$d") - cpu0 + $(apps_cpu_ns "$d")) / 1000000 ))"
    wait_online "$N_APPS" || die "$L: not online"
    sample "$L" online "$(ms_since "$t0")"
    [ $((i + 1)) -lt "$RUNS_START" ] && clear_apps
  done
  for ((i = 0; i < RUNS_RESTART; i++)); do
    name="idle-$((i + 1))"
    read -r old st <<<"$(jlist | jq -r --arg n "$name" '.[] | select(.name == $n) | "\(.pid) \(.pm2_env.status)"')"
    [ "$st" = online ] || die "$L: $name not online"
    before=" $(children "$d" | tr '\n' ' ') "
    kill -9 "$old"; t0=$(now_ns); new=""
    deadline=$(( $(date +%s) + 30 ))
    while [ -z "$new" ] && [ "$(date +%s)" -lt "$deadline" ]; do
      for n in $(children "$d"); do
        case $before in *" $n "*) ;; *) [ "$(tr '\0' ' ' <"/proc/$n/cmdline" 2>/dev/null)" = "sleep 100000 " ] && new=$n ;; esac
      done
    done
    [ -n "$new" ] || die "$L: no new app process"
    sample "$L" respawn "$(ms_since "$t0")"
    deadline=$(( $(date +%s) + 30 ))
    until [ "$(jlist | jq -r --arg n "$name" '.[] | select(.name == $n) | "\(.pid) \(.pm2_env.status)"')" = "$new online" ]; do
      [ "$(date +%s)" -lt "$deadline" ] || die "$L: $name not back online"
    done
    sample "$L" restart "$(ms_since "$t0")"
  done
  grep -q "spawning through $([ "$L" = nuprocess ] && echo NuProcess || echo posix_spawn)" "$JPM_HOME/daemon.log" \
    || die "$L: the daemon did not say it spawns through $L"
  cli kill >/dev/null 2>&1
  while [ -d "/proc/$d" ]; do sleep 0.05; done
}

log "work dir $WORK; load average $(cut -d' ' -f1-3 /proc/loadavg)"
load_before=$(cut -d' ' -f1-3 /proc/loadavg)
order=($LAUNCHERS)
for ((round = 1; round <= ROUNDS; round++)); do
  for L in "${order[@]}"; do log "round $round/$ROUNDS: $L"; suite "$L"; done
  order=($(printf '%s\n' "${order[@]}" | tac))
done
log "per-spawn cost in one JVM"
java -cp "$WORK/jpm/target/jpm.jar:$WORK/test-classes" io.jpm.launcher.SpawnBench "$BENCH_ROUNDS" "$BENCH_N" >"$WORK/spawnbench.txt" 2>&1 \
  || { cat "$WORK/spawnbench.txt" >&2; die "SpawnBench"; }

cat <<EOF

## Spawn path: NuProcess against posix_spawn ($(date -u '+%Y-%m-%d %H:%M UTC'))

$(nproc) CPUs; load average before: $load_before, after: $(cut -d' ' -f1-3 /proc/loadavg). $ROUNDS rounds, launchers in alternating order, a fresh daemon each.

| launcher | $N_APPS apps: all run their app | … jlist shows all online | CPU of that start (daemon + apps) | restart after SIGKILL: app runs | … jlist shows it online |
| --- | ---: | ---: | ---: | ---: | ---: |
EOF
for L in $LAUNCHERS; do
  printf '| %s | %s ms | %s ms | %s ms | %s ms | %s ms |\n' "$L" \
    "$(median <"$WORK/samples/$L.exec")" "$(median <"$WORK/samples/$L.online")" "$(median <"$WORK/samples/$L.cpu")" \
    "$(median <"$WORK/samples/$L.respawn")" "$(median <"$WORK/samples/$L.restart")"
done
echo
cat "$WORK/spawnbench.txt"
echo
echo "Raw samples (ms, in run order):"
for L in $LAUNCHERS; do
  for k in exec online cpu respawn restart; do printf -- '- %s %s: %s\n' "$L" "$k" "$(tr '\n' ' ' <"$WORK/samples/$L.$k")"; done
done
