#!/usr/bin/env python3
"""The owner's door under load: how long the owner's list takes over JPM_HOME/jpm.sock, split into the
daemon's share and the CLI's own JVM start (bench/owner-door.sh runs it quiet and under churn).

    python3 bench/owner-door.py --home JPM_HOME --jpm bin/jpm [--runs 20]

Prints one line per measure: "NAME n=.. p50=.. p90=.. max=.. ms":
  long     a list round trip (jpm.query.list) on one jpm.sock connection kept open: the daemon alone
  fresh    the same on a new jpm.sock connection each time: the daemon and its accept
  ls       `jpm ls`, the CLI: its JVM start, its connection, the list, the table
  version  `jpm --version`: the CLI's JVM start alone, no daemon (what the machine's load gives any JVM)
"""
import argparse, json, os, socket, subprocess, sys, time


def stats(name, v):
    v = sorted(v)
    print(f"{name} n={len(v)} p50={v[len(v) // 2] * 1000:.0f} p90={v[int(len(v) * 0.9)] * 1000:.0f} "
          f"max={v[-1] * 1000:.0f} ms", flush=True)


def recv_frame(s):
    head = b""
    while len(head) < 4:
        more = s.recv(4 - len(head))
        if not more:
            raise OSError("closed")
        head += more
    length, body = int.from_bytes(head, "big"), b""
    while len(body) < length:
        more = s.recv(length - len(body))
        if not more:
            raise OSError("closed")
        body += more
    return json.loads(body)


def round_trip(s, i):
    frame = json.dumps({"type": "send", "address": "jpm.query.list", "replyAddress": f"owner.{i}", "body": {}}).encode()
    start = time.monotonic()
    s.sendall(len(frame).to_bytes(4, "big") + frame)
    while recv_frame(s).get("address") != f"owner.{i}":
        pass
    return time.monotonic() - start


def connect(home):
    s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
    s.settimeout(30)
    s.connect(os.path.join(home, "jpm.sock"))
    return s


def cli(args, jpm, cmd):
    start = time.monotonic()
    r = subprocess.run([jpm] + cmd, env=dict(os.environ, JPM_HOME=args.home), capture_output=True, timeout=60)
    if r.returncode:
        sys.exit(f"owner-door: jpm {' '.join(cmd)} exited {r.returncode}: {r.stderr.decode()[:300]}")
    return time.monotonic() - start


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--home", required=True)
    p.add_argument("--jpm", required=True)
    p.add_argument("--runs", type=int, default=20)
    args = p.parse_args()
    with connect(args.home) as s:
        round_trip(s, -1)
        v = []
        for i in range(args.runs * 2):
            v.append(round_trip(s, i))
            time.sleep(0.1)
        stats("long", v)
    v = []
    for i in range(args.runs * 2):
        start = time.monotonic()
        with connect(args.home) as s:
            round_trip(s, i)
        v.append(time.monotonic() - start)
        time.sleep(0.1)
    stats("fresh", v)
    # interleaved, so that both see the same load
    ls, version = [], []
    for i in range(args.runs):
        ls.append(cli(args, args.jpm, ["ls"]))
        version.append(cli(args, args.jpm, ["--version"]))
    stats("ls", ls)
    stats("version", version)


if __name__ == "__main__":
    main()
