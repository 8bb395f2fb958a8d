#!/usr/bin/env python3
"""An external service that talks to the jpm daemon: Python 3, standard library only.

This file is documentation of the wire protocol as much as a tool (see docs/PROTOCOL.md).

    subscriber.py                         print every process event, one JSON line each
    subscriber.py --all                   ... and metrics, log and config events, as
                                          {"address": ..., "body": ...} lines
    subscriber.py --count 2               exit 0 after two events (for tests)
    subscriber.py --query jpm.query.list  send one request, print the reply body
    subscriber.py --token-file token --query jpm.cmd.stop --body '{"targets":["api"]}'

How it finds the daemon: $JPM_HOME (default ~/.jpm) holds daemon.json, written by the daemon
once it accepts frames:

    {"pid": 1234, "host": "box", "bridgeHost": "127.0.0.1", "bridgePort": 41234, ...}

and two tokens, `token` (admin: everything) and `token.readonly` (queries and events only).
This script uses the read-only token unless --token-file says otherwise: a monitor needs no more.

When daemon.json has "bridgeTls" the connection is TLS, trusting only the certificates it lists
(docs/PROTOCOL.md, "TLS"); a failed check ends the script, never a plain-text retry.

The wire: a TCP connection to bridgeHost:bridgePort carrying frames both ways. A frame is a
4-byte big-endian length, then that many bytes of UTF-8 JSON. The daemon is a Vert.x TCP
event-bus bridge, so frames are the bridge's:

    client -> daemon   {"type":"register","address":"jpm.events.process","headers":{"token":T}}
                       {"type":"send","address":"jpm.query.list","body":{},
                        "replyAddress":"any-unique-string","headers":{"token":T}}
                       {"type":"ping","headers":{"token":T}}
    daemon -> client   {"type":"message","address":"jpm.events.process","body":{...},"send":false}
                       {"type":"message","address":"any-unique-string","body":{"ok":true,"data":...}}
                       {"type":"err","address":"any-unique-string","failureCode":11,
                        "failureType":"RECIPIENT_FAILURE","message":"process api not found"}
                       {"type":"pong"}

Traps this script handles: a `register` is never acknowledged (so we follow it with a ping and
wait for the pong: frames on one connection are handled in order); a `send` without a
replyAddress, a `publish` and an accepted `register` get no answer at all, and neither does
anything sent to a bare Vert.x bridge that it cannot parse (jpm's frame guard answers a bad frame
with an err frame, failureCode 10, but a stuck daemon says nothing either), so every wait has a
timeout; and we only ever send the five client types (a "pong" from a client is not one of them).

Exit status: 0 done (count reached, signal, or reply received); 1 the daemon refused or failed
the request (for --query, the jpm CLI's status for the failure code instead, see below);
2 usage; 4 no daemon, connection lost, or no reply in time.
"""

import argparse
import itertools
import json
import os
import signal
import socket
import struct
import sys
import time

# Every event address the daemon publishes. The bridge matches addresses exactly: there is no
# wildcard, registering "jpm.events.*" is refused like any other address outside the list.
EVENT_ADDRESSES = ["jpm.events.process", "jpm.events.metrics", "jpm.events.log", "jpm.events.config"]

# The jpm CLI's exit status for each failure code (io.jpm.protocol.JpmError); anything else -> 1.
EXIT_STATUS = {10: 2, 11: 1, 12: 1, 13: 1, 14: 1, 15: 1, 16: 3, 17: 4, 99: 1}

# No sane frame is this big; a length beyond it means we are out of step with the stream.
MAX_FRAME_BYTES = 64 * 1024 * 1024

EXIT_OK, EXIT_REFUSED, EXIT_USAGE, EXIT_UNAVAILABLE = 0, 1, 2, 4


class Fatal(Exception):
    """Ends the program with a one-line message on stderr and an exit status."""

    def __init__(self, message, status):
        super().__init__(message)
        self.status = status


class Stop(Exception):
    """Raised from the SIGINT/SIGTERM handler so a blocking recv() ends at once."""


