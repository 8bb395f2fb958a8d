"""The blocking Client against a real daemon (JPM_HOME, JPM_BIN): see tests/support.py."""

from __future__ import annotations

import os
import subprocess
import tempfile
import unittest
from typing import List

from jpm_client import (
    Client,
    Forbidden,
    LogLine,
    ProcessEvent,
    Reconnected,
    Unavailable,
    UnknownTarget,
)

from .support import LAUNCHER, daemon_pid, jpm, needs_daemon, ticker, wait_for


@needs_daemon
class ClientTest(unittest.TestCase):
    def setUp(self) -> None:
        jpm("ping")  # a daemon for JPM_HOME (the IT started one; a test may have killed it)
        self.client = Client().connect()
        self.addCleanup(self.client.close)

    def started(self, name: str, prefix: str = "tick") -> int:
        """Starts a ticker app ``name``, deleted after the test; its pm_id."""
        summaries = self.client.start("/bin/sh", name=name, **ticker(prefix))
        self.addCleanup(self.delete_quietly, name)
        self.assertEqual([(name, "online")], [(s.name, s.status) for s in summaries])
        return summaries[0].pm_id

    def delete_quietly(self, name: str) -> None:
        try:
            with Client() as client:
                client.delete(name)
        except UnknownTarget:
            pass

    def status_of(self, name: str) -> "list[str]":
        return [p.status for p in self.client.list() if p.name == name]

    def test_lifecycle_of_a_real_app(self) -> None:
        pm_id = self.started("py-life")
        (described,) = self.client.describe("py-life")
        self.assertEqual(("py-life", pm_id, "online"), (described.name, described.pm_id, described.status))
        self.assertEqual("/bin/sh", described.description["pm2_env"]["pm_exec_path"])

        self.assertEqual(["stopped"], [s.status for s in self.client.stop("py-life")])
        self.assertEqual(["stopped"], self.status_of("py-life"))

        (restarted,) = self.client.restart("py-life")
        self.assertEqual("online", restarted.status)
        self.assertNotEqual(described.pid, restarted.pid)

        (reloaded,) = self.client.reload(pm_id)
        self.assertEqual("online", reloaded.status)
        self.assertNotEqual(restarted.pid, reloaded.pid)

        self.client.scale("py-life", 3)
        self.assertEqual(["online"] * 3, self.status_of("py-life"))
        self.client.scale("py-life", "-2")
        self.assertEqual(["online"], self.status_of("py-life"))

        deleted = self.client.delete("py-life")
        self.assertEqual(["py-life"], [s.name for s in deleted])
        self.assertEqual([], self.status_of("py-life"))

    def test_a_bad_target_raises_the_daemons_error(self) -> None:
        with self.assertRaises(UnknownTarget) as raised:
            self.client.restart("py-ghost")
        self.assertEqual(11, raised.exception.code)
        self.assertEqual("process or namespace py-ghost not found", raised.exception.message)
        self.assertEqual("jpm.cmd.restart", raised.exception.address)

    def test_events_of_a_restart(self) -> None:
        self.started("py-events")
        # keepalive pings every 0.2 s while nothing happens: the daemon's pongs keep the stream as it is
        with self.client.events(["process"], keepalive=0.2) as events:
            self.assertIsNone(events.poll(1.0))
            self.client.restart("py-events")
            seen: List[str] = []
            while not seen or seen[-1] != "launching>online":
                event = wait_for(events, lambda e: isinstance(e, ProcessEvent) and e.app == "py-events", "event")
                seen.append(f"{event.from_state}>{event.to_state}")
        self.assertEqual(["online>stopping", "stopping>stopped", "stopped>launching", "launching>online"], seen)

    def test_log_lines_of_an_app_that_prints(self) -> None:
        with self.client.logs("py-logs") as logs:
            self.started("py-logs", prefix="hello from py-logs")
            line = wait_for(logs, lambda e: isinstance(e, LogLine), "log line of py-logs")
        self.assertEqual(("py-logs", "out"), (line.app, line.stream))
        self.assertRegex(line.line, r"^hello from py-logs \d+$")

    def test_the_tcp_port_with_the_read_only_token(self) -> None:
        self.started("py-readonly")
        with Client(use_socket=False, token_file="token.readonly") as monitor:
            self.assertIn("py-readonly", [p.name for p in monitor.list()])
            with self.assertRaises(Forbidden) as raised:
                monitor.stop("py-readonly")
        self.assertEqual(16, raised.exception.code)
        self.assertIn("access denied", raised.exception.message)
        self.assertEqual(["online"], self.status_of("py-readonly"))

    def test_a_client_starts_a_daemon_when_asked(self) -> None:
        home = tempfile.mkdtemp(prefix="jpm-py-")
        with self.assertRaisesRegex(Unavailable, "no daemon running for " + home):
            Client(home).connect()
        kill = [LAUNCHER, "kill"]
        self.addCleanup(lambda: subprocess.run(kill, env=dict(os.environ, JPM_HOME=home), capture_output=True))
        with Client(home, start_daemon=True) as client:
            self.assertEqual([], client.list())
            self.assertTrue(os.path.exists(os.path.join(home, "daemon.json")))

    def test_events_go_on_after_the_daemon_is_killed_and_started_again(self) -> None:
        old = daemon_pid()
        with self.client.events(["process"]) as events:
            jpm("kill")
            jpm("ping")  # any command starts a daemon again
            marker = wait_for(events, lambda e: isinstance(e, Reconnected), "Reconnected")
            self.assertEqual(daemon_pid(), marker.pid)
            self.assertNotEqual(old, marker.pid)
            # the client's own connection comes back too, and the stream hears the new daemon
            self.started("py-after")
            online = wait_for(
                events,
                lambda e: isinstance(e, ProcessEvent) and e.app == "py-after" and e.to_state == "online",
                "py-after online",
            )
        self.assertEqual(marker.pid, daemon_pid())
        self.assertIsNotNone(online.pid)


if __name__ == "__main__":
    unittest.main()
