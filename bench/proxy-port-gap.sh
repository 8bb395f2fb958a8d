#!/usr/bin/env bash
# bench/proxy-port-gap.sh: what a proxy-mode app's public port does to new connections across a SIGKILL
# of the daemon (docs/BENCHMARKS.md "SIGKILL of the daemon"). In the TCP and HTTP modes the public port
# is a socket jpm opens and its keeper holds (heldport), so it outlives the daemon: a connection made
# while no daemon runs waits in its queue, and the daemon its keeper starts listens on the same socket
# and answers it. For each mode, ROUNDS times: bench/apps/hello.js -i 2 behind the balancer; the probe
# SIGKILLs the daemon, then opens a new connection every 10 ms (a GET / on each, each waiting up to 30 s
# for its answer) until one is answered, and reports how many it opened, how many were refused
# (ECONNREFUSED or reset), failed otherwise (a timeout, a wrong answer) or were answered, the time from
# the kill to the first answer and the slowest answer, and whether the instances kept their pids.
# Usage: bash bench/proxy-port-gap.sh    (knobs: ROUNDS=5 MODES="http round-robin")
set -uo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
LOG_TAG=proxy-port-gap
. "$root/bench/lib.sh"
ROUNDS=${ROUNDS:-5}
MODES=${MODES:-"http round-robin"}
against_pm2 proxy-port-gap
command -v node >/dev/null || die "node is needed (hello.js)"

# probe PORT DAEMON_PID: kills the daemon, then prints "opened=.. refused=.. failed=.. answered=.. back_ms=.. slowest_ms=.."
probe() {
  python3 - "$1" "$2" <<'PY'
import os, signal, socket, sys, threading, time
port, daemon = int(sys.argv[1]), int(sys.argv[2])
outcomes, lock = [], threading.Lock()
def one():
    opened = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=30) as s:
            s.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n")
            kind = "answered" if s.recv(64).startswith(b"HTTP/1.1 200") else "failed"
    except (ConnectionRefusedError, ConnectionResetError):
        kind = "refused"
    except OSError:
        kind = "failed"
    with lock:
        outcomes.append((kind, time.monotonic() - opened, time.monotonic() - t0))
t0 = time.monotonic()
os.kill(daemon, signal.SIGKILL)
threads = []
while time.monotonic() - t0 < 60 and not any(k == "answered" for k, _, _ in outcomes):
    t = threading.Thread(target=one)
    t.start()
    threads.append(t)
    time.sleep(0.01)
for t in threads:
    t.join()
count = lambda k: sum(1 for o in outcomes if o[0] == k)
answers = [o for o in outcomes if o[0] == "answered"]
print("opened=%d refused=%d failed=%d answered=%d back_ms=%s slowest_ms=%s" % (
    len(outcomes), count("refused"), count("failed"), count("answered"),
    "%.0f" % (min(a[2] for a in answers) * 1000) if answers else "never",
    "%.0f" % (max(a[1] for a in answers) * 1000) if answers else "never"))
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
