"""Connections lost at awkward moments, against a scripted bridge (tests/fake_bridge.py): a query
lost in flight is asked again, a command is not, and a stream whose daemon stops answering its
keepalive pings reconnects."""

from __future__ import annotations

import unittest
from typing import Dict, List, Optional
from unittest import mock

from jpm_client import AsyncClient, Client, ConnectionLost, ProcessEvent, Reconnected
from jpm_client.wire import Frame

from .fake_bridge import FakeBridge, Script, pong, reply

EVENT = {"app": "api", "pm_id": 0, "pid": 7, "from": "launching", "to": "online", "reason": "spawned pid 7"}


def drops_requests_on(*connections: int) -> Script:
    """These connections answer their ping, then close on their first request; the others answer."""

    def script(n: int, frame: Frame) -> Optional[List[Frame]]:
        if frame.get("type") == "send":
            return None if n in connections else reply(frame, [])
        return pong(frame)

    return script


class LostRequestTest(unittest.TestCase):
    def setUp(self) -> None:
        self.bridge = FakeBridge(drops_requests_on(0))
        self.addCleanup(self.bridge.close)

    def test_a_query_lost_in_flight_is_asked_again(self) -> None:
        with Client(socket_path=self.bridge.path) as client:
            self.assertEqual([], client.list())
        self.assertEqual([0, 1], [n for n, _ in self.bridge.sent("send")])

    def test_a_command_lost_in_flight_is_not_sent_again(self) -> None:
        with Client(socket_path=self.bridge.path) as client:
            with self.assertRaisesRegex(ConnectionLost, "jpm.cmd.stop may or may not have taken effect") as raised:
                client.stop("api")
            self.assertEqual((17, "jpm.cmd.stop"), (raised.exception.code, raised.exception.address))
            self.assertEqual([], client.stop("api"))  # the next one goes out on a new connection
        self.assertEqual([0, 1], [n for n, _ in self.bridge.sent("send")])


class LostRequestAsyncTest(unittest.IsolatedAsyncioTestCase):
    def setUp(self) -> None:
        # the first client's first connection, the second client's first (2: after the first's retry)
        self.bridge = FakeBridge(drops_requests_on(0, 2))
        self.addCleanup(self.bridge.close)

    async def test_a_query_is_asked_again_and_a_command_is_not(self) -> None:
        async with AsyncClient(socket_path=self.bridge.path) as client:
            self.assertEqual([], await client.list())
        async with AsyncClient(socket_path=self.bridge.path) as client:
            with self.assertRaises(ConnectionLost):
                await client.restart("api")
        self.assertEqual(["jpm.query.list", "jpm.query.list", "jpm.cmd.restart"],
                         [f["address"] for _, f in self.bridge.sent("send")])  # fmt: skip


def silent_after_subscribing() -> Script:
    """Connection 0 answers the subscription's ping with an event and a pong, then no ping any more
    (a daemon gone without closing the socket); the next connections answer every ping."""
    pings: Dict[int, int] = {}

    def script(n: int, frame: Frame) -> Optional[List[Frame]]:
        if frame.get("type") != "ping":
            return []
        pings[n] = pings.get(n, 0) + 1
        if n > 0:
            return [{"type": "pong"}]
        event = {"type": "message", "address": "jpm.events.process", "body": EVENT, "send": False}
        return [event, {"type": "pong"}] if pings[n] == 1 else []

    return script


class SilentDaemonTest(unittest.TestCase):
    def setUp(self) -> None:
        self.bridge = FakeBridge(silent_after_subscribing())
        self.addCleanup(self.bridge.close)

    def test_a_stream_whose_pings_go_unanswered_reconnects(self) -> None:
        with mock.patch("jpm_client.stream.PONG_TIMEOUT", 0.2):
            with Client(socket_path=self.bridge.path).events(["process"], keepalive=0.1) as events:
                self.assertIsInstance(events.poll(5), ProcessEvent)
                # the connection stays open: only the unanswered ping tells the daemon is gone
                self.assertIsInstance(events.poll(5), Reconnected)
        self.assertEqual({0, 1}, {n for n, _ in self.bridge.sent("register")})


class SilentDaemonAsyncTest(unittest.IsolatedAsyncioTestCase):
    def setUp(self) -> None:
        self.bridge = FakeBridge(silent_after_subscribing())
        self.addCleanup(self.bridge.close)

    async def test_a_stream_whose_pings_go_unanswered_reconnects(self) -> None:
        with mock.patch("jpm_client.stream.PONG_TIMEOUT", 0.2):
            async with AsyncClient(socket_path=self.bridge.path).events(["process"], keepalive=0.1) as events:
                self.assertIsInstance(await events.poll(5), ProcessEvent)
                self.assertIsInstance(await events.poll(5), Reconnected)
        self.assertEqual({0, 1}, {n for n, _ in self.bridge.sent("register")})


if __name__ == "__main__":
    unittest.main()