class Bridge:
    """One connection to the daemon's event-bus bridge: frames in, frames out."""

    def __init__(self, host, port, token, tls=None, connect_timeout=5.0):
        try:
            self.sock = socket.create_connection((host, port), timeout=connect_timeout)
        except OSError as e:
            raise Fatal(f"cannot connect to the daemon at {host}:{port}: {e}", EXIT_UNAVAILABLE)
        if tls is not None:
            # daemon.json's bridgeTls: trust only its certificates (the bridge's own, pinned, or a
            # CA's with the host name checked); a failed check ends here, never in plain text
            import ssl
            context = ssl.create_default_context(cadata=tls["certificates"])
            context.check_hostname = bool(tls.get("checkHostName"))
            try:
                self.sock = context.wrap_socket(self.sock, server_hostname=host)
            except (ssl.SSLError, OSError) as e:
                raise Fatal(f"the bridge at {host}:{port} failed the TLS check: {e}", EXIT_UNAVAILABLE)
        self.sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
        self.token = token
        self.reply_ids = itertools.count(1)

    def write(self, frame):
        """Sends one frame. Every frame carries the token in headers.token, pings included."""
        frame.setdefault("headers", {})["token"] = self.token
        data = json.dumps(frame, separators=(",", ":")).encode("utf-8")
        self.sock.sendall(struct.pack(">I", len(data)) + data)

    def read(self, timeout):
        """Reads one frame; None when `timeout` seconds pass first. None timeout = wait forever.

        A timeout that strikes in the middle of a frame is not a clean state to go on from, so
        only the wait for the first byte of a frame may time out quietly.
        """
        self.sock.settimeout(timeout)
        try:
            first = self.sock.recv(1)
        except socket.timeout:
            return None
        if not first:
            raise Fatal("the daemon closed the connection", EXIT_UNAVAILABLE)
        self.sock.settimeout(30.0)  # the rest of a frame follows its first byte closely
        try:
            (length,) = struct.unpack(">I", first + self._exactly(3))
            if length > MAX_FRAME_BYTES:
                raise Fatal(f"frame of {length} bytes announced: out of step with the daemon", EXIT_UNAVAILABLE)
            return json.loads(self._exactly(length).decode("utf-8"))
        except socket.timeout:
            raise Fatal("the daemon stopped in the middle of a frame", EXIT_UNAVAILABLE)

    def _exactly(self, n):
        chunks, got = [], 0
        while got < n:
            chunk = self.sock.recv(n - got)
            if not chunk:
                raise Fatal("the daemon closed the connection in the middle of a frame", EXIT_UNAVAILABLE)
            chunks.append(chunk)
            got += len(chunk)
        return b"".join(chunks)

    def new_reply_address(self):
        """Any string unique on this connection will do: the bridge routes the reply back here."""
        return f"subscriber.{os.getpid()}.{next(self.reply_ids)}"

    def close(self):
        try:
            self.sock.close()
        except OSError:
            pass


def load_connection(home, token_file):
    """Reads daemon.json and the token; both are written by the daemon (0600)."""
    info_path = os.path.join(home, "daemon.json")
    try:
        with open(info_path, encoding="utf-8") as f:
            info = json.load(f)
    except FileNotFoundError:
        raise Fatal(f"no daemon running for {home} ({info_path} is missing); start one with `jpm ping`", EXIT_UNAVAILABLE)
    except (OSError, ValueError) as e:
        raise Fatal(f"cannot read {info_path}: {e}", EXIT_UNAVAILABLE)
    token_path = token_file if os.path.isabs(token_file) else os.path.join(home, token_file)
    try:
        with open(token_path, encoding="utf-8") as f:
            token = f.read().strip()  # the file ends with a newline; the token does not
    except OSError as e:
        raise Fatal(f"cannot read the token {token_path}: {e}", EXIT_UNAVAILABLE)
    host = info.get("bridgeHost") or "127.0.0.1"
    # a bridge on every address is reached (and its certificate checked) at loopback
    host = {"0.0.0.0": "127.0.0.1", "::": "::1"}.get(host, host)
    return host, int(info["bridgePort"]), token, info.get("bridgeTls")


def describe_err(frame):
    """One line for an err frame. Refusals by the token check carry failureCode 16; a frame to
    an address outside the permitted lists gets just {"type":"err","message":"access_denied"}."""
    code = frame.get("failureCode")
    return f"{frame.get('message', 'error')}" + (f" (failureCode {code})" if code is not None else "")


def query(bridge, address, body, timeout):
    """Request/reply: one `send` with a replyAddress, then wait for the frame addressed to it."""
    reply_address = bridge.new_reply_address()
    bridge.write({"type": "send", "address": address, "body": body, "replyAddress": reply_address})
    deadline = time.monotonic() + timeout
    while True:
        left = deadline - time.monotonic()
        frame = bridge.read(left) if left > 0 else None
        if frame is None:
            # A lost frame, a wedged daemon or a bridge that could not parse what we sent all
            # look the same from here: silence. Only a timeout tells.
            raise Fatal(f"no reply to {address} within {timeout:g} s", EXIT_UNAVAILABLE)
        kind = frame.get("type")
        if kind == "message" and frame.get("address") == reply_address:
            print(json.dumps(frame.get("body"), separators=(",", ":")), flush=True)
            return EXIT_OK
        if kind == "err" and frame.get("address") in (reply_address, None):
            # A refusal may come as two err frames (ours with the failure code, then the
            # bridge's own without an address): the first one is enough.
            raise Fatal(f"{address}: {describe_err(frame)}", EXIT_STATUS.get(frame.get("failureCode"), EXIT_REFUSED))
        # anything else (an event, a pong) is not the answer: keep waiting


