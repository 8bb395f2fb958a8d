#!/usr/bin/env python3
"""Connection churn against one door: opens non-blocking connections as fast as it can (or at --rate a
second), keeps --open of them, and closes the oldest as each new one opens; sends nothing. This is
the churn client (a local user without a token, or with no right to the socket), used by
ChurnIT and bench/churn.sh.

    python3 bench/churn.py --tcp 127.0.0.1:9620 [--open 400] [--seconds 20] [--rate 0]
    python3 bench/churn.py --unix /path/rpc.sock [--open 400] [--seconds 20]

Prints one JSON line when done: {"opened": connections started, "per_second": ..., "refused":
{errno name: count}} ("refused": connect attempts that failed at once, EAGAIN on a Unix socket whose
accept queue is full, ECONNREFUSED when nothing listens). Exits 0 however the door behaved; only a bad
argument is an error. It stops at --seconds or on SIGTERM, and closes what it holds.
"""
import argparse, collections, errno, json, signal, socket, sys, time


def target(args):
    if args.unix:
        return socket.AF_UNIX, args.unix
    host, _, port = args.tcp.rpartition(":")
    if not host or not port.isdigit():
        sys.exit(f"churn: --tcp wants HOST:PORT, not {args.tcp!r}")
    return socket.AF_INET6 if ":" in host else socket.AF_INET, (host.strip("[]"), int(port))


def churn(family, address, keep, seconds, rate):
    held = collections.deque()
    opened, refused = 0, collections.Counter()
    stop = [False]
    signal.signal(signal.SIGTERM, lambda *_: stop.__setitem__(0, True))
    start = time.monotonic()
    end = start + seconds
    try:
        while not stop[0]:
            now = time.monotonic()
            if now >= end:
                break
            if rate > 0 and opened + sum(refused.values()) >= (now - start) * rate:
                time.sleep(min(0.001, end - now))
                continue
            s = socket.socket(family, socket.SOCK_STREAM)
            s.setblocking(False)
            code = s.connect_ex(address)
            if code not in (0, errno.EINPROGRESS):
                refused[errno.errorcode.get(code, str(code))] += 1
                s.close()
                if code == errno.EMFILE:
                    sys.exit("churn: out of descriptors: raise ulimit -n above --open")
                continue
            opened += 1
            held.append(s)
            if len(held) > keep:
                held.popleft().close()
    finally:
        for s in held:
            s.close()
    elapsed = max(time.monotonic() - start, 1e-9)
    return {"opened": opened, "per_second": round(opened / elapsed), "refused": dict(refused),
            "seconds": round(elapsed, 1)}


def main():
    p = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    door = p.add_mutually_exclusive_group(required=True)
    door.add_argument("--tcp", help="HOST:PORT")
    door.add_argument("--unix", help="a Unix socket's path")
    p.add_argument("--open", type=int, default=400, help="connections held at once (400)")
    p.add_argument("--seconds", type=float, default=20, help="how long (20)")
    p.add_argument("--rate", type=float, default=0, help="connections a second at most (0: as fast as it can)")
    args = p.parse_args()
    if args.open < 1 or args.seconds <= 0:
        sys.exit("churn: --open must be at least 1 and --seconds above 0")
    family, address = target(args)
    print(json.dumps(churn(family, address, args.open, args.seconds, args.rate)), flush=True)


if __name__ == "__main__":
    main()
