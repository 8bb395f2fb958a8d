"""Finding the daemon as the jpm CLI does (docs/PROTOCOL.md section 1), and starting one.

JPM_HOME (the environment variable when set and not blank, else ~/.jpm) holds daemon.json, which
says where the daemon listens: ``socket``, the owner's Unix socket JPM_HOME/jpm.sock, where every
connection is admin without a token; else ``bridgeHost``/``bridgePort`` (TLS when ``bridgeTls``),
where every frame shows a token from JPM_HOME/token (or token.readonly). daemon.json is read again
at every connection: a daemon started again (``jpm kill`` then any command, ``jpm update``) may
listen elsewhere.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
from dataclasses import dataclass
from typing import Any, Dict, Optional

from .errors import Unavailable

# The CLI's variable for a PEM file to trust instead of daemon.json's certificates (docs/SECURITY.md).
BRIDGE_CA_VARIABLE = "JPM_BRIDGE_CA"

# a bridge on every address is reached (and its certificate checked) at loopback
_LOOPBACK = {"0.0.0.0": "127.0.0.1", "::": "::1"}


def jpm_home() -> str:
    """JPM_HOME as the CLI resolves it (io.jpm.protocol.JpmHome): the variable, else ~/.jpm."""
    home = os.environ.get("JPM_HOME", "")
    return os.path.abspath(home) if home.strip() else os.path.join(os.path.expanduser("~"), ".jpm")


@dataclass(frozen=True)
class Endpoint:
    """Where one connection goes: a Unix socket, or a TCP port with a token (and maybe TLS)."""

    socket_path: Optional[str] = None
    host: Optional[str] = None
    port: Optional[int] = None
    token: Optional[str] = None
    # daemon.json's bridgeTls: {"certificates": "<PEM>", "checkHostName": bool}
    tls: Optional[Dict[str, Any]] = None
    # the daemon's pid when daemon.json said it
    pid: Optional[int] = None

    def __str__(self) -> str:
        return self.socket_path if self.socket_path else f"{self.host}:{self.port}"


class Locator:
    """Says where the daemon is each time the client connects.

    With ``host`` and ``port`` (or ``socket_path``) the place is fixed; otherwise daemon.json of
    ``home`` names it. ``token`` (else the file ``token_file``, relative to home unless absolute) is
    needed on TCP only; the read-only token is enough for list, describe, events and logs.
    ``use_socket=False`` goes to the TCP port even when the owner's socket is there. ``ca_file``
    (default: JPM_BRIDGE_CA) is a PEM file to trust instead of daemon.json's certificates: it asks
    for the TLS port, and a bridge in plain text is refused.
    """

    def __init__(
        self,
        home: Optional[str] = None,
        host: Optional[str] = None,
        port: Optional[int] = None,
        socket_path: Optional[str] = None,
        token: Optional[str] = None,
        token_file: str = "token",
        use_socket: bool = True,
        ca_file: Optional[str] = None,
    ) -> None:
        if (host is None) != (port is None):
            raise ValueError("host and port go together: give both or neither")
        self.home = os.path.abspath(home) if home else jpm_home()
        self.host = host
        self.port = port
        self.socket_path = socket_path
        self.token = token
        self.token_file = token_file if os.path.isabs(token_file) else os.path.join(self.home, token_file)
        self.use_socket = use_socket
        # as the CLI's JPM_BRIDGE_CA: trust this PEM file instead of daemon.json's certificates
        self.ca_file = ca_file if ca_file is not None else (os.environ.get(BRIDGE_CA_VARIABLE) or None)
        self.ca_source = f"ca_file {ca_file}" if ca_file is not None else f"{BRIDGE_CA_VARIABLE} ({self.ca_file})"

    @property
    def daemon_json(self) -> str:
        return os.path.join(self.home, "daemon.json")

    def find(self) -> Endpoint:
        """Where to connect now; Unavailable when no daemon runs for this home."""
        if self.socket_path is not None:
            return Endpoint(socket_path=self.socket_path)
        if self.host is not None:
            # a host named by hand: its certificate must name it (daemon.json says nothing here)
            tls = {"certificates": self._own_ca(), "checkHostName": True} if self.ca_file else None
            return Endpoint(host=self.host, port=self.port, token=self._token(), tls=tls)
        info = self._daemon_info()
        socket_path = info.get("socket")
        # a CA of one's own asks for the TLS port and its check, so it skips the socket (as the CLI)
        if self.use_socket and not self.ca_file and isinstance(socket_path, str) and os.path.exists(socket_path):
            return Endpoint(socket_path=socket_path, pid=info.get("pid"))
        host = str(info.get("bridgeHost") or "127.0.0.1")
        port = int(info["bridgePort"])
        tls = info.get("bridgeTls")
        if self.ca_file:
            if not isinstance(tls, dict):
                raise Unavailable(
                    f"{self.ca_source} is set but the daemon's bridge at {host}:{port} speaks plain text "
                    "(daemon.json has no bridgeTls); not connecting"
                )
            tls = dict(tls, certificates=self._own_ca())
        return Endpoint(host=_LOOPBACK.get(host, host), port=port, token=self._token(), tls=tls, pid=info.get("pid"))

    def _own_ca(self) -> str:
        assert self.ca_file is not None
        try:
            with open(self.ca_file, encoding="utf-8") as f:
                return f.read()
        except OSError as e:
            raise Unavailable(f"{self.ca_source}: cannot read it: {e}")

    def _daemon_info(self) -> Dict[str, Any]:
        path = self.daemon_json
        try:
            _check_own_file(path)
            with open(path, encoding="utf-8") as f:
                info = json.load(f)
        except FileNotFoundError:
            raise Unavailable(f"no daemon running for {self.home} ({path} is missing); start one with `jpm ping`")
        except (OSError, ValueError) as e:
            raise Unavailable(f"cannot read {path}: {e}")
        if not isinstance(info, dict):
            raise Unavailable(f"cannot read {path}: not a JSON object")
        return info

    def _token(self) -> str:
        if self.token is not None:
            return self.token
        try:
            _check_own_file(self.token_file)
            with open(self.token_file, encoding="utf-8") as f:
                token = f.read().strip()  # the file ends with a newline that is not part of the token
        except OSError as e:
            raise Unavailable(f"cannot read the token {self.token_file}: {e}")
        if not token:
            raise Unavailable(f"the token file {self.token_file} is empty; `jpm ping` writes a new one")
        return token


def _check_own_file(path: str) -> None:
    """A token or daemon.json that is not the user's own regular file is never read: whoever planted
    it would get the token (docs/SECURITY.md)."""
    st = os.lstat(path)
    if not stat.S_ISREG(st.st_mode) or st.st_uid != os.geteuid():
        raise Unavailable(f"{path} is not a regular file of yours (uid {os.geteuid()}): not reading it")


def launcher() -> str:
    """The jpm launcher: JPM_BIN when set, else bin/jpm of the repository this package sits in,
    else ``jpm`` on PATH."""
    explicit = os.environ.get("JPM_BIN")
    if explicit:
        return explicit
    beside = os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", "..", "..", "bin", "jpm")
    if os.path.isfile(beside):
        return os.path.normpath(beside)
    return shutil.which("jpm") or "jpm"


def start_daemon(home: str, timeout: float = 90.0) -> None:
    """Starts a daemon for ``home`` with ``jpm ping``, which starts one when none runs and waits
    until it answers."""
    env = dict(os.environ, JPM_HOME=home)
    command = [launcher(), "ping"]
    try:
        run = subprocess.run(command, env=env, capture_output=True, text=True, timeout=timeout)
    except (OSError, subprocess.TimeoutExpired) as e:
        raise Unavailable(f"could not start the daemon with `{' '.join(command)}`: {e}")
    if run.returncode != 0:
        why = (run.stderr or run.stdout).strip()
        raise Unavailable(f"could not start the daemon with `{' '.join(command)}`: {why}")
