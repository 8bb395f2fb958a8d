"""A scripted stand-in for the daemon's bridge on a Unix socket, for what a real daemon does not
do on demand: lose a connection in the middle of a request, or stop answering pings."""

from __future__ import annotations

import os
import socket
import tempfile
import threading
from typing import Callable, List, Optional, Tuple

from jpm_client.wire import Frame, FrameBuffer, encode

# For each frame of connection n (0, 1, ...): the frames to answer, or None to close the connection.
Script = Callable[[int, Frame], Optional[List[Frame]]]


def pong(frame: Frame) -> List[Frame]:
    return [{"type": "pong"}] if frame.get("type") == "ping" else []


def reply(frame: Frame, data: object) -> List[Frame]:
    body = {"ok": True, "data": data}
    return [{"type": "message", "address": frame["replyAddress"], "body": body, "send": True}]


class FakeBridge:
    def __init__(self, script: Script) -> None:
        self.script = script
        self.path = os.path.join(tempfile.mkdtemp(prefix="jpm-fake-"), "bridge.sock")
        self.received: List[Tuple[int, Frame]] = []
        self._server = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
        self._server.bind(self.path)
        self._server.listen()
        threading.Thread(target=self._accept, daemon=True).start()

    def _accept(self) -> None:
        n = 0
        while True:
            try:
                sock, _ = self._server.accept()
            except OSError:
                return  # closed
            threading.Thread(target=self._serve, args=(n, sock), daemon=True).start()
            n += 1

    def _serve(self, n: int, sock: socket.socket) -> None:
        buffer = FrameBuffer()
        with sock:
            while True:
                try:
                    data = sock.recv(65536)
                except OSError:
                    return
                if not data:
                    return
                for frame in buffer.feed(data):
                    self.received.append((n, frame))
                    answer = self.script(n, frame)
                    if answer is None:
                        return
                    for out in answer:
                        sock.sendall(encode(out))

    def sent(self, kind: str) -> List[Tuple[int, Frame]]:
        """(connection, frame) of each frame of ``kind`` the client sent."""
        return [(n, f) for n, f in self.received if f.get("type") == kind]

    def close(self) -> None:
        self._server.close()
