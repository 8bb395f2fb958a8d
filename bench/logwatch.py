#!/usr/bin/env python3
"""Watches one log file fill while an app floods: used by bench/logs.sh.

usage: logwatch.py FILE LINES DAEMON_PID TIMEOUT_S STAMP_FILE [PREFIX_LEN]
Polls every 0.5 ms until FILE holds the numbers 1..LINES (its exact size), sampling the daemon's
VmRSS and CPU ticks on the way. Prints one line:
  first_ns last_ns peak_rss_kib start_rss_kib cpu_seconds timed_out(0|1)
first_ns is when the app started writing its first line (it writes the time into STAMP_FILE),
last_ns when the last byte is on disk (both wall-clock ns since the epoch).
"""
import os
import sys
import time

path, lines, pid, timeout, stamp = sys.argv[1], int(sys.argv[2]), sys.argv[3], float(sys.argv[4]), sys.argv[5]
prefix = int(sys.argv[6]) if len(sys.argv) > 6 else 0  # bytes before each number (a timestamp)
expected = sum(prefix + len(str(i)) + 1 for i in range(1, lines + 1))
hz = os.sysconf("SC_CLK_TCK")


def rss():
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0


def ticks():
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return int(fields[11]) + int(fields[12])


def ends_with_last(size):
    """The last line is there even if the file is not the exact size (a tool that mangles lines)."""
    tail = str(lines).encode() + b"\n"
    with open(path, "rb") as f:
        f.seek(max(0, size - len(tail) - 1))
        end = f.read()
    return end.endswith(tail) and (len(end) == len(tail) or end[-len(tail) - 1:-len(tail)] in (b"\n", b" "))


start_rss, peak = rss(), 0
t0, last = ticks(), None
deadline = time.time() + timeout
while time.time() < deadline:
    try:
        size = os.stat(path).st_size
    except FileNotFoundError:
        size = 0
    now = time.time_ns()
    peak = max(peak, rss())
    if size >= expected or (size > 0 and ends_with_last(size)):
        last = now
        break
    time.sleep(0.0005)
cpu = (ticks() - t0) / hz
try:
    with open(stamp) as f:
        first = int(f.read().strip())
except (OSError, ValueError):
    first = 0
print(first, last or 0, peak, start_rss, f"{cpu:.2f}", 0 if last else 1)
