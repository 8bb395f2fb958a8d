"""The bridge's frames (docs/PROTOCOL.md sections 2-5), free of any I/O so that the blocking and
the asyncio clients share them: a 4-byte big-endian length, then that many bytes of UTF-8 JSON.
"""

from __future__ import annotations

import itertools
import json
import os
import struct
from typing import Any, Dict, List, Mapping, Optional, Tuple

from .errors import Forbidden, JpmError, Unavailable, error_for

Frame = Dict[str, Any]

# The daemon refuses a frame above 4 MiB; a length above this one means we are out of step.
MAX_FRAME_BYTES = 64 * 1024 * 1024


def encode(frame: Mapping[str, Any]) -> bytes:
    data = json.dumps(frame, separators=(",", ":")).encode("utf-8")
    return struct.pack(">I", len(data)) + data


class FrameBuffer:
    """Bytes in as they arrive, whole frames out. Nothing read is ever lost between two calls,
    so a read that times out (or an asyncio read that is cancelled) leaves the stream in step."""

    def __init__(self) -> None:
        self._bytes = bytearray()

    def feed(self, data: bytes) -> List[Frame]:
        self._bytes += data
        frames: List[Frame] = []
        while len(self._bytes) >= 4:
            (length,) = struct.unpack(">I", self._bytes[:4])
            if length > MAX_FRAME_BYTES:
                raise Unavailable(f"a frame of {length} bytes announced: out of step with the daemon")
            if len(self._bytes) < 4 + length:
                break
            payload = bytes(self._bytes[4 : 4 + length])
            del self._bytes[: 4 + length]
            frames.append(json.loads(payload.decode("utf-8")))
        return frames


class Frames:
    """Builds the client's frames for one connection: the token (if any) on every frame, and
    reply addresses unique on the connection."""

    _sessions = itertools.count(1)

    def __init__(self, token: Optional[str]) -> None:
        self.token = token
        self._session = f"jpm.reply.py.{os.getpid()}.{next(Frames._sessions)}"
        self._replies = itertools.count(1)

    def _headers(self, extra: Optional[Mapping[str, Any]] = None) -> Dict[str, Any]:
        headers: Dict[str, Any] = dict(extra or {})
        if self.token is not None:
            headers["token"] = self.token
        return headers

    def send(self, address: str, body: Mapping[str, Any], timeout_ms: int) -> Tuple[Frame, str]:
        """A request and the reply address its answer comes back to. headers.timeout: the bridge's
        own 30 s default must not cut a long stop short."""
        reply_address = f"{self._session}.{next(self._replies)}"
        frame = {
            "type": "send",
            "address": address,
            "body": dict(body),
            "replyAddress": reply_address,
            "headers": self._headers({"timeout": timeout_ms}),
        }
        return frame, reply_address

    def register(self, address: str) -> Frame:
        return {"type": "register", "address": address, "headers": self._headers()}

    def ping(self) -> Frame:
        """Liveness; with a token it authenticates a TCP connection, and after a register its pong
        says the registration holds (frames are handled in order)."""
        return {"type": "ping", "headers": self._headers()}


def failure(frame: Frame, address: str) -> JpmError:
    """The exception for an err frame answering a request to (or a register of) ``address``."""
    message = str(frame.get("message") or "request failed")
    if message == "access_denied":
        # the bridge's permission list (an address outside jpm.cmd/query/events), no code
        return Forbidden(f"access denied by the daemon for {address}", address=address)
    if frame.get("failureType") in ("TIMEOUT", "NO_HANDLERS"):
        return Unavailable(f"{address}: {message}", address=address)
    code = frame.get("failureCode")
    return error_for(code if isinstance(code, int) else None, message, address)


def settle(frame: Frame, reply_address: str, address: str) -> Tuple[bool, Any]:
    """(True, the reply's data) when ``frame`` answers ``reply_address``; (False, None) for any
    other frame (an event, a pong: read on). Raises the request's failure.

    An err without an address is the bridge's second frame of a refusal from jpm before issue 30
    (docs/PROTOCOL.md, Traps): it is the answer too when ours has not come first.
    """
    kind = frame.get("type")
    ours = frame.get("address") == reply_address
    if kind == "err" and (ours or "address" not in frame):
        raise failure(frame, address)
    if kind == "message" and ours:
        body = frame.get("body")
        return True, body.get("data") if isinstance(body, dict) else body
    return False, None
