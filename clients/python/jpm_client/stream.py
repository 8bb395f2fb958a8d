"""What an event stream does, free of I/O, for the blocking and the asyncio streams alike: the
frames that subscribe it, the events it keeps, its keepalive, and the backoff of its reconnects.
"""

from __future__ import annotations

import re
import time
from typing import Any, Callable, Generic, List, Optional, Sequence, Tuple, TypeVar

from .records import KINDS, LogLine, kind_of
from .bodies import Targets, target_list
from .wire import Frame, Frames, failure

T = TypeVar("T")

# How long the register-then-ping handshake may take before the connection counts as lost.
HANDSHAKE_TIMEOUT = 10.0
# How long a keepalive ping may wait for its pong, at least: a busy daemon is not a gone one.
PONG_TIMEOUT = 10.0


def address_of(kind: str) -> str:
    """``process`` -> ``jpm.events.process``; a full address (another host's
    ``jpm.host.web-2.events.process``) is kept as it is."""
    if kind.startswith("jpm."):
        return kind
    if kind not in KINDS:
        raise ValueError(f"events: unknown kind {kind!r}; the kinds are {', '.join(KINDS)}")
    return "jpm.events." + kind


class LogFilter:
    """Which log lines ``logs(targets)`` keeps: an app name, a pm_id, ``/regex/`` over names, or
    ``all``; the daemon sends every app's lines, the filter is here. A target that names an app not
    started yet keeps its lines once it runs."""

    def __init__(self, targets: Optional[Targets]) -> None:
        names = target_list(targets) if targets is not None else ["all"]
        self.everything = "all" in names
        self.names = {n for n in names if not n.isdigit()}
        self.ids = {int(n) for n in names if n.isdigit()}
        self.patterns = [re.compile(n[1:-1]) for n in names if len(n) > 1 and n.startswith("/") and n.endswith("/")]

    def __call__(self, line: LogLine) -> bool:
        return (
            self.everything
            or line.app in self.names
            or line.pm_id in self.ids
            or any(p.search(line.app) for p in self.patterns)
        )


class StreamState(Generic[T]):
    """One subscription: its addresses, and for each frame that comes, what the caller gets."""

    def __init__(
        self,
        kinds: Sequence[str],
        convert: Callable[[str, Any], List[T]],
        keepalive: float,
    ) -> None:
        if isinstance(kinds, str):
            kinds = [kinds]
        if not kinds:
            raise ValueError(f"events: give at least one kind of {', '.join(KINDS)}")
        if keepalive <= 0:
            raise ValueError("keepalive must be a positive number of seconds")
        self.addresses = [address_of(k) for k in kinds]
        self.convert = convert
        self.keepalive = keepalive
        self.pong_timeout = max(keepalive, PONG_TIMEOUT)
        self.last_heard = 0.0
        self.ping_sent: Optional[float] = None

    def subscribe_frames(self, frames: Frames) -> List[Frame]:
        """Every register, then a ping: its pong says they hold (frames are handled in order), an
        err before it that one was refused (docs/PROTOCOL.md, Traps)."""
        return [frames.register(a) for a in self.addresses] + [frames.ping()]

    def on_handshake(self, frame: Frame) -> Tuple[bool, List[T]]:
        """(whether the subscription holds now, the events that came with the frame)."""
        kind = frame.get("type")
        if kind == "err":
            raise failure(frame, ", ".join(self.addresses))
        if kind == "pong":
            self.heard()
            return True, []
        return False, self.on_frame(frame)

    def on_frame(self, frame: Frame) -> List[T]:
        self.heard()
        kind = frame.get("type")
        if kind == "message" and frame.get("send") is False:
            return self.convert(str(frame.get("address")), frame.get("body"))
        # a pong, or an err the daemon sends before it closes the connection (the close follows)
        return []

    def heard(self) -> None:
        self.last_heard = time.monotonic()
        self.ping_sent = None

    def due(self) -> Tuple[bool, bool]:
        """(send a ping now, the daemon is gone): the daemon never pings, so a daemon that vanished
        without closing the socket (host gone, network cut) shows only as a ping left unanswered."""
        now = time.monotonic()
        if self.ping_sent is not None:
            return False, now - self.ping_sent > self.pong_timeout
        return now - self.last_heard >= self.keepalive, False

    def wait(self) -> float:
        """Seconds until the keepalive next has something to do."""
        if self.ping_sent is not None:
            return max(0.0, self.ping_sent + self.pong_timeout - time.monotonic())
        return max(0.0, self.last_heard + self.keepalive - time.monotonic())


def log_lines(accept: LogFilter) -> Callable[[str, Any], List[LogLine]]:
    def convert(address: str, body: Any) -> List[LogLine]:
        if kind_of(address) != "log" or not isinstance(body, dict):
            return []
        return [line for line in LogLine.from_batch(body) if accept(line)]

    return convert


class Backoff:
    """Delays between reconnection attempts: 0.1 s, doubling, at most 2 s (a daemon started again
    answers within a few seconds; `jpm update` within one)."""

    FIRST = 0.1
    FACTOR = 2.0
    CAP = 2.0

    def __init__(self) -> None:
        self.delay = self.FIRST
        self.attempts = 0
        self.lost_at: Optional[float] = None

    def lost(self) -> None:
        if self.lost_at is None:
            self.lost_at = time.monotonic()
            self.delay = self.FIRST
            self.attempts = 0

    def next_delay(self) -> float:
        delay = self.delay
        self.delay = min(self.CAP, self.delay * self.FACTOR)
        self.attempts += 1
        return delay

    def gap(self) -> float:
        return 0.0 if self.lost_at is None else time.monotonic() - self.lost_at

    def reset(self) -> None:
        self.lost_at = None
