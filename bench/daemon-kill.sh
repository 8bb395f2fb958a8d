#!/usr/bin/env bash
# bench/daemon-kill.sh: SIGKILL of the daemon, jpm against pm2 (docs/BENCHMARKS.md). For each
# tool, ROUNDS times: start a fork app writing a numbered line about every millisecond
# (bench/apps/numbers.sh), bench/apps/hello.js -i 2 on one port (pm2's cluster mode, jpm's socket
# mode) and a quiet app; send RATE requests/s to hello for 12 s (bench/rate-latency.js) and SIGKILL
# the daemon 2 s in; then, with no command for AWAY_S (10 s), count
#   - apps alive: of the 4 processes running before the kill, how many still run with the same pid
#   - lines lost: numbers missing from the writer's log, up to its last line (and doubled ones)
#   - requests failed during the 12 s
#   - how long until a daemon answers again with no command typed (jpm's keeper starts one; pm2's
#     never does), and how long the first `ls` after the window takes (pm2 starts its daemon then)
# Prints a table (medians) and the raw rounds.
# BALANCE=http or BALANCE=round-robin puts jpm's hello behind its HTTP or TCP proxy instead of socket
# mode (pm2 has no such mode: its cluster mode stays); the proxy's kept-alive client connections are the
# daemon's own and end with it, so those count as failed, while new ones wait for the next daemon.
# Usage: bash bench/daemon-kill.sh    (knobs: ROUNDS=3 RATE=200 AWAY_S=10 TOOLS="jpm pm2" BALANCE=)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
LOG_TAG=daemon-kill
. "$root/bench/lib.sh"
ROUNDS=${ROUNDS:-3}
RATE=${RATE:-200}
AWAY_S=${AWAY_S:-10}
TOOLS=${TOOLS:-"jpm pm2"}
BALANCE=${BALANCE:-}
against_pm2 daemon-kill
command -v node >/dev/null || die "node is needed (hello.js, rate-latency.js)"

now_ms() { date +%s%3N; }

daemon_pid() {
  case $1 in
    jpm) cat "$JPM_HOME/jpm.pid" 2>/dev/null ;;
    pm2) cat "$PM2_HOME/pm2.pid" 2>/dev/null ;;
  esac
}

# pids TOOL: "name pid" of every process, from jlist
pids() {
  local bin=$JPM; [ "$1" = pm2 ] && bin=$PM2
  "$bin" jlist 2>/dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>{for(const p of JSON.parse(s))console.log(p.name+"#"+p.pm_id, p.pid)})'
}

# lost FILE: "missing doubled" numbers in the writer's log
lost() {
  awk 'BEGIN{prev=0; missing=0; doubled=0} /^[0-9]+$/ {n=$1+0; if (n<=prev) doubled++; else {missing+=n-prev-1; prev=n}} END{print missing, doubled}' "$1"
}

round() {
  local tool=$1 bin=$JPM home=$JPM_HOME port before after alive=0 pid name killed_at answered_at out client
  [ "$tool" = pm2 ] && bin=$PM2 && home=$PM2_HOME
  port=$(free_port)
  "$bin" start "$root/bench/apps/numbers.sh" --name numbers >/dev/null 2>&1 || die "$tool start numbers"
  if [ "$tool" = jpm ] && [ -n "$BALANCE" ]; then
    STOP_MODE=graceful "$bin" start "$root/bench/apps/hello.js" -i 2 --port "$port" --balance "$BALANCE" --name hello >/dev/null 2>&1 || die "$tool start hello"
  else
    PORT=$port STOP_MODE=graceful "$bin" start "$root/bench/apps/hello.js" -i 2 --name hello >/dev/null 2>&1 || die "$tool start hello"
  fi
  "$bin" start "$root/bench/apps/idle.sh" --name quiet >/dev/null 2>&1 || die "$tool start quiet"
  await_http "$port"
  sleep 1
  before=$(pids "$tool")
  out=$(ls "$home"/logs/numbers-out*.log 2>/dev/null | head -1)
  node "$root/bench/rate-latency.js" "$port" "$RATE" 12 >"$WORK/client.json" 2>/dev/null &
  client=$!
  sleep 2
  pid=$(daemon_pid "$tool")
  killed_at=$(now_ms)
  kill -9 "$pid"
  # with no command: when does a daemon answer again (jpm's keeper starts one; pm2 has none)
  back="never"
  while [ $(($(now_ms) - killed_at)) -lt $((AWAY_S * 1000)) ]; do
    if [ "$back" = never ] && [ -n "$(daemon_pid "$tool")" ] && [ "$(daemon_pid "$tool")" != "$pid" ] \
      && { [ "$tool" = pm2 ] || grep -q "\"pid\" : $(daemon_pid "$tool")" "$home/daemon.json" 2>/dev/null; }; then
      back=$(($(now_ms) - killed_at))
    fi
    sleep 0.05
  done
  wait "$client"
  # the first command after that: how long it takes to answer (it starts a daemon where none runs)
  local ls_start; ls_start=$(now_ms)
  "$bin" ls >/dev/null 2>&1
  answered_at=$(now_ms)
  sleep 1
  after=$(pids "$tool")
  while read -r name pid; do
    [ -n "$pid" ] && [ "$pid" != 0 ] && grep -qxF "$name $pid" <<<"$after" && kill -0 "$pid" 2>/dev/null && alive=$((alive + 1))
  done <<<"$before"
  "$bin" stop numbers >/dev/null 2>&1
  read -r missing doubled < <(lost "$out")
  failed=$(node -e 'const r=JSON.parse(require("fs").readFileSync(process.argv[1],"utf8"));console.log(r.failed + (r.sent - r.answered - r.failed))' "$WORK/client.json" 2>/dev/null || echo "?")
  # of those, the ones that got an error (a refusal, a reset); the rest were still waiting for their answer when the client stopped
  errors=$(node -e 'console.log(JSON.parse(require("fs").readFileSync(process.argv[1],"utf8")).failed)' "$WORK/client.json" 2>/dev/null || echo "?")
  echo "$tool alive=$alive/4 lines_lost=$missing doubled=$doubled requests_failed=$failed errors=$errors daemon_back_ms=$back ls_ms=$((answered_at - ls_start))"
  "$bin" delete all >/dev/null 2>&1
  "$bin" kill >/dev/null 2>&1
  rm -rf "$home/logs"
}

results=()
for r in $(seq 1 "$ROUNDS"); do
  for tool in $TOOLS; do
    log "round $r: $tool"
    results+=("$(round "$tool")")
  done
done
printf '%s\n' "${results[@]}"
echo
echo "| tool | apps alive (same pid) | lines lost | lines doubled | requests failed | daemon back, no command | first ls after |"
echo "|---|---:|---:|---:|---:|---:|---:|"
# the median of a field over a tool's rounds (sort, not awk's asort: Debian's awk is mawk)
median() { printf '%s\n' "${results[@]}" | awk -v t="$1" -v k="$2" '$1 == t { for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) print kv[2] } }' | sort -n | awk '{ v[NR] = $1 } END { print v[int((NR + 1) / 2)] }'; }
for tool in $TOOLS; do
  printf '| %s | %s/4 | %s | %s | %s | %s ms | %s ms |\n' "$tool" "$(median "$tool" alive | cut -d/ -f1)" \
    "$(median "$tool" lines_lost)" "$(median "$tool" doubled)" "$(median "$tool" requests_failed)" \
    "$(median "$tool" daemon_back_ms)" "$(median "$tool" ls_ms)"
done
