#!/usr/bin/env bash
# bench/owner-door.sh: the owner's door (jpm.sock) while a local user churns the bridge's TCP port
# (docs/BENCHMARKS.md, "The owner's door under churn"). For each build: one daemon with one quiet app,
# then bench/owner-door.py (the list's round trip on a kept and on a fresh jpm.sock connection, `jpm ls`,
# and `jpm --version`: the CLI's JVM start alone) quiet, under bench/churn.py at the port (400 open, as
# bench/churn.sh), and under the same churn at nice 19 (the churn client then yields the cores to
# everything else: what is left is the daemon's share). Prints one line a measure and case.
# Usage: bash bench/owner-door.sh [BUILD...]   (BUILD: a checkout with target/jpm.jar; default this one;
# knobs RUNS=20 OPEN=400)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
LOG_TAG=owner-door
. "$root/bench/lib.sh"
RUNS=${RUNS:-20}
OPEN=${OPEN:-400}
WORK=$(mktemp -d /tmp/jpm-bench-owner-door.XXXXXX)
RUN_ID="owner-door-$$-$(date +%s)"
export JPM_BENCH_RUN=$RUN_ID
bench_traps
ulimit -Sn 4096 2>/dev/null || true
builds=("$@")
[ ${#builds[@]} -gt 0 ] || builds=("$root")

one_build() {
  local build=$1 name=$2 port churn
  mkdir -p "$WORK/$name/bin" "$WORK/$name/target"
  cp "$build/bin/jpm" "$WORK/$name/bin/" && cp "$build/target/jpm.jar" "$WORK/$name/target/" || die "no build in $build"
  JPM="$WORK/$name/bin/jpm"
  export JPM_HOME="$WORK/$name/home"
  "$JPM" start "$root/bench/apps/idle.sh" --name quiet >/dev/null 2>&1 || die "jpm start ($build)"
  # the first daemon of a jar records its CDS archive in the background: let it finish
  for _ in $(seq 1 600); do compgen -G "$WORK/$name/target/jpm-daemon-*.jsa" >/dev/null && break; sleep 0.1; done
  sleep 2
  port=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["bridgePort"])' "$JPM_HOME/daemon.json")
  for churn in none churn nice19; do
    local pid=
    case $churn in
      churn) python3 "$root/bench/churn.py" --tcp "127.0.0.1:$port" --open "$OPEN" --seconds 600 >/dev/null & pid=$! ;;
      nice19) nice -n 19 python3 "$root/bench/churn.py" --tcp "127.0.0.1:$port" --open "$OPEN" --seconds 600 >/dev/null & pid=$! ;;
    esac
    [ -n "$pid" ] && sleep 2
    log "$name ($(git -C "$build" rev-parse --short HEAD 2>/dev/null || echo "$build")) $churn, load $(cut -d' ' -f1 /proc/loadavg)"
    python3 "$root/bench/owner-door.py" --home "$JPM_HOME" --jpm "$JPM" --runs "$RUNS" | sed "s/^/$name $churn /"
    [ -n "$pid" ] && kill "$pid" && wait "$pid" 2>/dev/null
  done
  "$JPM" kill >/dev/null 2>&1
}

log "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), $(date -u '+%F %H:%M UTC')"
i=0
for b in "${builds[@]}"; do
  one_build "$b" "build$i"
  i=$((i + 1))
done
