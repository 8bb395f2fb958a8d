"""The blocking client: ``Client`` for requests, ``EventStream`` for events and log lines."""

from __future__ import annotations

import threading
import time
from collections import deque
from typing import Any, Deque, Dict, Generic, Iterator, List, Mapping, Optional, Sequence, TypeVar, Union

from . import bodies
from .connection import Connection
from .daemon import Endpoint, Locator, start_daemon
from .errors import ConnectionLost, Unavailable
from .records import Event, LogLine, Process, Reconnected, Summary, records
from .stream import HANDSHAKE_TIMEOUT, Backoff, LogFilter, StreamState, log_lines
from .wire import failure, settle

T = TypeVar("T")

# Commands answer once the processes stopped (up to each app's kill_timeout): past the bridge's 30 s.
COMMAND_TIMEOUT = 120.0
CONNECT_TIMEOUT = 5.0
KEEPALIVE = 15.0


def summaries(data: Any) -> List[Summary]:
    return [Summary.from_json(s) for s in data if isinstance(s, dict)] if isinstance(data, list) else []


def processes(data: Any) -> List[Process]:
    return [Process.from_json(p) for p in data if isinstance(p, dict)] if isinstance(data, list) else []


class EventStream(Generic[T]):
    """An iterator over the events of one subscription, on a connection of its own.

    Subscribed when made (the daemon holds the registration before this returns), so a command
    sent after it is seen. When the daemon goes away it reconnects with backoff, subscribes again
    and yields a ``Reconnected`` record; what was published in between is lost (the bus is not
    replayed). Reconnects happen while the caller reads: ``for event in stream`` or ``poll()``.
    One thread reads a stream; ``close()`` (or ``with``) ends it.
    """

    def __init__(
        self,
        locator: Locator,
        state: StreamState[T],
        reconnect_timeout: Optional[float] = None,
        connect_timeout: float = CONNECT_TIMEOUT,
    ) -> None:
        self._locator = locator
        self._state = state
        self._reconnect_timeout = reconnect_timeout
        self._connect_timeout = connect_timeout
        self._ready: Deque[Union[T, Reconnected]] = deque()
        self._backoff = Backoff()
        self._closed = False
        self._conn: Optional[Connection] = self._subscribe(locator.find())

    def _subscribe(self, endpoint: Endpoint) -> Connection:
        conn = Connection(endpoint, self._connect_timeout)
        try:
            for frame in self._state.subscribe_frames(conn.frames):
                conn.write(frame)
            deadline = time.monotonic() + HANDSHAKE_TIMEOUT
            while True:
                left = deadline - time.monotonic()
                frames = conn.read(left) if left > 0 else None
                if frames is None:
                    raise Unavailable(
                        f"the daemon at {endpoint} did not answer the subscription within {HANDSHAKE_TIMEOUT:g} s"
                    )
                for i, frame in enumerate(frames):
                    done, events = self._state.on_handshake(frame)
                    self._ready.extend(events)
                    if done:
                        for rest in frames[i + 1 :]:
                            self._ready.extend(self._state.on_frame(rest))
                        return conn
        except BaseException:
            conn.close()
            raise

    def poll(self, timeout: Optional[float] = None) -> Optional[Union[T, Reconnected]]:
        """The next event, waiting at most ``timeout`` seconds (None: as long as it takes); None
        when none came in time, or the stream is closed."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._ready:
            if self._closed:
                return None
            if self._conn is None:
                if not self._reconnect(deadline):
                    return None
                continue
            ping, gone = self._state.due()
            if gone:
                self._lose()
                continue
            try:
                if ping:
                    self._conn.write(self._conn.frames.ping())
                    self._state.ping_sent = time.monotonic()
                wait = self._state.wait()
                if deadline is not None:
                    wait = min(wait, max(0.0, deadline - time.monotonic()))
                frames = self._conn.read(wait)
            except Unavailable:
                self._lose()
                continue
            if frames is None:
                if deadline is not None and time.monotonic() >= deadline:
                    return None
                continue
            for frame in frames:
                self._ready.extend(self._state.on_frame(frame))
        return self._ready.popleft()

    def _lose(self) -> None:
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        self._backoff.lost()

    def _reconnect(self, deadline: Optional[float]) -> bool:
        """Connects and subscribes again; False when ``deadline`` passed first."""
        while True:
            gap = self._backoff.gap()
            if self._reconnect_timeout is not None and gap > self._reconnect_timeout:
                raise Unavailable(f"no daemon for {gap:.1f} s (reconnect_timeout {self._reconnect_timeout:g} s)")
            try:
                endpoint = self._locator.find()
                self._conn = self._subscribe(endpoint)
                self._ready.append(Reconnected(pid=endpoint.pid, attempts=self._backoff.attempts + 1))
                self._backoff.reset()
                return True
            except Unavailable:
                pass
            delay = self._backoff.next_delay()
            if deadline is not None:
                left = deadline - time.monotonic()
                if left <= 0:
                    return False
                delay = min(delay, left)
            time.sleep(delay)  # the backoff between attempts: no event says a daemon is back

    def __iter__(self) -> Iterator[Union[T, Reconnected]]:
        return self

    def __next__(self) -> Union[T, Reconnected]:
        event = self.poll()
        if event is None:
            raise StopIteration
        return event

    def close(self) -> None:
        """Ends the subscription (closing the connection unregisters it)."""
        self._closed = True
        if self._conn is not None:
            self._conn.close()
            self._conn = None

    def __enter__(self) -> "EventStream[T]":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class Client:
    """A blocking client of one jpm daemon. Connects on first use (or ``connect()``, or ``with``).

    ``home`` is JPM_HOME (default: the variable, else ~/.jpm); the daemon is found through its
    daemon.json each time the client connects, on the owner's Unix socket when it is there (no
    token), else on the TCP port with ``token`` or the file ``token_file``. ``host`` and ``port``
    (or ``socket_path``) name a daemon instead. ``start_daemon=True`` starts one with ``jpm ping``
    when none runs at the first connection.

    A request whose connection was lost (the daemon restarted, ``jpm update``) reconnects with
    backoff for up to ``reconnect_timeout`` seconds; a query lost in flight is sent again, a command
    is not (Unavailable says it may have taken effect). Failures raise ``JpmError`` subclasses with
    the daemon's code and message. Thread-safe: requests are sent one at a time.
    """

    def __init__(
        self,
        home: Optional[str] = None,
        *,
        host: Optional[str] = None,
        port: Optional[int] = None,
        socket_path: Optional[str] = None,
        token: Optional[str] = None,
        token_file: str = "token",
        use_socket: bool = True,
        ca_file: Optional[str] = None,
        timeout: float = COMMAND_TIMEOUT,
        connect_timeout: float = CONNECT_TIMEOUT,
        reconnect_timeout: float = 30.0,
        start_daemon: bool = False,
    ) -> None:
        self.locator = Locator(home, host, port, socket_path, token, token_file, use_socket, ca_file)
        self.timeout = timeout
        self.connect_timeout = connect_timeout
        self.reconnect_timeout = reconnect_timeout
        self.start_daemon = start_daemon
        self._conn: Optional[Connection] = None
        self._was_connected = False
        self._lock = threading.Lock()

    # -- connection --------------------------------------------------------------------------

    def connect(self) -> "Client":
        with self._lock:
            self._connection()
        return self

    def close(self) -> None:
        with self._lock:
            if self._conn is not None:
                self._conn.close()
                self._conn = None

    def __enter__(self) -> "Client":
        return self.connect()

    def __exit__(self, *exc: object) -> None:
        self.close()

    def _connection(self) -> Connection:
        if self._conn is not None and not self._conn.closed_by_daemon():
            return self._conn
        if self._conn is not None:
            self._conn.close()
            self._conn = None
        self._conn = self._reach()
        self._was_connected = True
        return self._conn

    def _reach(self) -> Connection:
        """A connection, authenticated: at once the first time (or a daemon started for it); after a
        loss, retried with backoff for up to reconnect_timeout."""
        backoff = Backoff()
        backoff.lost()
        while True:
            try:
                return self._open(self.locator.find())
            except Unavailable as e:
                if not self._was_connected:
                    if not self.start_daemon:
                        raise
                    start_daemon(self.locator.home)
                    return self._open(self.locator.find())
                if backoff.gap() >= self.reconnect_timeout:
                    raise Unavailable(f"{e} (for {backoff.gap():.1f} s)") from e
            time.sleep(min(backoff.next_delay(), max(0.0, self.reconnect_timeout - backoff.gap())))

    def _open(self, endpoint: Endpoint) -> Connection:
        """Connects and pings: on TCP the ping carries the token and authenticates the connection
        for its life (a start request, with this process's environment, may exceed the 64 KiB a
        connection may send before that)."""
        conn = Connection(endpoint, self.connect_timeout)
        try:
            conn.write(conn.frames.ping())
            deadline = time.monotonic() + self.connect_timeout
            while True:
                left = deadline - time.monotonic()
                frames = conn.read(left) if left > 0 else None
                if frames is None:
                    raise Unavailable(
                        f"the daemon at {endpoint} did not answer a ping within {self.connect_timeout:g} s"
                    )
                for frame in frames:
                    if frame.get("type") == "pong":
                        return conn
                    if frame.get("type") == "err":  # the token was refused
                        raise failure(frame, "the bridge")
        except BaseException:
            conn.close()
            raise

    # -- requests ----------------------------------------------------------------------------

    def request(self, address: str, body: Optional[Mapping[str, Any]] = None, timeout: Optional[float] = None) -> Any:
        """Sends ``body`` to ``address`` (any jpm.cmd.* or jpm.query.*, docs/PROTOCOL.md section 6)
        and returns the reply's ``data``; raises the daemon's failure."""
        wait = self.timeout if timeout is None else timeout
        with self._lock:
            try:
                return self._exchange(address, body or {}, wait)
            except ConnectionLost as lost:
                # a query changes nothing: ask again on a new connection; a command may have run
                if not address.startswith("jpm.query."):
                    message = f"{lost}; {address} may or may not have taken effect"
                    raise ConnectionLost(message, address=address) from lost
            return self._exchange(address, body or {}, wait)

    def _exchange(self, address: str, body: Mapping[str, Any], wait: float) -> Any:
        conn = self._connection()
        frame, reply_address = conn.frames.send(address, body, int(wait * 1000))
        try:
            conn.write(frame)
            deadline = time.monotonic() + wait + 5.0
            while True:
                left = deadline - time.monotonic()
                frames = conn.read(left) if left > 0 else None
                if frames is None:
                    # out of step now (a late answer would come after this one gave up): a new one next time
                    self._drop(conn)
                    raise Unavailable(f"the daemon did not answer {address} within {wait:g} s", address=address)
                for reply in frames:
                    done, data = settle(reply, reply_address, address)
                    if done:
                        return data
        except ConnectionLost:
            self._drop(conn)
            raise

    def _drop(self, conn: Connection) -> None:
        conn.close()
        if self._conn is conn:
            self._conn = None

    def ping(self) -> Dict[str, Any]:
        """The daemon's health (``jpm.query.ping``): pid, uptime, each verticle's state."""
        data = self.request("jpm.query.ping", {})
        return dict(data) if isinstance(data, dict) else {}

    def list(self) -> List[Process]:
        """Every process, as ``jpm jlist`` (pm2's jlist rows)."""
        return processes(self.request("jpm.query.list", {}))

    def describe(self, targets: bodies.Targets) -> List[Process]:
        return processes(self.request("jpm.query.describe", bodies.target_request(targets)))

    def start(self, script_or_file: bodies.Script, **options: Any) -> List[Summary]:
        """Starts a script with pm2's options (``name``, ``args``, ``instances``, ``env``, ...), or
        the apps of an ecosystem file (``only``, ``env_name``); ``force=True`` starts another copy
        of a running script. The summaries of the instances started."""
        return summaries(self.request("jpm.cmd.start", bodies.start_request(script_or_file, options)))

    def stop(self, targets: bodies.Targets) -> List[Summary]:
        return summaries(self.request("jpm.cmd.stop", bodies.target_request(targets)))

    def restart(
        self,
        targets: bodies.Targets,
        *,
        update_env: bool = False,
        env: Optional[Mapping[str, str]] = None,
        env_name: Optional[str] = None,
        parallel: Optional[int] = None,
        options: Optional[Mapping[str, Any]] = None,
    ) -> List[Summary]:
        body = bodies.restart_request(targets, update_env, env, env_name, parallel, options)
        return summaries(self.request("jpm.cmd.restart", body))

    def reload(
        self,
        targets: bodies.Targets,
        *,
        update_env: bool = False,
        env: Optional[Mapping[str, str]] = None,
        env_name: Optional[str] = None,
        parallel: Optional[int] = None,
        options: Optional[Mapping[str, Any]] = None,
    ) -> List[Summary]:
        """A rolling reload of balanced apps (pm_ids kept), a restart of the others."""
        body = bodies.restart_request(targets, update_env, env, env_name, parallel, options)
        return summaries(self.request("jpm.cmd.reload", body))

    def delete(self, targets: bodies.Targets) -> List[Summary]:
        return summaries(self.request("jpm.cmd.delete", bodies.target_request(targets)))

    def scale(self, name: str, count: Union[int, str]) -> List[Summary]:
        """``count`` instances of app ``name`` (4), or more or fewer ("+2", "-1")."""
        return summaries(self.request("jpm.cmd.scale", bodies.scale_request(name, count)))

    # -- streams -----------------------------------------------------------------------------

    def events(
        self,
        kinds: Sequence[str] = ("process",),
        *,
        keepalive: float = KEEPALIVE,
        reconnect_timeout: Optional[float] = None,
    ) -> EventStream[Event]:
        """A stream of the daemon's events: ``kinds`` among process, log, metrics, balancer, health,
        config, appMetrics, appMessage, cluster (or full addresses, another host's too). Each is a
        record of its kind (a ``LogLine`` per line of a log batch). After a daemon restart it
        reconnects (for ever, or for up to ``reconnect_timeout`` s) and yields ``Reconnected``."""
        state: StreamState[Event] = StreamState(kinds, records, keepalive)
        return EventStream(self.locator, state, reconnect_timeout, self.connect_timeout)

    def logs(
        self,
        targets: Optional[bodies.Targets] = None,
        *,
        keepalive: float = KEEPALIVE,
        reconnect_timeout: Optional[float] = None,
    ) -> EventStream[LogLine]:
        """A stream of the lines the apps write from now on (``LogLine``): of ``targets`` (names,
        pm_ids, /regex/ over names; None or "all": every app), and ``Reconnected`` markers."""
        state: StreamState[LogLine] = StreamState(["log"], log_lines(LogFilter(targets)), keepalive)
        return EventStream(self.locator, state, reconnect_timeout, self.connect_timeout)
