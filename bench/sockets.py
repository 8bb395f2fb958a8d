#!/usr/bin/env python3
"""What one process holds, sampled: its descriptors (/proc/<pid>/fd) and, of its TCP sockets, how many
are in CLOSE_WAIT (the peer closed, the process has not): read from /proc/<pid>/net/tcp and tcp6, whose
inodes are matched with the process's own socket descriptors (the tables list the whole network
namespace). Used by bench/churn.sh.

    python3 bench/sockets.py --pid 1234 [--every 0.5] [--seconds 20]

Prints one JSON line when done: {"samples": n, "fds_max": ..., "fds_last": ..., "close_wait_max": ...,
"close_wait_last": ...}; with --seconds 0, one sample.
"""
import argparse, json, os, time

CLOSE_WAIT = "08"


def socket_inodes(pid):
    inodes = set()
    fd_dir = f"/proc/{pid}/fd"
    for fd in os.listdir(fd_dir):
        try:
            link = os.readlink(os.path.join(fd_dir, fd))
        except OSError:
            continue
        if link.startswith("socket:["):
            inodes.add(link[8:-1])
    return inodes


def sample(pid):
    """(descriptors, CLOSE_WAIT sockets) of pid now."""
    inodes = socket_inodes(pid)
    fds = len(os.listdir(f"/proc/{pid}/fd"))
    close_wait = 0
    for table in ("tcp", "tcp6"):
        try:
            with open(f"/proc/{pid}/net/{table}") as f:
                next(f)
                for line in f:
                    fields = line.split()
                    if fields[3] == CLOSE_WAIT and fields[9] in inodes:
                        close_wait += 1
        except FileNotFoundError:
            pass
    return fds, close_wait


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    p.add_argument("--pid", type=int, required=True)
    p.add_argument("--every", type=float, default=0.5)
    p.add_argument("--seconds", type=float, default=20)
    args = p.parse_args()
    fds_max = cw_max = n = 0
    fds = cw = 0
    end = time.monotonic() + args.seconds
    while True:
        try:
            fds, cw = sample(args.pid)
        except FileNotFoundError:
            break  # the process is gone: what was seen stands
        n += 1
        fds_max, cw_max = max(fds_max, fds), max(cw_max, cw)
        if time.monotonic() >= end:
            break
        time.sleep(args.every)
    print(json.dumps({"samples": n, "fds_max": fds_max, "fds_last": fds, "close_wait_max": cw_max,
                      "close_wait_last": cw}), flush=True)


if __name__ == "__main__":
    main()
