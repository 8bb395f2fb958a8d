#!/usr/bin/env python3
"""Writes the numbers 1..$1 to stdout, one per line, in 64 KiB writes: a producer faster than awk.

The whole text is built before the clock starts, so what is measured is the writes alone (for 1M
lines, about 6.9 MB in 105 writes), not the formatting: the capture, not the producer, is the ceiling.
Env (all optional, as bench/apps/flood.sh): FLOOD_GO + FLOOD_READY = wait at a barrier (create
FLOOD_READY once ready, then read one line from the FIFO FLOOD_GO) so several apps start flooding at
the same instant; FLOOD_STAMP = record there when the first write starts (ns since the epoch).
"""
import os
import sys
import time

n = int(sys.argv[1]) if len(sys.argv) > 1 else 200000
data = memoryview(("\n".join(map(str, range(1, n + 1))) + "\n").encode())
go, ready, stamp = os.environ.get("FLOOD_GO"), os.environ.get("FLOOD_READY"), os.environ.get("FLOOD_STAMP")
if go:
    # read-write open never blocks on a FIFO; the bench writes one line per app once all are ready
    with open(go, "r+b", buffering=0) as fifo:
        if ready:
            open(ready, "w").close()
        while fifo.read(1) not in (b"\n", b""):
            pass
if stamp:
    with open(stamp, "w") as f:
        f.write(f"{time.time_ns()}\n")
block = 64 * 1024
off = 0
while off < len(data):
    off += os.write(1, data[off:off + block])
