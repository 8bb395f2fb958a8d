#!/usr/bin/env python3
"""Watches one log file fill while an app floods: used by bench/logs.sh.

usage: logwatch.py FILE[,FILE...] LINES DAEMON_PID TIMEOUT_S STAMP_FILE[,STAMP_FILE...] [PREFIX_LEN]
Polls every 0.5 ms until each FILE holds the numbers 1..LINES (its exact size), sampling the
daemon's VmRSS and CPU ticks on the way (DAEMON_PID "-": no daemon, as for the `cat` ceiling; RSS
and CPU print as 0). Prints one line:
  first_ns last_ns peak_rss_kib start_rss_kib cpu_seconds timed_out(0|1)
first_ns is when the first app started writing its first line (each app writes the time into its
STAMP_FILE: the earliest counts), last_ns when the last byte of the last file is on disk (both
wall-clock ns since the epoch).
Once its first sample is taken it creates STAMP_FILE.ready (the first STAMP_FILE's): start the app only after that. (Python
starts in 30-200 ms on a loaded machine, longer than a 200k-line flood takes: a watcher started
alongside the app first looked after the flood was over, and measured its own start-up.)
"""
import os
import sys
import time

paths, lines, pid, timeout = sys.argv[1].split(","), int(sys.argv[2]), sys.argv[3], float(sys.argv[4])
stamps = sys.argv[5].split(",")
prefix = int(sys.argv[6]) if len(sys.argv) > 6 else 0  # bytes before each number (a timestamp)
expected = sum(prefix + len(str(i)) + 1 for i in range(1, lines + 1))
hz = os.sysconf("SC_CLK_TCK")


def rss():
    if pid == "-":
        return 0
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def ticks():
    if pid == "-":
        return 0
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def ends_with_last(path, size):
    """The last line is there even if the file is not the exact size (a tool that mangles lines)."""
    tail = str(lines).encode() + b"\n"
    with open(path, "rb") as f:
        f.seek(max(0, size - len(tail) - 1))
        end = f.read()
    return end.endswith(tail) and (len(end) == len(tail) or end[-len(tail) - 1:-len(tail)] in (b"\n", b" "))


start_rss, peak = rss(), 0
t0, last = ticks(), None
open(stamps[0] + ".ready", "w").close()
deadline = time.time() + timeout
pending = list(paths)
while time.time() < deadline:
    peak = max(peak, rss())
    for path in list(pending):
        try:
            size = os.stat(path).st_size
        except FileNotFoundError:
            size = 0
        if size >= expected or (size > 0 and ends_with_last(path, size)):
            pending.remove(path)
    if not pending:
        last = time.time_ns()
        break
    time.sleep(0.0005)
cpu = (ticks() - t0) / hz
try:
    first = min(int(open(stamp).read().strip()) for stamp in stamps)
except (OSError, ValueError):
    first = 0
print(first, last or 0, peak, start_rss, f"{cpu:.2f}", 0 if last else 1)
