# bench/lib.sh: what every benchmark script shares: logging, the process checks, and a clean-up
# that stops only what this run started, even when the run fails. Set WORK (the run's temp dir) and
# RUN_ID before a clean-up can run (against_pm2 sets both) (put in the env of every app the run starts, as JPM_BENCH_RUN); scripts
# that drive the daemons also set JPM, JPM_HOME, PM2, PM2_HOME. LOG_TAG names the script in logs.
LOG_TAG=${LOG_TAG:-bench}

log() { printf '[%s %s] %s\n' "$LOG_TAG" "$(date +%H:%M:%S)" "$*" >&2; }
die() { log "FAILED: $*"; exit 1; }
# pid VAR=value: does the process carry exactly that variable?
pid_has_env() { { tr '\0' '\n' < "/proc/$1/environ"; } 2>/dev/null | grep -qxF "$2"; }
free_port() { python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])'; }

# The jpm and pm2 daemons of this run: asked to stop, then killed if still there (only when their
# environment holds this run's private home, so nobody else's daemon is touched).
stop_daemons() {
  local f pid
  [ -n "${JPM:-}" ] && [ -x "$JPM" ] && [ -d "${JPM_HOME:-}" ] && timeout 30 "$JPM" kill >/dev/null 2>&1
  [ -n "${PM2:-}" ] && [ -x "$PM2" ] && [ -d "${PM2_HOME:-}" ] && timeout 30 "$PM2" kill >/dev/null 2>&1
  for f in "${JPM_HOME:-/nonexistent}/jpm.pid:JPM_HOME=${JPM_HOME:-}" "${PM2_HOME:-/nonexistent}/pm2.pid:PM2_HOME=${PM2_HOME:-}"; do
    pid=$(cat "${f%%:*}" 2>/dev/null) || continue
    case $pid in ''|*[!0-9]*) continue ;; esac
    if [ -d "/proc/$pid" ] && pid_has_env "$pid" "${f#*:}"; then log "killing leftover daemon $pid"; kill -9 "$pid" 2>/dev/null; fi
  done
}

# Every process this run started carries JPM_BENCH_RUN=$RUN_ID.
kill_run_processes() {
  local d pid
  for d in /proc/[0-9]*; do
    pid=${d#/proc/}
    [ "$pid" = $$ ] && continue
    if pid_has_env "$pid" "JPM_BENCH_RUN=$RUN_ID"; then kill -9 "$pid" 2>/dev/null; fi
  done
}

remove_work() {
  if [ "${KEEP_WORK:-0}" = 1 ]; then log "work dir kept: $WORK"; else rm -rf "$WORK"; fi
}

bench_cleanup() {
  local rc=$?
  trap - EXIT INT TERM
  log "cleaning up"
  stop_daemons
  kill_run_processes
  remove_work
  exit "$rc"
}

# against_pm2 NAME: the set-up of a script that runs this build against pm2 (at $PM2_PREFIX,
# /tmp/pm2 by default), each with a private home in a fresh work dir, cleaned up on any exit: sets
# WORK, RUN_ID, JPM_HOME, PM2_HOME, JPM_BENCH_RUN, PM2, and JPM (bin/jpm and target/jpm.jar copied
# into WORK, so the daemon and its CDS archive are this run's own). The first daemon of a jar
# records that archive in the background (a training JVM for ~10 s), which would land on the first
# measured case: one daemon is started and stopped here once the archive is there. Needs $root.
against_pm2() {
  WORK=$(mktemp -d "/tmp/jpm-bench-$1.XXXXXX")
  RUN_ID="$1-$$-$(date +%s)"
  export JPM_HOME="$WORK/jpm-home" PM2_HOME="$WORK/pm2-home" JPM_BENCH_RUN="$RUN_ID"
  JPM="$WORK/jpm/bin/jpm"
  PM2="${PM2_PREFIX:-/tmp/pm2}/bin/pm2"
  bench_traps
  [ -x "$PM2" ] || die "pm2 not found at $PM2"
  [ -f "$root/target/jpm.jar" ] || die "build jpm first: mvn -B -DskipTests package"
  mkdir -p "$WORK/jpm/bin" "$WORK/jpm/target"
  cp "$root/bin/jpm" "$WORK/jpm/bin/"
  cp "$root/target/jpm.jar" "$WORK/jpm/target/"
  local i
  "$JPM" ping >/dev/null 2>&1 || die "the jpm daemon does not start"
  for i in $(seq 1 600); do
    compgen -G "$WORK/jpm/target/jpm-daemon-*.jsa" >/dev/null && break
    sleep 0.1
  done
  compgen -G "$WORK/jpm/target/jpm-daemon-*.jsa" >/dev/null || log "no CDS archive after 60 s: the daemons run without"
  "$JPM" kill >/dev/null 2>&1
}

# await_http PORT: waits until it answers 200, up to 30 s
await_http() {
  local i
  for i in $(seq 1 300); do
    curl -sf -m 1 "http://127.0.0.1:$1/" >/dev/null 2>&1 && return 0
    sleep 0.1
  done
  die "nothing answers on port $1"
}

# bench_traps [cleanup-function]: run it on any exit, Ctrl-C and TERM included.
bench_traps() {
  trap "${1:-bench_cleanup}" EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
}
