"""The asyncio client: ``AsyncClient`` and ``AsyncEventStream``, the blocking forms' methods with
``await`` and ``async for``."""

from __future__ import annotations

import asyncio
import time
from collections import deque
from typing import Any, Deque, Dict, Generator, Generic, List, Mapping, Optional, Sequence, TypeVar, Union

from . import bodies
from .aio_connection import AsyncConnection
from .client import COMMAND_TIMEOUT, CONNECT_TIMEOUT, KEEPALIVE, processes, summaries
from .daemon import Endpoint, Locator, start_daemon
from .errors import ConnectionLost, Unavailable
from .records import Event, LogLine, Process, Reconnected, Summary, records
from .stream import HANDSHAKE_TIMEOUT, Backoff, LogFilter, StreamState, log_lines
from .wire import failure

T = TypeVar("T")


class AsyncEventStream(Generic[T]):
    """An async iterator over the events of one subscription, on a connection of its own.

    Subscribe it before you act (``stream = await client.events()``, or ``async with
    client.events() as stream``) to see the events of what you do next; ``async for`` on a stream
    not yet subscribed subscribes it first. After a daemon restart it reconnects with backoff,
    subscribes again and yields ``Reconnected``: events published in between are lost.
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
        self._conn: Optional[AsyncConnection] = None
        self._subscribed = False
        self._closed = False

    async def subscribe(self) -> "AsyncEventStream[T]":
        """Registers (once): the daemon holds the subscription when this returns."""
        if not self._subscribed:
            self._conn = await self._subscribe(self._locator.find())
            self._subscribed = True
        return self

    def __await__(self) -> Generator[Any, None, "AsyncEventStream[T]"]:
        return self.subscribe().__await__()

    async def _subscribe(self, endpoint: Endpoint) -> AsyncConnection:
        conn = await AsyncConnection.open(endpoint, self._connect_timeout)
        try:
            for frame in self._state.subscribe_frames(conn.frames)[:-1]:
                await conn.write(frame)
            await conn.ping(HANDSHAKE_TIMEOUT)
            # frames are handled in order: a refused register's err came before the pong
            for frame in conn.inbox:
                if frame.get("type") == "err":
                    raise failure(frame, ", ".join(self._state.addresses))
            for frame in conn.inbox:
                self._ready.extend(self._state.on_frame(frame))
            conn.inbox.clear()
            self._state.heard()
            return conn
        except BaseException:
            await conn.close()
            raise

    async def poll(self, timeout: Optional[float] = None) -> Optional[Union[T, Reconnected]]:
        """The next event, waiting at most ``timeout`` seconds (None: as long as it takes); None
        when none came in time, or the stream is closed."""
        await self.subscribe()
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self._ready:
            if self._closed:
                return None
            if self._conn is None:
                if not await self._reconnect(deadline):
                    return None
                continue
            ping, gone = self._state.due()
            if gone:
                await self._lose()
                continue
            try:
                if ping:
                    await self._conn.send_ping()
                    self._state.ping_sent = time.monotonic()
                wait = self._state.wait()
                if deadline is not None:
                    wait = min(wait, max(0.0, deadline - time.monotonic()))
                frames = await self._conn.next_frames(wait)
            except ConnectionLost:
                await self._lose()
                continue
            if frames is None:
                if deadline is not None and time.monotonic() >= deadline:
                    return None
                continue
            for frame in frames:
                self._ready.extend(self._state.on_frame(frame))
        return self._ready.popleft()

    async def _lose(self) -> None:
        if self._conn is not None:
            await self._conn.close()
            self._conn = None
        self._backoff.lost()

    async def _reconnect(self, deadline: Optional[float]) -> bool:
        while True:
            gap = self._backoff.gap()
            if self._reconnect_timeout is not None and gap > self._reconnect_timeout:
                raise Unavailable(f"no daemon for {gap:.1f} s (reconnect_timeout {self._reconnect_timeout:g} s)")
            try:
                endpoint = self._locator.find()
                self._conn = await self._subscribe(endpoint)
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
            await asyncio.sleep(delay)  # the backoff between attempts: no event says a daemon is back

    def __aiter__(self) -> "AsyncEventStream[T]":
        return self

    async def __anext__(self) -> Union[T, Reconnected]:
        event = await self.poll()
        if event is None:
            raise StopAsyncIteration
        return event

    async def close(self) -> None:
        self._closed = True
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    async def __aenter__(self) -> "AsyncEventStream[T]":
        return await self.subscribe()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()


class AsyncClient:
    """The asyncio form of ``Client``: the same arguments and methods, each awaited. Several
    requests may be in flight at once on its one connection. ``async with AsyncClient() as jpm``."""

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
        self._conn: Optional[AsyncConnection] = None
        self._was_connected = False
        # made in the loop that uses it (Python 3.9 binds a lock to a loop when it is made)
        self._lock: Optional[asyncio.Lock] = None

    async def connect(self) -> "AsyncClient":
        await self._connection()
        return self

    async def close(self) -> None:
        if self._conn is not None:
            await self._conn.close()
            self._conn = None

    async def __aenter__(self) -> "AsyncClient":
        return await self.connect()

    async def __aexit__(self, *exc: object) -> None:
        await self.close()

    async def _connection(self) -> AsyncConnection:
        if self._lock is None:
            self._lock = asyncio.Lock()
        async with self._lock:
            if self._conn is not None and not self._conn.closed_by_daemon():
                return self._conn
            if self._conn is not None:
                await self._conn.close()
                self._conn = None
            self._conn = await self._reach()
            self._was_connected = True
            return self._conn

    async def _reach(self) -> AsyncConnection:
        backoff = Backoff()
        backoff.lost()
        while True:
            try:
                return await self._open(self.locator.find())
            except Unavailable as e:
                if not self._was_connected:
                    if not self.start_daemon:
                        raise
                    await asyncio.get_running_loop().run_in_executor(None, start_daemon, self.locator.home)
                    return await self._open(self.locator.find())
                if backoff.gap() >= self.reconnect_timeout:
                    raise Unavailable(f"{e} (for {backoff.gap():.1f} s)") from e
            await asyncio.sleep(min(backoff.next_delay(), max(0.0, self.reconnect_timeout - backoff.gap())))

    async def _open(self, endpoint: Endpoint) -> AsyncConnection:
        """Connects and pings: on TCP the ping's token authenticates the connection for its life."""
        conn = await AsyncConnection.open(endpoint, self.connect_timeout)
        try:
            await conn.ping(self.connect_timeout)
            for frame in conn.inbox:
                if frame.get("type") == "err":  # the token was refused
                    raise failure(frame, "the bridge")
            conn.inbox.clear()
            return conn
        except BaseException:
            await conn.close()
            raise

    async def request(
        self, address: str, body: Optional[Mapping[str, Any]] = None, timeout: Optional[float] = None
    ) -> Any:
        """Sends ``body`` to ``address`` and returns the reply's ``data``; raises the daemon's failure."""
        wait = self.timeout if timeout is None else timeout
        try:
            return await self._exchange(address, body or {}, wait)
        except ConnectionLost as lost:
            # a query changes nothing: ask again on a new connection; a command may have run
            if not address.startswith("jpm.query."):
                raise ConnectionLost(f"{lost}; {address} may or may not have taken effect", address=address) from lost
        return await self._exchange(address, body or {}, wait)

    async def _exchange(self, address: str, body: Mapping[str, Any], wait: float) -> Any:
        conn = await self._connection()
        conn.inbox.clear()  # pongs and strays: nothing on this connection reads them
        return await conn.request(address, body, wait)

    async def ping(self) -> Dict[str, Any]:
        data = await self.request("jpm.query.ping", {})
        return dict(data) if isinstance(data, dict) else {}

    async def list(self) -> List[Process]:
        return processes(await self.request("jpm.query.list", {}))

    async def describe(self, targets: bodies.Targets) -> List[Process]:
        return processes(await self.request("jpm.query.describe", bodies.target_request(targets)))

    async def start(self, script_or_file: bodies.Script, **options: Any) -> List[Summary]:
        return summaries(await self.request("jpm.cmd.start", bodies.start_request(script_or_file, options)))

    async def stop(self, targets: bodies.Targets) -> List[Summary]:
        return summaries(await self.request("jpm.cmd.stop", bodies.target_request(targets)))

    async def restart(
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
        return summaries(await self.request("jpm.cmd.restart", body))

    async def reload(
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
        return summaries(await self.request("jpm.cmd.reload", body))

    async def delete(self, targets: bodies.Targets) -> List[Summary]:
        return summaries(await self.request("jpm.cmd.delete", bodies.target_request(targets)))

    async def scale(self, name: str, count: Union[int, str]) -> List[Summary]:
        return summaries(await self.request("jpm.cmd.scale", bodies.scale_request(name, count)))

    def events(
        self,
        kinds: Sequence[str] = ("process",),
        *,
        keepalive: float = KEEPALIVE,
        reconnect_timeout: Optional[float] = None,
    ) -> AsyncEventStream[Event]:
        """As ``Client.events``; await the stream (or ``async with`` it) to subscribe before acting."""
        state: StreamState[Event] = StreamState(kinds, records, keepalive)
        return AsyncEventStream(self.locator, state, reconnect_timeout, self.connect_timeout)

    def logs(
        self,
        targets: Optional[bodies.Targets] = None,
        *,
        keepalive: float = KEEPALIVE,
        reconnect_timeout: Optional[float] = None,
    ) -> AsyncEventStream[LogLine]:
        """As ``Client.logs``; await the stream (or ``async with`` it) to subscribe before acting."""
        state: StreamState[LogLine] = StreamState(["log"], log_lines(LogFilter(targets)), keepalive)
        return AsyncEventStream(self.locator, state, reconnect_timeout, self.connect_timeout)
