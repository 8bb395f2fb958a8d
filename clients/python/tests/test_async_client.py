"""The asyncio AsyncClient against a real daemon (JPM_HOME, JPM_BIN): see tests/support.py."""

from __future__ import annotations

import asyncio
import unittest
from typing import List

from jpm_client import (
    AsyncClient,
    Forbidden,
    LogLine,
    ProcessEvent,
    Reconnected,
    UnknownTarget,
)

from .support import async_wait_for, daemon_pid, jpm, needs_daemon, ticker


@needs_daemon
class AsyncClientTest(unittest.IsolatedAsyncioTestCase):
    def setUp(self) -> None:
        # a daemon for JPM_HOME (the IT started one; a test may have killed it), outside the loop
        jpm("ping")
        self.apps: List[str] = []

    async def asyncSetUp(self) -> None:
        self.client = await AsyncClient().connect()

    async def asyncTearDown(self) -> None:
        for name in self.apps:
            try:
                await self.client.delete(name)
            except UnknownTarget:
                pass
        await self.client.close()

    async def started(self, name: str, prefix: str = "tick") -> int:
        summaries = await self.client.start("/bin/sh", name=name, **ticker(prefix))
        self.apps.append(name)
        self.assertEqual([(name, "online")], [(s.name, s.status) for s in summaries])
        return summaries[0].pm_id

    async def status_of(self, name: str) -> List[str]:
        return [p.status for p in await self.client.list() if p.name == name]

    async def test_lifecycle_of_a_real_app(self) -> None:
        pm_id = await self.started("py-async-life")
        (described,) = await self.client.describe("py-async-life")
        self.assertEqual(("py-async-life", pm_id, "online"), (described.name, described.pm_id, described.status))

        self.assertEqual(["stopped"], [s.status for s in await self.client.stop("py-async-life")])
        (restarted,) = await self.client.restart("py-async-life")
        self.assertEqual("online", restarted.status)
        (reloaded,) = await self.client.reload(pm_id)
        self.assertNotEqual(restarted.pid, reloaded.pid)

        await self.client.scale("py-async-life", "+1")
        self.assertEqual(["online", "online"], await self.status_of("py-async-life"))
        # two requests in flight at once on the one connection
        listed, described_again = await asyncio.gather(self.client.list(), self.client.describe("py-async-life"))
        self.assertEqual(2, len(described_again))
        self.assertEqual(2, len([p for p in listed if p.name == "py-async-life"]))

        self.assertEqual(2, len(await self.client.delete("py-async-life")))
        self.assertEqual([], await self.status_of("py-async-life"))

    async def test_a_bad_target_raises_the_daemons_error(self) -> None:
        with self.assertRaises(UnknownTarget) as raised:
            await self.client.stop("py-async-ghost")
        self.assertEqual(11, raised.exception.code)
        self.assertEqual("process or namespace py-async-ghost not found", raised.exception.message)

    async def test_events_of_a_restart(self) -> None:
        await self.started("py-async-events")
        async with self.client.events(["process"], keepalive=0.2) as events:
            self.assertIsNone(await events.poll(1.0))
            await self.client.restart("py-async-events")
            seen: List[str] = []
            while not seen or seen[-1] != "launching>online":
                event = await async_wait_for(
                    events, lambda e: isinstance(e, ProcessEvent) and e.app == "py-async-events", "event"
                )
                seen.append(f"{event.from_state}>{event.to_state}")
        self.assertEqual(["online>stopping", "stopping>stopped", "stopped>launching", "launching>online"], seen)

    async def test_log_lines_of_an_app_that_prints(self) -> None:
        logs = await self.client.logs(["py-async-logs"])
        try:
            await self.started("py-async-logs", prefix="hello from asyncio")
            line = await async_wait_for(logs, lambda e: isinstance(e, LogLine), "log line of py-async-logs")
        finally:
            await logs.close()
        self.assertEqual("py-async-logs", line.app)
        self.assertRegex(line.line, r"^hello from asyncio \d+$")

    async def test_the_tcp_port_with_the_read_only_token(self) -> None:
        await self.started("py-async-readonly")
        async with AsyncClient(use_socket=False, token_file="token.readonly") as monitor:
            self.assertIn("py-async-readonly", [p.name for p in await monitor.list()])
            with self.assertRaises(Forbidden):
                await monitor.restart("py-async-readonly")

    async def test_events_go_on_after_the_daemon_is_killed_and_started_again(self) -> None:
        old = daemon_pid()
        async with self.client.events(["process"]) as events:
            # the CLI runs in a thread: the stream's connection is read meanwhile
            await asyncio.get_running_loop().run_in_executor(None, jpm, "kill")
            await asyncio.get_running_loop().run_in_executor(None, jpm, "ping")
            marker = await async_wait_for(events, lambda e: isinstance(e, Reconnected), "Reconnected")
            self.assertNotEqual(old, marker.pid)
            await self.started("py-async-after")
            online = await async_wait_for(
                events,
                lambda e: isinstance(e, ProcessEvent) and e.app == "py-async-after" and e.to_state == "online",
                "py-async-after online",
            )
        self.assertEqual(marker.pid, daemon_pid())
        self.assertIsNotNone(online.pid)


if __name__ == "__main__":
    unittest.main()
