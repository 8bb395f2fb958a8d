#!/usr/bin/env python3
"""Replays the denial-of-service probes of docs/SECURITY.md against a running jpm daemon and prints, during each,
`jpm ls` latency, the daemon's heap (jcmd GC.heap_info) and whether the daemon ended on a hang
(daemon.log's "hang: " lines: its keeper then starts the next daemon).

    JPM_HOME=/tmp/probe-home python3 bench/dos-probe.py --jpm bin/jpm [--hold 20] [--only frames,idle,posts] [--fresh] [--reconnect] [--nofile 1024]

Probes (a hostile local user without a token), each held for --hold seconds, then closed (with --reconnect a client
whose connection the daemon closes connects again at once and starts over):
  frames  200 bridge connections, each announcing a 4 MiB frame and sending all of it but one byte
  idle    1000 bridge connections that send nothing
  posts   200 HTTP connections, each a POST /api/processes announcing a 4 MiB body with no token,
          sending all of it but one byte (the HTTP door is switched on first with `jpm web --port 0`)
The daemon is started by the first `jpm ls` if none runs, under a descriptor limit of --nofile (1024). Run it only against a daemon of your own.
"closed by daemon": the daemon ended the connection; "stalled": the daemon stopped reading it.
"""
import argparse, json, os, re, resource, socket, subprocess, sys, threading, time

FOUR_MIB = 4 * 1024 * 1024
CHUNK = 64 * 1024


def jpm(args, cmd, prefix=()):
    start = time.monotonic()
    try:
        r = subprocess.run(list(prefix) + [args.jpm] + cmd, capture_output=True, text=True, timeout=60)
        ok = r.returncode == 0
    except subprocess.TimeoutExpired:
        ok = False
    return time.monotonic() - start, ok


def bridge_rtt(home, timeout=30):
    """Seconds for one jpm.query.list round trip over the bridge (jpm.sock when the daemon has one, else
    the TCP port), from a connection opened for it: the daemon's own answer time, without a JVM start."""
    start = time.monotonic()
    try:
        with open(os.path.join(home, "token")) as f:
            token = f.read().strip()
        path = os.path.join(home, "jpm.sock")
        if os.path.exists(path):
            s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
            s.settimeout(timeout)
            s.connect(path)
        else:
            s = socket.create_connection(("127.0.0.1", daemon_json(home)["bridgePort"]), timeout=timeout)
        with s:
            frame = json.dumps({"type": "send", "address": "jpm.query.list", "replyAddress": "probe.rtt",
                                "body": {}, "headers": {"token": token}}).encode()
            s.sendall(len(frame).to_bytes(4, "big") + frame)
            while True:
                head = b""
                while len(head) < 4:
                    more = s.recv(4 - len(head))
                    if not more:
                        return None
                    head += more
                length, body = int.from_bytes(head, "big"), b""
                while len(body) < length:
                    more = s.recv(length - len(body))
                    if not more:
                        return None
                    body += more
                if json.loads(body).get("address") == "probe.rtt":
                    return time.monotonic() - start
    except (OSError, ValueError):
        return None


def daemon_json(home):
    with open(os.path.join(home, "daemon.json")) as f:
        return json.load(f)


def heap_mib(pid):
    """Used heap in MiB from jcmd's GC.heap_info (the 'used' of its first line), or None."""
    try:
        out = subprocess.run(["jcmd", str(pid), "GC.heap_info"], capture_output=True, text=True, timeout=20).stdout
    except subprocess.TimeoutExpired:
        return None
    m = re.search(r"total (\d+)K, used (\d+)K", out)
    return round(int(m.group(2)) / 1024) if m else None


def rss_mib(pid):
    try:
        with open("/proc/%s/status" % pid) as f:
            for line in f:
                if line.startswith("VmRSS:"):
                    return round(int(line.split()[1]) / 1024)
    except OSError:
        return None


