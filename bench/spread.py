#!/usr/bin/env python3
"""spread.py PORT CONNS LABEL: the answers of bench/apps/hello.js ("hello from PID") counted per pid,
for CONNS one-request connections from 8 threads, then for 64 keep-alive connections opened at once."""
import collections
import socket
import sys
import threading

port, conns, label = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]


def ask(sock):
    sock.sendall(b"GET / HTTP/1.1\r\nHost: b\r\n\r\n")
    data = b""
    while b"hello from" not in data or not data.endswith(b"\n"):
        chunk = sock.recv(4096)
        if not chunk:
            break
        data += chunk
    return data.split(b"hello from ")[-1].strip().decode()


def short(counts, lock, n):
    for _ in range(n):
        with socket.create_connection(("127.0.0.1", port)) as s:
            pid = ask(s)
        with lock:
            counts[pid] += 1


def line(kind, counts):
    shares = sorted(counts.values(), reverse=True)
    total = sum(shares)
    ratio = shares[0] / shares[-1] if len(shares) > 1 and shares[-1] else float("inf")
    print("| %s | %s | %s | %s |" % (label, kind, " / ".join("%.0f%%" % (100.0 * c / total) for c in shares),
                                      "%.2f" % ratio if ratio != float("inf") else "inf"), flush=True)


counts, lock = collections.Counter(), threading.Lock()
threads = [threading.Thread(target=short, args=(counts, lock, conns // 8)) for _ in range(8)]
[t.start() for t in threads]
[t.join() for t in threads]
line("%d new connections" % conns, counts)
held = [socket.create_connection(("127.0.0.1", port)) for _ in range(64)]
kept = collections.Counter(ask(s) for s in held)
[s.close() for s in held]
line("64 keep-alive connections", kept)
