"""One blocking connection to the daemon's bridge: a Unix socket or TCP (with TLS when daemon.json
says so), frames in and out."""

from __future__ import annotations

import socket
import ssl
from typing import Any, List, Mapping, Optional

from .daemon import Endpoint
from .errors import ConnectionLost, Unavailable
from .wire import Frame, FrameBuffer, Frames, encode


def tls_context(tls: Mapping[str, Any]) -> ssl.SSLContext:
    """Trust only daemon.json's certificates, never the system's CAs: the bridge's own certificate,
    pinned, when checkHostName is false; a CA's, with the host name checked, when it is true
    (docs/PROTOCOL.md, "TLS"). A failed check ends the connection, never a retry in plain text."""
    context = ssl.create_default_context(cadata=tls["certificates"])
    context.check_hostname = bool(tls.get("checkHostName"))
    return context


class Connection:
    def __init__(self, endpoint: Endpoint, timeout: float) -> None:
        self.endpoint = endpoint
        self.frames = Frames(endpoint.token)
        self._buffer = FrameBuffer()
        self.sock = self._open(endpoint, timeout)

    @staticmethod
    def _open(endpoint: Endpoint, timeout: float) -> socket.socket:
        try:
            if endpoint.socket_path is not None:
                sock = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
                try:
                    sock.settimeout(timeout)
                    sock.connect(endpoint.socket_path)
                except OSError:
                    sock.close()
                    raise
                return sock
            assert endpoint.host is not None and endpoint.port is not None
            sock = socket.create_connection((endpoint.host, endpoint.port), timeout=timeout)
            sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
            if endpoint.tls is not None:
                try:
                    return tls_context(endpoint.tls).wrap_socket(sock, server_hostname=endpoint.host)
                except OSError:
                    sock.close()
                    raise
            return sock
        except ssl.SSLError as e:
            raise Unavailable(f"the bridge at {endpoint} failed the TLS check: {e}")
        except OSError as e:
            raise Unavailable(f"cannot connect to the daemon at {endpoint}: {e}")

    def write(self, frame: Frame) -> None:
        try:
            self.sock.sendall(encode(frame))
        except OSError as e:
            raise ConnectionLost(f"the connection to the daemon at {self.endpoint} was lost: {e}")

    def read(self, timeout: Optional[float]) -> Optional[List[Frame]]:
        """The frames that came within ``timeout`` seconds (maybe none yet: a frame in parts); None
        when nothing came. Raises Unavailable when the daemon closed the connection."""
        self.sock.settimeout(timeout)
        try:
            data = self.sock.recv(65536)
        except socket.timeout:
            return None
        except OSError as e:
            raise ConnectionLost(f"the connection to the daemon at {self.endpoint} was lost: {e}")
        if not data:
            raise ConnectionLost(f"the daemon at {self.endpoint} closed the connection")
        return self._buffer.feed(data)

    def closed_by_daemon(self) -> bool:
        """Whether the daemon has closed this connection while it was idle (it closes one idle for
        3 minutes, and every one when it stops). What it sent before answers nothing now."""
        self.sock.settimeout(0)
        try:
            while True:
                data = self.sock.recv(65536)
                if not data:
                    return True
                self._buffer.feed(data)
        except (BlockingIOError, ssl.SSLWantReadError):
            return False
        except (OSError, Unavailable):
            return True

    def close(self) -> None:
        try:
            self.sock.close()
        except OSError:
            pass