def ooms(home):
    try:
        with open(os.path.join(home, "daemon.log"), errors="replace") as f:
            return sum(1 for line in f if "OutOfMemoryError" in line)
    except OSError:
        return 0


def hangs(home):
    try:
        with open(os.path.join(home, "daemon.log"), errors="replace") as f:
            return sum(1 for line in f if "hang: " in line)
    except OSError:
        return 0


class Holder:
    """Opens connections on threads, each running `feed(sock)` and then holding it until stop."""

    def __init__(self, host, port, count, feed, feed_timeout, reconnect):
        self.feed_timeout = feed_timeout
        self.reconnect = reconnect
        self.stop = threading.Event()
        self.opened = 0
        self.closed_by_daemon = 0
        self.stalled = 0
        self.lock = threading.Lock()
        self.threads = [threading.Thread(target=self.one, args=(host, port, feed), daemon=True) for _ in range(count)]

    def one(self, host, port, feed):
        """One hostile client: connects, feeds, holds; with --reconnect, connects again at once when the daemon closes it."""
        first = True
        while not self.stop.is_set() and (first or self.reconnect):
            first = False
            try:
                s = socket.create_connection((host, port), timeout=10)
            except OSError:
                time.sleep(0.1)
                continue
            with self.lock:
                self.opened += 1
            try:
                s.settimeout(self.feed_timeout)
                feed(s)
                s.settimeout(0.5)
                while not self.stop.is_set():
                    try:
                        if s.recv(65536) == b"":
                            raise OSError("closed")
                    except socket.timeout:
                        pass
            except socket.timeout:
                with self.lock:
                    self.stalled += 1  # the daemon stopped reading: back-pressure, not a close
                self.stop.wait()
            except OSError:
                with self.lock:
                    self.closed_by_daemon += 1
            finally:
                s.close()

    def start(self):
        for t in self.threads:
            t.start()

    def close(self):
        self.stop.set()
        for t in self.threads:
            t.join(timeout=15)


def partial_frame(s):
    s.sendall(FOUR_MIB.to_bytes(4, "big"))
    payload = b"x" * CHUNK
    sent = 0
    while sent < FOUR_MIB - CHUNK:
        s.sendall(payload)
        sent += CHUNK
    s.sendall(payload[: FOUR_MIB - sent - 1])


def nothing(s):
    pass


def held_post(s):
    s.sendall(("POST /api/processes HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
               "Content-Length: %d\r\n\r\n" % FOUR_MIB).encode())
    payload = b" " * CHUNK
    sent = 0
    while sent < FOUR_MIB - CHUNK:
        s.sendall(payload)
        sent += CHUNK
    s.sendall(payload[: FOUR_MIB - sent - 1])


