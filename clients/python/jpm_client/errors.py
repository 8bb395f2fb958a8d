"""The daemon's failures as exceptions: one class per failure code of docs/PROTOCOL.md section 5.

Every one carries the code and the daemon's message as it sent them (the message the jpm CLI
prints), and the address of the request that failed.
"""

from __future__ import annotations

from typing import Optional


class JpmError(Exception):
    """A request the daemon refused or could not answer. ``code`` is io.jpm.protocol.JpmError's."""

    code: int = 99

    def __init__(self, message: str, code: Optional[int] = None, address: Optional[str] = None) -> None:
        super().__init__(message)
        self.message = message
        if code is not None:
            self.code = code
        self.address = address

    def __str__(self) -> str:
        return f"{self.message} (code {self.code}{', ' + self.address if self.address else ''})"


class InvalidArgument(JpmError):
    """10: the request itself is wrong (a field of the wrong type, no targets, a bad count)."""

    code = 10


class UnknownTarget(JpmError):
    """11: no process matches a target (``process or namespace api not found``)."""

    code = 11


class ScriptNotFound(JpmError):
    """12: the script or the ecosystem file does not exist."""

    code = 12


class AlreadyLaunched(JpmError):
    """13: that script already runs under that name (start with ``force=True`` for another copy)."""

    code = 13


class InvalidConfig(JpmError):
    """14: an ecosystem file or the app's options do not validate; nothing was started."""

    code = 14


class SpawnFailed(JpmError):
    """15: a rolling reload's new run was not ready in time (the old runs serve on)."""

    code = 15


class Forbidden(JpmError):
    """16: refused by the token check (no token, a wrong one, or the read-only token for a command)."""

    code = 16


class Unavailable(JpmError):
    """17: no daemon to talk to, the connection was lost, or no answer in time.

    Also raised by the client itself when it cannot reach the daemon; a command whose connection
    was lost after it was sent may or may not have taken effect.
    """

    code = 17


class ConnectionLost(Unavailable):
    """17: the connection to the daemon closed or failed (the daemon stopped, ``jpm kill``, ``jpm
    update``, a network cut). Raised for a command whose answer it took with it: the command may or
    may not have taken effect."""


class DiskFull(JpmError):
    """18: a file the daemon had to write did not fit on its disk; what was there before is kept."""

    code = 18


class InternalError(JpmError):
    """99: a bug in jpm; the daemon log has the details. Also any code this client does not know."""

    code = 99


_BY_CODE = {
    cls.code: cls
    for cls in (
        InvalidArgument,
        UnknownTarget,
        ScriptNotFound,
        AlreadyLaunched,
        InvalidConfig,
        SpawnFailed,
        Forbidden,
        Unavailable,
        DiskFull,
        InternalError,
    )
}


def error_for(code: Optional[int], message: str, address: Optional[str] = None) -> JpmError:
    """The exception for a failure code; a code this client does not know is kept, as a 99."""
    if code is None:
        return InternalError(message, address=address)
    return _BY_CODE.get(code, InternalError)(message, code, address)
