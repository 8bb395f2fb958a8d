"""One asyncio connection to the daemon's bridge. A reader task routes what comes: replies to the
requests waiting for them (several may be in flight), pongs to the pings in order, and events
and refusals of registrations to the inbox an event stream reads."""

from __future__ import annotations

import asyncio
import ssl
from collections import deque
from typing import Any, Deque, Dict, List, Mapping, Optional

from .connection import tls_context
from .daemon import Endpoint
from .errors import ConnectionLost, JpmError, Unavailable
from .wire import Frame, FrameBuffer, Frames, encode, failure


class AsyncConnection:
    def __init__(self, endpoint: Endpoint, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.endpoint = endpoint
        self.frames = Frames(endpoint.token)
        self.inbox: Deque[Frame] = deque()
        self.lost: Optional[ConnectionLost] = None
        self._reader = reader
        self._writer = writer
        self._arrived = asyncio.Event()
        self._replies: Dict[str, "asyncio.Future[Any]"] = {}
        self._addresses: Dict[str, str] = {}
        self._pongs: Deque["asyncio.Future[None]"] = deque()
        self._task = asyncio.ensure_future(self._read_all())

    @staticmethod
    async def open(endpoint: Endpoint, timeout: float) -> "AsyncConnection":
        try:
            if endpoint.socket_path is not None:
                opening = asyncio.open_unix_connection(endpoint.socket_path)
            else:
                context = tls_context(endpoint.tls) if endpoint.tls is not None else None
                opening = asyncio.open_connection(
                    endpoint.host, endpoint.port, ssl=context, server_hostname=endpoint.host if context else None
                )
            reader, writer = await asyncio.wait_for(opening, timeout)
        except ssl.SSLError as e:
            raise Unavailable(f"the bridge at {endpoint} failed the TLS check: {e}")
        except (OSError, asyncio.TimeoutError) as e:
            raise Unavailable(f"cannot connect to the daemon at {endpoint}: {e or 'timed out'}")
        return AsyncConnection(endpoint, reader, writer)

    async def _read_all(self) -> None:
        buffer = FrameBuffer()
        why = "closed the connection"
        try:
            while True:
                data = await self._reader.read(65536)
                if not data:
                    break
                for frame in buffer.feed(data):
                    self._route(frame)
        except (OSError, JpmError) as e:
            why = f"connection lost: {e}"
        except asyncio.CancelledError:
            why = "connection closed by the client"
        self._lose(ConnectionLost(f"the daemon at {self.endpoint}: {why}"))

    def _route(self, frame: Frame) -> None:
        kind = frame.get("type")
        address = frame.get("address")
        if kind == "pong":
            while self._pongs:
                waiter = self._pongs.popleft()
                if not waiter.done():
                    waiter.set_result(None)
                    break
            self.inbox.append(frame)  # a stream's keepalive hears it too
        elif isinstance(address, str) and address in self._replies:
            waiter = self._replies.pop(address)
            sent_to = self._addresses.pop(address)
            if waiter.done():
                return
            if kind == "err":
                waiter.set_exception(failure(frame, sent_to))
            else:
                body = frame.get("body")
                waiter.set_result(body.get("data") if isinstance(body, dict) else body)
            return
        elif kind == "err" and address is None and len(self._replies) == 1:
            # the bridge's second, address-less frame of a refusal (jpm before issue 30)
            (reply_address,) = self._replies
            self._route(dict(frame, address=reply_address))
            return
        else:
            self.inbox.append(frame)
        self._arrived.set()

    def _lose(self, error: ConnectionLost) -> None:
        self.lost = error
        for waiter in list(self._replies.values()) + list(self._pongs):
            if not waiter.done():
                waiter.set_exception(error)
        self._replies.clear()
        self._addresses.clear()
        self._pongs.clear()
        self._arrived.set()
        self._writer.close()

    async def write(self, frame: Frame) -> None:
        if self.lost is not None:
            raise self.lost
        try:
            self._writer.write(encode(frame))
            await self._writer.drain()
        except OSError as e:
            raise ConnectionLost(f"the connection to the daemon at {self.endpoint} was lost: {e}")

    async def request(self, address: str, body: Mapping[str, Any], wait: float) -> Any:
        frame, reply_address = self.frames.send(address, body, int(wait * 1000))
        waiter: "asyncio.Future[Any]" = asyncio.get_running_loop().create_future()
        self._replies[reply_address] = waiter
        self._addresses[reply_address] = address
        try:
            await self.write(frame)
            return await asyncio.wait_for(waiter, wait + 5.0)
        except asyncio.TimeoutError:
            raise Unavailable(f"the daemon did not answer {address} within {wait:g} s", address=address)
        finally:
            self._replies.pop(reply_address, None)
            self._addresses.pop(reply_address, None)

    async def ping(self, timeout: float) -> None:
        """Waits for the pong; frames are handled in order, so what was sent before is done."""
        waiter: "asyncio.Future[None]" = asyncio.get_running_loop().create_future()
        self._pongs.append(waiter)
        await self.write(self.frames.ping())
        try:
            await asyncio.wait_for(waiter, timeout)
        except asyncio.TimeoutError:
            raise Unavailable(f"the daemon at {self.endpoint} did not answer a ping within {timeout:g} s")

    async def send_ping(self) -> None:
        """A keepalive ping: its pong comes to the inbox like any frame."""
        waiter: "asyncio.Future[None]" = asyncio.get_running_loop().create_future()
        waiter.add_done_callback(lambda f: f.cancelled() or f.exception())
        self._pongs.append(waiter)
        await self.write(self.frames.ping())

    async def next_frames(self, timeout: Optional[float]) -> Optional[List[Frame]]:
        """What came to the inbox, waiting at most ``timeout`` s for something; None if nothing
        did. Raises ConnectionLost once the inbox is empty and the connection is gone."""
        if not self.inbox:
            if self.lost is not None:
                raise self.lost
            self._arrived.clear()
            try:
                await asyncio.wait_for(self._arrived.wait(), timeout)
            except asyncio.TimeoutError:
                return None
        if not self.inbox and self.lost is not None:
            raise self.lost
        frames = list(self.inbox)
        self.inbox.clear()
        return frames

    def closed_by_daemon(self) -> bool:
        return self.lost is not None

    async def close(self) -> None:
        self._task.cancel()
        try:
            await self._task
        except asyncio.CancelledError:
            pass
        self._writer.close()