def subscribe(bridge, addresses, count, ping_interval, wrap):
    """Registers for `addresses` and prints each event's body as one JSON line."""
    for address in addresses:
        bridge.write({"type": "register", "address": address})
    # `register` has no acknowledgement. A ping after it is answered only once the registrations
    # before it were handled, so the pong means "subscribed" (and an err before it, "refused").
    bridge.write({"type": "ping"})
    while True:
        frame = bridge.read(10.0)
        if frame is None:
            raise Fatal("the daemon did not answer the ping after register", EXIT_UNAVAILABLE)
        if frame.get("type") == "err":
            raise Fatal(f"cannot subscribe to {', '.join(addresses)}: {describe_err(frame)}", EXIT_REFUSED)
        if frame.get("type") == "pong":
            break
    # Announced on stderr so that stdout holds nothing but events; tests wait for this line.
    print(f"subscribed to {', '.join(addresses)}", file=sys.stderr, flush=True)

    printed = 0
    awaiting_pong_since = None
    last_ping = time.monotonic()
    while count is None or printed < count:
        # Keepalive: the bridge never pings us and never times an idle connection out, so a
        # daemon that vanished without closing the socket (host gone, network cut) would leave
        # us waiting forever. A ping every ping_interval seconds, and a pong expected back within
        # one more interval, tells a quiet daemon from a dead one.
        now = time.monotonic()
        if awaiting_pong_since is not None and now - awaiting_pong_since > ping_interval:
            raise Fatal(f"no pong from the daemon within {ping_interval:g} s", EXIT_UNAVAILABLE)
        if awaiting_pong_since is None and now - last_ping >= ping_interval:
            bridge.write({"type": "ping"})
            awaiting_pong_since = last_ping = now
        frame = bridge.read(max(0.05, ping_interval - (now - last_ping)))
        if frame is None:
            continue
        kind = frame.get("type")
        if kind == "pong":
            awaiting_pong_since = None
        elif kind == "message":
            body = frame.get("body")
            line = {"address": frame.get("address"), "body": body} if wrap else body
            print(json.dumps(line, separators=(",", ":")), flush=True)
            printed += 1
        elif kind == "err":
            raise Fatal(describe_err(frame), EXIT_REFUSED)
        # A {"type":"ping"} from the daemon (it sends none today) would need no answer: "pong"
        # is not a client frame type, and a bare Vert.x bridge stops answering a connection that
        # sent an unknown type.
    # Polite, not required: closing the socket unregisters everything too.
    for address in addresses:
        bridge.write({"type": "unregister", "address": address})
    return EXIT_OK


def parse_args(argv):
    p = argparse.ArgumentParser(description="Subscribe to jpm events, or send one request, over the daemon's bridge.")
    p.add_argument("--token-file", default="token.readonly",
                   help="token file, relative to JPM_HOME unless absolute (default: token.readonly; "
                        "use 'token' for jpm.cmd.*)")
    p.add_argument("--all", action="store_true",
                   help="also metrics, log and config events; each line is then {\"address\":...,\"body\":...}")
    p.add_argument("--count", type=int, metavar="N", help="exit 0 after N events")
    p.add_argument("--ping-interval", type=float, default=20.0, metavar="SECONDS",
                   help="keepalive ping period while subscribed (default 20)")
    p.add_argument("--query", metavar="ADDRESS", help="send one request (e.g. jpm.query.list) and print the reply body")
    p.add_argument("--body", default="{}", metavar="JSON", help="request body for --query (default {})")
    p.add_argument("--timeout", type=float, default=10.0, metavar="SECONDS", help="reply timeout for --query (default 10)")
    args = p.parse_args(argv)
    if args.count is not None and args.count < 1:
        p.error("--count must be at least 1")
    if args.ping_interval <= 0 or args.timeout <= 0:
        p.error("--ping-interval and --timeout must be positive")
    try:
        args.body = json.loads(args.body)
    except ValueError as e:
        p.error(f"--body is not JSON: {e}")
    return args


def main(argv):
    args = parse_args(argv)
    home = os.environ.get("JPM_HOME") or os.path.join(os.path.expanduser("~"), ".jpm")

    def on_signal(signum, _frame):
        raise Stop(signum)

    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGTERM, on_signal)
    bridge = None
    try:
        host, port, token, tls = load_connection(home, args.token_file)
        bridge = Bridge(host, port, token, tls)
        if args.query:
            return query(bridge, args.query, args.body, args.timeout)
        addresses = EVENT_ADDRESSES if args.all else EVENT_ADDRESSES[:1]
        return subscribe(bridge, addresses, args.count, args.ping_interval, wrap=args.all)
    except Stop:
        return EXIT_OK  # SIGINT/SIGTERM: a clean, expected end
    except Fatal as e:
        print(f"subscriber: {e}", file=sys.stderr, flush=True)
        return e.status
    except BrokenPipeError:
        # stdout closed under us (e.g. `| head`): nobody is reading, stop quietly; point stdout
        # at /dev/null so the interpreter's final flush does not complain about it again
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        return EXIT_OK
    except OSError as e:
        print(f"subscriber: connection to the daemon failed: {e}", file=sys.stderr, flush=True)
        return EXIT_UNAVAILABLE
    finally:
        if bridge is not None:
            bridge.close()


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
