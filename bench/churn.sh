#!/usr/bin/env bash
# bench/churn.sh: connection churn at the daemons' doors, jpm against pm2 (docs/BENCHMARKS.md).
# A local client opens non-blocking connections to one door as fast as it can, 400 open at a time,
# closing the oldest as each new one opens, sending nothing (bench/churn.py), for CHURN_S (20 s); all
# along, the daemon's descriptors and CLOSE_WAIT sockets are sampled (bench/sockets.py) and a client
# that may get in asks for the list again and again (a fresh connection each time). Doors churned:
#   jpm tcp    the bridge's TCP port; the lists: jpm ls over jpm.sock (the local CLI) and jpm ls over
#              TCP with the token (a copy of daemon.json without its socket, and of the token: a user
#              who has the token, not the home)
#   jpm sock   jpm.sock, churned by its owner (nobody else can open it); the list: jpm ls
#   jpm http   the HTTP door (jpm web); the list: GET /api/processes with the token, Connection: close
#   pm2 rpc    pm2's rpc.sock in PM2_HOME (pm2's doors are Unix sockets: only the owner can churn
#              them); the list: pm2 ls
#   pm2 pub    pm2's pub.sock; the list: pm2 ls
#   none       no churn: the same lists for CHURN_S, what the machine's load alone gives them
# Each tool runs one quiet app (bench/apps/idle.sh); "restarted" is whether the daemon's pid (its pid
# file's) or the app's changed, and "N-daemons" when N daemons run for the one home after the case. CLOSE_WAIT is TCP's: n/a on Unix sockets. Prints one line a case, then a table.
# Usage: bash bench/churn.sh   (knobs: CHURN_S=20 OPEN=400 TOOLS="jpm pm2"; JPM_BUILD=<a checkout with
# target/jpm.jar>: that build's jpm instead of this one's, for a before/after pair)
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
LOG_TAG=churn
. "$root/bench/lib.sh"
CHURN_S=${CHURN_S:-20}
OPEN=${OPEN:-400}
TOOLS=${TOOLS:-"jpm pm2"}
against_pm2 churn
command -v curl >/dev/null || die "curl is needed (the HTTP door's list)"
# the churn holds OPEN sockets; the daemons raise their own soft limit as the JVM and node do
ulimit -Sn 4096 2>/dev/null || true
if [ -n "${JPM_BUILD:-}" ]; then
  # another checkout's build (a "before" run): its launcher and jar in place of this one's
  cp "$JPM_BUILD/bin/jpm" "$WORK/jpm/bin/jpm" && cp "$JPM_BUILD/target/jpm.jar" "$WORK/jpm/target/jpm.jar" \
    || die "no build in $JPM_BUILD"
  rm -f "$WORK"/jpm/target/*.jsa
fi

now_ms() { date +%s%3N; }

# list_loop OUT CMD...: runs CMD again and again for CHURN_S, one "exit-code milliseconds" line a run
list_loop() {
  local out=$1 end t0 rc
  shift
  end=$(($(now_ms) + CHURN_S * 1000))
  while [ "$(now_ms)" -lt "$end" ]; do
    t0=$(now_ms)
    timeout 30 "$@" >/dev/null 2>&1
    rc=$?
    echo "$rc $(($(now_ms) - t0))" >>"$out"
    sleep 0.2
  done
}

# http_list PORT TOKEN: GET /api/processes on a connection of its own; 0 when answered 200
http_list() {
  [ "$(curl -s -o /dev/null -m 25 -w '%{http_code}' -H "Authorization: Bearer $2" -H 'Connection: close' \
    "http://127.0.0.1:$1/api/processes")" = 200 ]
}

# list_stats FILE: "answered=N errors=N p50_ms=N max_ms=N over_1s=N" of a list_loop's lines
list_stats() {
  sort -k2 -n "$1" | awk '{ n++; if ($1 != 0) e++; else { ok++; v[ok] = $2; if ($2 > 1000) s++ } }
    END { printf "answered=%d errors=%d p50_ms=%s max_ms=%s over_1s=%d", ok, e + 0,
          ok ? v[int((ok + 1) / 2)] : "-", ok ? v[ok] : "-", s + 0 }'
}

# what the churn printed: its connections a second
churn_rate() { python3 -c 'import json,sys; print(json.loads(sys.stdin.read() or "{}").get("per_second", "?"))' <"$1"; }

daemon_pid() {
  case $1 in
    jpm) cat "$JPM_HOME/jpm.pid" 2>/dev/null ;;
    pm2) cat "$PM2_HOME/pm2.pid" 2>/dev/null ;;
  esac
}

app_pid() {
  local bin=$JPM
  [ "$1" = pm2 ] && bin=$PM2
  "$bin" jlist 2>/dev/null | python3 -c 'import json,sys; print(next((p["pid"] for p in json.load(sys.stdin) if p["name"] == "quiet"), "?"))'
}

# the_case TOOL DOOR TARGET LIST...: one churn of CHURN_S at TARGET (--tcp H:P or --unix PATH) with
# each LIST ("name|command") looping meanwhile; prints the case's line(s)
the_case() {
  local tool=$1 door=$2 target=$3 pid app rest socks churn_out cw list name
  shift 3
  pid=$(daemon_pid "$tool")
  app=$(app_pid "$tool")
  rest=$(python3 "$root/bench/sockets.py" --pid "$pid" --seconds 0 | python3 -c 'import json,sys; print(json.load(sys.stdin)["fds_last"])')
  log "$tool $door: churn $target for $CHURN_S s ($rest descriptors at rest)"
  python3 "$root/bench/sockets.py" --pid "$pid" --every 0.25 --seconds "$CHURN_S" >"$WORK/socks.json" &
  socks=$!
  if [ "$target" = none ]; then
    # the same lists with no churn: what the machine's load alone gives them
    sleep "$CHURN_S" &
    echo '{"per_second": 0}' >"$WORK/churn.json"
  else
    python3 "$root/bench/churn.py" $target --open "$OPEN" --seconds "$CHURN_S" >"$WORK/churn.json" &
  fi
  churn_out=$!
  local loops=()
  for list in "$@"; do
    name=${list%%|*}
    rm -f "$WORK/list-$name"
    list_loop "$WORK/list-$name" bash -c "${list#*|}" &
    loops+=($!)
  done
  wait "$churn_out" "$socks" "${loops[@]}"
  sleep 2
  read -r fds_max cw_max < <(python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); print(d["fds_max"], d["close_wait_max"])' "$WORK/socks.json")
  cw=$cw_max
  case $target in --unix*) cw=n/a ;; esac
  local gone=()
  [ "$(daemon_pid "$tool")" != "$pid" ] && gone+=(daemon)
  [ "$(app_pid "$tool")" != "$app" ] && gone+=(app)
  # a pm2 CLI refused on rpc.sock takes the daemon for dead and starts another for the same home
  [ "$tool" = pm2 ] && [ "$(pgrep -fc "God Daemon .$PM2_HOME.")" -gt 1 ] && gone+=("$(pgrep -fc "God Daemon .$PM2_HOME.")-daemons")
  local restarted
  restarted=$(IFS=+; echo "${gone[*]:-no}")
  for list in "$@"; do
    name=${list%%|*}
    echo "$tool door=$door list=$name churn_per_s=$(churn_rate "$WORK/churn.json") fds_rest=$rest fds_max=$fds_max close_wait_max=$cw $(list_stats "$WORK/list-$name") restarted=$restarted"
  done
}

run_jpm() {
  local port token tcp_home web
  "$JPM" start "$root/bench/apps/idle.sh" --name quiet >/dev/null 2>&1 || die "jpm start"
  port=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["bridgePort"])' "$JPM_HOME/daemon.json")
  token=$(cat "$JPM_HOME/token")
  # a user with the token and daemon.json, not the home: no jpm.sock, so TCP; a CLI there that could not
  # get in would start a daemon of its own, which this flag makes fail (an error, counted)
  tcp_home="$WORK/tcp-home"
  mkdir -m 700 "$tcp_home"
  python3 -c 'import json,sys; d=json.load(open(sys.argv[1])); d.pop("socket", None); json.dump(d, open(sys.argv[2], "w"))' \
    "$JPM_HOME/daemon.json" "$tcp_home/daemon.json"
  cp "$JPM_HOME/token" "$tcp_home/token"
  chmod 600 "$tcp_home/daemon.json" "$tcp_home/token"
  the_case jpm none none \
    "ls-jpm.sock|JPM_HOME='$JPM_HOME' '$JPM' ls" \
    "ls-tcp|JPM_HOME='$tcp_home' JPM_DAEMON_OPTS=-XX:+NoSuchJpmFlag '$JPM' ls"
  the_case jpm tcp "--tcp 127.0.0.1:$port" \
    "ls-jpm.sock|JPM_HOME='$JPM_HOME' '$JPM' ls" \
    "ls-tcp|JPM_HOME='$tcp_home' JPM_DAEMON_OPTS=-XX:+NoSuchJpmFlag '$JPM' ls"
  the_case jpm sock "--unix $(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["socket"])' "$JPM_HOME/daemon.json")" \
    "ls-jpm.sock|JPM_HOME='$JPM_HOME' '$JPM' ls"
  web=$(free_port)
  "$JPM" web --port "$web" >/dev/null 2>&1 || die "jpm web"
  the_case jpm http "--tcp 127.0.0.1:$web" "http-list|$(declare -f http_list); http_list $web $token"
  if grep -q "redeploy" "$JPM_HOME/daemon.log"; then log "jpm: daemon.log says a verticle was redeployed"; fi
  "$JPM" kill >/dev/null 2>&1
}

run_pm2() {
  "$PM2" start "$root/bench/apps/idle.sh" --name quiet >/dev/null 2>&1 || die "pm2 start"
  the_case pm2 none none "pm2-ls|PM2_HOME='$PM2_HOME' '$PM2' ls"
  the_case pm2 rpc "--unix $PM2_HOME/rpc.sock" "pm2-ls|PM2_HOME='$PM2_HOME' '$PM2' ls"
  the_case pm2 pub "--unix $PM2_HOME/pub.sock" "pm2-ls|PM2_HOME='$PM2_HOME' '$PM2' ls"
  "$PM2" kill >/dev/null 2>&1
}

log "$(nproc) cores, load $(cut -d' ' -f1-3 /proc/loadavg), jpm $(git -C "$root" rev-parse --short HEAD), pm2 $("$PM2" --version 2>/dev/null | tail -1)"
results=()
for tool in $TOOLS; do
  while IFS= read -r line; do results+=("$line"); done < <("run_$tool")
done
printf '%s\n' "${results[@]}"
echo
echo "| tool | door churned | list | churn conn/s | descriptors max (at rest) | CLOSE_WAIT max | lists answered | errors | p50 | max | over 1 s | restarted |"
echo "|---|---|---|---:|---:|---:|---:|---:|---:|---:|---:|---|"
field() { awk -v k="$2" '{ for (i = 1; i <= NF; i++) { split($i, kv, "="); if (kv[1] == k) print kv[2] } }' <<<"$1"; }
for r in "${results[@]}"; do
  printf '| %s | %s | %s | %s | %s (%s) | %s | %s | %s | %s ms | %s ms | %s | %s |\n' "${r%% *}" "$(field "$r" door)" \
    "$(field "$r" list)" "$(field "$r" churn_per_s)" "$(field "$r" fds_max)" "$(field "$r" fds_rest)" \
    "$(field "$r" close_wait_max)" "$(field "$r" answered)" "$(field "$r" errors)" "$(field "$r" p50_ms)" \
    "$(field "$r" max_ms)" "$(field "$r" over_1s)" "$(field "$r" restarted)"
done
