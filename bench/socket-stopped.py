#!/usr/bin/env python3
# bench/socket-stopped.py PID PORT N STOP_S: SIGSTOP of PID (a daemon) for STOP_S seconds; meanwhile
# N new connections to 127.0.0.1:PORT, the first right after the SIGSTOP (the worst case: the
# instances have not yet missed the dealer) and one every STOP_S/N s after, each a GET / with Connection: close
# on a connection of its own. Then SIGCONT, and N more new connections one after the other. Prints
# one JSON line: how many were answered before the SIGCONT, the worst wait of those (ms), the
# waits of all (ms; those answered only after the SIGCONT included), and the pids that answered
# while stopped and after. Used by bench/socket-stopped.sh.
import json, os, re, signal, socket, sys, threading, time

pid, port, n, stop_s = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3]), float(sys.argv[4])
PID = re.compile(rb'(?:pid=|hello from )(\d+)')


def get():
    """(seconds waited, pid that answered or None)."""
    t0 = time.monotonic()
    try:
        with socket.create_connection(('127.0.0.1', port), timeout=stop_s + 30) as s:
            s.sendall(b'GET / HTTP/1.1\r\nHost: bench\r\nConnection: close\r\n\r\n')
            data = b''
            while True:
                chunk = s.recv(4096)
                if not chunk:
                    break
                data += chunk
    except OSError:
        data = b''
    m = PID.search(data)
    return time.monotonic(), t0, (int(m.group(1)) if m else None)


results = []
lock = threading.Lock()


def one():
    done, started, who = get()
    with lock:
        results.append((started, done, who))


os.kill(pid, signal.SIGSTOP)
stopped_at = time.monotonic()
threads = []
try:
    for i in range(n):
        time.sleep(max(0.0, stopped_at + i * stop_s / n - time.monotonic()))
        t = threading.Thread(target=one)
        t.start()
        threads.append(t)
    time.sleep(max(0.0, stopped_at + stop_s - time.monotonic()))
finally:
    cont_at = time.monotonic()
    os.kill(pid, signal.SIGCONT)
for t in threads:
    t.join()
before = [r for r in results if r[1] < cont_at and r[2] is not None]
after = [get()[2] for _ in range(n)]
print(json.dumps({
    'answered_while_stopped': len(before),
    'of': n,
    'worst_wait_ms_while_stopped': round(max((d - s for s, d, _ in before), default=0) * 1000),
    'waits_ms': sorted(round((d - s) * 1000) for s, d, _ in results),
    'pids_while_stopped': sorted({w for _, _, w in before}),
    'pids_after': sorted({w for w in after if w is not None}),
}))