def probe(args, name, port, count, feed):
    home = os.environ["JPM_HOME"]
    pid = daemon_json(home)["pid"]
    before, ooms_before = hangs(home), ooms(home)
    holder = Holder("127.0.0.1", port, count, feed, args.hold, args.reconnect)
    started = time.monotonic()
    holder.start()
    latencies, heaps, rss, rtts, failures = [], [], [], [], 0
    while time.monotonic() - started < args.hold:
        took, ok = jpm(args, ["ls"])
        latencies.append(took)
        failures += 0 if ok else 1
        rtts.append(bridge_rtt(home))
        heaps.append(heap_mib(pid))
        rss.append(rss_mib(pid))
        time.sleep(1)
    opened, dropped, stalled = holder.opened, holder.closed_by_daemon, holder.stalled
    holder.close()
    time.sleep(2)
    after = hangs(home)
    known = [h for h in heaps if h is not None]
    known_rss = [r for r in rss if r is not None]
    known_rtt = sorted(r for r in rtts if r is not None)
    print("%-6s %4d clients (%5d connections opened, %5d closed by daemon, %4d stalled) | jpm ls x%d max %6.2f s median %5.2f s failed %d"
          " | list round trip max %s ms (%d failed) | heap max %4s MiB, rss max %4s MiB | OutOfMemoryError %d | hang exits %d"
          % (name, count, opened, dropped, stalled, len(latencies), max(latencies), sorted(latencies)[len(latencies) // 2], failures,
             round(known_rtt[-1] * 1000) if known_rtt else "?", len(rtts) - len(known_rtt), max(known) if known else "?", max(known_rss) if known_rss else "?", ooms(home) - ooms_before, after - before),
          flush=True)
    print("       jpm ls, s: %s | list round trip, ms: %s" % (" ".join("%.2f" % l for l in latencies),
          " ".join("-" if r is None else str(round(r * 1000)) for r in rtts)), flush=True)


def stop_daemon(args, home):
    """`jpm kill`; SIGKILL to the daemon's pid only when a probe left it unable to stop (an old one, out of memory)."""
    pid = daemon_json(home)["pid"]
    try:
        subprocess.run([args.jpm, "kill"], capture_output=True, timeout=30)
    except subprocess.TimeoutExpired:
        pass
    deadline = time.monotonic() + 20
    while os.path.exists("/proc/%d" % pid) and time.monotonic() < deadline:
        time.sleep(0.2)
    if os.path.exists("/proc/%d" % pid):
        print("daemon %s did not stop on `jpm kill`: SIGKILL" % pid, flush=True)
        os.kill(pid, 9)
        while os.path.exists("/proc/%d" % pid):
            time.sleep(0.2)


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--jpm", default="bin/jpm")
    p.add_argument("--hold", type=float, default=20)
    p.add_argument("--only", default="frames,idle,posts")
    p.add_argument("--nofile", type=int, default=1024, help="descriptor limit of a daemon the script starts"
                   " (the probes' first runs were under 1024; 0: the caller's)")
    p.add_argument("--reconnect", action="store_true", help="a client the daemon closes connects again at once"
                   " (connection churn: harsher than the probes above, which hold their connections)")
    p.add_argument("--fresh", action="store_true", help="kill the daemon and start a new one before each probe"
                   " (so one probe's damage does not show in the next)")
    args = p.parse_args()
    if "JPM_HOME" not in os.environ:
        sys.exit("dos-probe: set JPM_HOME to the home of a daemon of your own")
    soft, hard = resource.getrlimit(resource.RLIMIT_NOFILE)
    resource.setrlimit(resource.RLIMIT_NOFILE, (min(hard, 8192), hard))
    home = os.environ["JPM_HOME"]
    for probe_name in args.only.split(","):
        if args.fresh and os.path.exists(os.path.join(home, "daemon.json")):
            stop_daemon(args, home)
        # the daemon keeps the descriptor limit of the jpm that starts it (the JVM raises soft to hard)
        took, ok = jpm(args, ["ls"], ["prlimit", "--nofile=%d:%d" % (args.nofile, args.nofile)] if args.nofile else [])
        if not ok:
            sys.exit("dos-probe: `jpm ls` failed; is " + args.jpm + " a jpm?")
        if not daemon_json(home).get("httpPort"):
            subprocess.run([args.jpm, "web", "--port", "0"], capture_output=True, timeout=60)
            deadline = time.monotonic() + 20
            while not daemon_json(home).get("httpPort") and time.monotonic() < deadline:
                time.sleep(0.2)
        info = daemon_json(home)
        print("daemon pid %s, bridge port %s, http port %s, heap %s MiB, jpm ls %.2f s (before %s)"
              % (info["pid"], info["bridgePort"], info.get("httpPort"), heap_mib(info["pid"]), took, probe_name), flush=True)
        if probe_name == "frames":
            probe(args, "frames", info["bridgePort"], 200, partial_frame)
        elif probe_name == "idle":
            probe(args, "idle", info["bridgePort"], 1000, nothing)
        elif probe_name == "posts":
            probe(args, "posts", info["httpPort"], 200, held_post)

if __name__ == "__main__":
    main()
