#!/usr/bin/env python3
"""bench/outages.sh's traffic probe: every --every seconds, for --seconds, a new connection to each port
with a GET /, each attempt on a thread of its own (a stalled one does not hold the next back), given
--timeout seconds to answer 200.

    python3 bench/outage-probe.py --seconds 10 socket:3000 http:3001 tcp:3002

Prints one line per port: "NAME ok=N late=N failed=N tried=N slowest_ms=N": ok answered within 1 s,
late answered later (it waited, queued), failed refused, reset or not answered within the timeout;
slowest, the slowest answer.
"""
import argparse, socket, threading, time


def one(port, timeout, out):
    start = time.monotonic()
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=timeout) as s:
            s.settimeout(max(0.1, timeout - (time.monotonic() - start)))
            s.sendall(b"GET / HTTP/1.1\r\nHost: probe\r\nConnection: close\r\n\r\n")
            ok = s.recv(64).startswith(b"HTTP/1.1 200")
    except OSError:
        ok = False
    out.append((ok, time.monotonic() - start))


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--seconds", type=float, default=10)
    p.add_argument("--every", type=float, default=0.2)
    p.add_argument("--timeout", type=float, default=10)
    p.add_argument("ports", nargs="+", help="NAME:PORT")
    args = p.parse_args()
    ports = [(name, int(port)) for name, port in (item.split(":") for item in args.ports)]
    results = {name: [] for name, _ in ports}
    threads = []
    start = time.monotonic()
    tick = 0
    while time.monotonic() - start < args.seconds:
        for name, port in ports:
            t = threading.Thread(target=one, args=(port, args.timeout, results[name]))
            t.start()
            threads.append(t)
        tick += 1
        time.sleep(max(0.0, start + tick * args.every - time.monotonic()))
    for t in threads:
        t.join()
    for name, r in results.items():
        ok = [d for good, d in r if good and d <= 1]
        late = [d for good, d in r if good and d > 1]
        slowest = max([d for good, d in r if good], default=None)
        print(f"{name} ok={len(ok)} late={len(late)} failed={len(r) - len(ok) - len(late)} tried={len(r)} "
              f"slowest_ms={'-' if slowest is None else round(slowest * 1000)}", flush=True)


if __name__ == "__main__":
    main()
