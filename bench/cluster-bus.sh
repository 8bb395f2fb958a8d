#!/bin/bash
# Several hosts as one (docs/CLUSTER.md), the current build: a daemon's start and idle RSS with
# clustering off and on (a cluster of one), rounds taking turns, then three daemons on loopback
# with N_APPS apps each: `ls` against `ls --all`, the time for a member killed with SIGKILL to show
# as unreachable, and its return.
# Usage: bash bench/cluster-bus.sh   (knobs: ROUNDS=3 N_APPS=50 RUNS=20)
# The unclustered daemon against main: bench/eco-idle-rss.sh <main.jar> <this.jar>.
set -u
ROOT=$(cd "$(dirname "$0")/.." && pwd)
ROUNDS=${ROUNDS:-3} N_APPS=${N_APPS:-50} RUNS=${RUNS:-20}
LOG_TAG=cluster-bus
WORK=$(mktemp -d /tmp/jpm-bench-cluster-XXXX)
RUN_ID=cluster-$$
export JPM_BENCH_RUN=$RUN_ID
JPM="$ROOT/bin/jpm"
. "$ROOT/bench/lib.sh"
HOMES=()

cleanup() {
  local rc=$? h
  trap - EXIT INT TERM
  for h in "${HOMES[@]}"; do JPM_HOME=$h stop_daemons; done
  kill_run_processes
  remove_work
  exit "$rc"
}
bench_traps cleanup

ms() { echo $(( ($(date +%s%N) - $1) / 1000000 )); }
median_ms() { # median_ms <home> <jpm args...>: median wall time of RUNS runs, ms
  local home=$1; shift
  JPM_HOME=$home "$JPM" "$@" >/dev/null 2>&1
  for _ in $(seq "$RUNS"); do s=$(date +%s%N); JPM_HOME=$home "$JPM" "$@" >/dev/null 2>&1; echo $(( ($(date +%s%N) - s) / 1000 )); done \
    | sort -n | awk '{a[NR]=$1} END {printf "%.1f ms (p10 %.1f, p90 %.1f)", a[int(NR/2)+1]/1000, a[int(NR/10)+1]/1000, a[int(NR*9/10)]/1000}'
}
settings() { # settings <home> <node> <port> <member ports...>
  local home=$1 node=$2 port=$3; shift 3
  local members; members=$(printf '"127.0.0.1:%s",' "$@")
  mkdir -p "$home"
  echo "{\"cluster\":{\"name\":\"bench\",\"node\":\"$node\",\"listen\":\"127.0.0.1:$port\",\"members\":[${members%,}]}}" > "$home/jpm.json"
}

JPM_HOME=$WORK/keys "$JPM" cluster init >/dev/null || die "cluster init"
idle() { # idle <home>: VmRSS and threads of its daemon after 10 s idle
  local pid; sleep 10; pid=$(cat "$1/jpm.pid")
  echo "$(grep VmRSS /proc/"$pid"/status | tr -s ' \t' ' ') threads $(ls /proc/"$pid"/task | wc -l)"
}
log "a daemon alone, clustering off then on, $ROUNDS rounds"
for round in $(seq "$ROUNDS"); do
  home=$WORK/off-$round; HOMES+=("$home"); mkdir -p "$home"
  s=$(date +%s%N); JPM_HOME=$home "$JPM" ping >/dev/null 2>&1 || die "daemon did not start"; start=$(ms "$s")
  echo "not clustered, round $round: start+ping $start ms, $(idle "$home")"
  JPM_HOME=$home stop_daemons
  home=$WORK/alone-$round; HOMES+=("$home"); port=$(free_port)
  settings "$home" "alone" "$port" "$port"; cp -p "$WORK"/keys/cluster.* "$home/"
  s=$(date +%s%N); JPM_HOME=$home "$JPM" ping >/dev/null 2>&1 || die "clustered daemon did not start"; start=$(ms "$s")
  echo "clustered, alone, round $round: start+ping $start ms, $(idle "$home")"
  JPM_HOME=$home stop_daemons
done

log "three daemons, $N_APPS apps each"
ports=($(free_port) $(free_port) $(free_port))
for i in 0 1 2; do
  home=$WORK/host-$i; HOMES+=("$home")
  settings "$home" "h$i" "${ports[$i]}" "${ports[@]}"; cp -p "$WORK"/keys/cluster.* "$home/"
  JPM_HOME=$home "$JPM" start "$ROOT/bench/apps/idle.sh" --name app -i "$N_APPS" >/dev/null 2>&1 \
    || { tail -3 "$home/daemon.log"; die "start on h$i"; }
done
total=$((3 * N_APPS))
for _ in $(seq 120); do
  [ "$(JPM_HOME=$WORK/host-0 "$JPM" ls --all 2>/dev/null | grep -c online)" = "$total" ] && break
  sleep 0.5
done
echo "ls, $N_APPS local apps: $(median_ms "$WORK/host-0" ls)"
echo "ls --all, 3 hosts x $N_APPS apps: $(median_ms "$WORK/host-0" ls --all)"

pid=$(cat "$WORK/host-2/jpm.pid")
kill -9 "$pid"; killed=$(date +%s%N)
for _ in $(seq 60); do
  s=$(date +%s%N); at=$(ms "$killed"); line=$(JPM_HOME=$WORK/host-0 "$JPM" ls --all 2>/dev/null | grep "h2: unreachable")
  echo "  ls --all started $at ms after SIGKILL, took $(ms "$s") ms: ${line:-h2 listed}"
  case $line in *left*) break ;; esac
done
s=$(date +%s%N); JPM_HOME=$WORK/host-2 "$JPM" ping >/dev/null 2>&1
for _ in $(seq 120); do
  JPM_HOME=$WORK/host-0 "$JPM" ls --all 2>/dev/null | grep -q unreachable || break
done
echo "h2 restarted: listed again $(ms "$s") ms after its ping (daemon start included)"
