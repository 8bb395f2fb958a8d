#!/usr/bin/env bash
# bench/proxy-port-gap.sh: how long a proxy-mode app's public port refuses connections after a SIGKILL
# of the daemon (docs/BENCHMARKS.md "SIGKILL of the daemon"). In the TCP and HTTP modes the
# public port is the daemon's own (its balancer), so it closes with the daemon and opens again when the
# daemon its keeper starts has adopted the instances and its balancer listens. For each mode, ROUNDS
# times: bench/apps/hello.js -i 2 behind the balancer; a probe connects to the public port every 5 ms,
# SIGKILLs the daemon and reports the time from the kill to the first refused connection and to the
# first answered request after it (a GET / that gets 200), and whether the instances kept their pids.
# Usage: bash bench/proxy-port-gap.sh    (knobs: ROUNDS=5 MODES="http round-robin")
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
LOG_TAG=proxy-port-gap
. "$root/bench/lib.sh"
ROUNDS=${ROUNDS:-5}
MODES=${MODES:-"http round-robin"}
against_pm2 proxy-port-gap
command -v node >/dev/null || die "node is needed (hello.js)"

# probe PORT DAEMON_PID: kills the daemon, then prints "refused_after_ms=.. back_after_ms=.."
probe() {
  python3 - "$1" "$2" <<'PY'
import os, signal, socket, sys, time
port, daemon = int(sys.argv[1]), int(sys.argv[2])
def answers():
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            return s.recv(64).startswith(b"HTTP/1.1 200")
    except OSError:
        return False
t0 = time.monotonic()
os.kill(daemon, signal.SIGKILL)
refused = back = None
while time.monotonic() - t0 < 60:
    ok = answers()
    now = (time.monotonic() - t0) * 1000
    if not ok and refused is None:
        refused = now
    if ok and refused is not None:
        back = now
        break
    time.sleep(0.005)
print("refused_after_ms=%s back_after_ms=%s" % (
    "never" if refused is None else "%.0f" % refused, "never" if back is None else "%.0f" % back))
PY
}

pids() { "$JPM" jlist 2>/dev/null | node -e 'let s="";process.stdin.on("data",d=>s+=d).on("end",()=>console.log(JSON.parse(s).map(p=>p.pid).sort().join(",")))'; }

results=()
for mode in $MODES; do
  for r in $(seq 1 "$ROUNDS"); do
    port=$(free_port)
    STOP_MODE=graceful "$JPM" start "$root/bench/apps/hello.js" -i 2 --port "$port" --balance "$mode" --name hello >/dev/null 2>&1 || die "jpm start ($mode)"
    await_http "$port"
    sleep 1 # the daemon's record (state.json) names the runs
    before=$(pids)
    line=$(probe "$port" "$(cat "$JPM_HOME/jpm.pid")")
    after=$(pids)
    results+=("$mode $line same_pids=$([ "$before" = "$after" ] && echo yes || echo no)")
    log "$mode round $r: ${results[-1]}"
    "$JPM" delete all >/dev/null 2>&1
    "$JPM" kill >/dev/null 2>&1
  done
done
printf '%s\n' "${results[@]}"
