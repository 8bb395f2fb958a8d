"""The client's pure parts, without a daemon: frames, failures, records, request bodies, and how
it finds a daemon in JPM_HOME."""

from __future__ import annotations

import json
import os
import tempfile
import unittest

from jpm_client import (
    Forbidden,
    InternalError,
    LogLine,
    ProcessEvent,
    Unavailable,
    UnknownTarget,
)
from jpm_client.daemon import Locator
from jpm_client.records import Process, records
from jpm_client.bodies import restart_request, scale_request, start_request, target_request
from jpm_client.stream import LogFilter, address_of
from jpm_client.wire import FrameBuffer, encode, settle

EVENT = {
    "app": "api", "pm_id": 0, "pid": 1234, "from": "online", "to": "waiting restart",
    "reason": "exited with code 1; restart in 100 ms", "exit_code": 1, "signal": None,
    "time": 1795320564471, "host": "box", "old_run": False,
}  # fmt: skip


class FramesTest(unittest.TestCase):
    def test_frames_in_pieces_come_out_whole(self) -> None:
        data = encode({"type": "pong"}) + encode({"type": "message", "address": "r1", "body": {"ok": True}})
        buffer = FrameBuffer()
        self.assertEqual([], buffer.feed(data[:3]))
        self.assertEqual([{"type": "pong"}], buffer.feed(data[3:20]))
        self.assertEqual("r1", buffer.feed(data[20:])[0]["address"])

    def test_a_frame_is_a_big_endian_length_then_json(self) -> None:
        self.assertEqual(b'\x00\x00\x00\x0f{"type":"ping"}', encode({"type": "ping"}))

    def test_a_reply_gives_its_data_and_other_frames_are_not_it(self) -> None:
        reply = {"type": "message", "address": "r1", "body": {"ok": True, "data": [1]}, "send": True}
        self.assertEqual((True, [1]), settle(reply, "r1", "jpm.query.list"))
        self.assertEqual((False, None), settle(dict(reply, address="r2"), "r1", "jpm.query.list"))
        self.assertEqual((False, None), settle({"type": "pong"}, "r1", "jpm.query.list"))

    def test_an_err_frame_raises_its_code_and_message(self) -> None:
        err = {"type": "err", "address": "r1", "failureCode": 11, "failureType": "RECIPIENT_FAILURE",
               "message": "process or namespace api not found"}  # fmt: skip
        with self.assertRaises(UnknownTarget) as raised:
            settle(err, "r1", "jpm.cmd.stop")
        self.assertEqual((11, "process or namespace api not found", "jpm.cmd.stop"),
                         (raised.exception.code, raised.exception.message, raised.exception.address))  # fmt: skip

    def test_failures_without_a_jpm_code(self) -> None:
        with self.assertRaises(Forbidden):
            settle({"type": "err", "message": "access_denied"}, "r1", "jpm.internal.x")
        with self.assertRaises(Unavailable):
            settle({"type": "err", "address": "r1", "failureCode": -1, "failureType": "TIMEOUT",
                    "message": "Timed out"}, "r1", "jpm.cmd.stop")  # fmt: skip
        with self.assertRaises(InternalError) as raised:
            settle({"type": "err", "address": "r1", "failureCode": 42, "message": "new"}, "r1", "jpm.cmd.x")
        self.assertEqual(42, raised.exception.code)


class RecordsTest(unittest.TestCase):
    def test_a_process_event(self) -> None:
        (event,) = records("jpm.events.process", EVENT)
        assert isinstance(event, ProcessEvent)
        self.assertEqual(
            ("online", "waiting restart", 1, None), (event.from_state, event.to_state, event.exit_code, event.signal)
        )

    def test_another_hosts_events_and_unknown_kinds(self) -> None:
        self.assertIsInstance(records("jpm.host.web-2.events.process", EVENT)[0], ProcessEvent)
        self.assertEqual([], records("jpm.events.somethingNew", {"a": 1}))

    def test_a_log_batch_is_one_record_a_line(self) -> None:
        batch = {"host": "box", "seq": 7, "lines": [
            {"app": "api", "pm_id": 0, "stream": "out", "line": "one", "time": 1},
            {"app": "web", "pm_id": 1, "stream": "err", "line": "two", "time": 2}]}  # fmt: skip
        lines = [x for x in records("jpm.events.log", batch) if isinstance(x, LogLine)]
        self.assertEqual([LogLine("api", 0, "out", "one", 1, "box"), LogLine("web", 1, "err", "two", 2, "box")], lines)
        keep = LogFilter(["web"])
        self.assertEqual(["two"], [x.line for x in lines if keep(x)])
        self.assertTrue(LogFilter("0")(lines[0]) and LogFilter("/^we/")(lines[1]) and LogFilter(None)(lines[1]))

    def test_a_process_row_of_jlist(self) -> None:
        row = {"pid": 0, "name": "api", "pm_id": "_old_0", "monit": {"memory": 5, "cpu": 1.5},
               "pm2_env": {"status": "stopped", "restart_time": 3, "namespace": "default"}}  # fmt: skip
        process = Process.from_json(row)
        self.assertEqual(
            (None, "_old_0", "stopped", 3, 1.5),
            (process.pid, process.pm_id, process.status, process.restarts, process.cpu),
        )


class RequestsTest(unittest.TestCase):
    def test_a_script_with_pm2_options(self) -> None:
        body = start_request("worker.py", {"name": "w", "args": "--fast", "instances": 2, "force": True})
        self.assertEqual([{"name": "w", "args": ["--fast"], "instances": 2, "script": "worker.py"}], body["apps"])
        self.assertEqual((True, os.getcwd()), (body["force"], body["cwd"]))

    def test_an_ecosystem_file(self) -> None:
        body = start_request("ecosystem.config.js", {"only": "api", "env_name": "production"})
        self.assertEqual(("ecosystem.config.js", [], ["api"]), (body["file"], body["apps"], body["only"]))
        with self.assertRaisesRegex(ValueError, "name go with a script"):
            start_request("apps.json", {"name": "x"})

    def test_targets_and_counts(self) -> None:
        self.assertEqual(["api", "3"], target_request(["api", 3])["targets"])
        self.assertNotIn("env", target_request("api"))
        self.assertIn("env", target_request("apps.yml"))
        self.assertEqual({"name": "api", "count": "+2"}, scale_request("api", "+2"))
        self.assertTrue(restart_request("api", update_env=True)["update_env"])
        for bad in ([], [None], True):
            with self.assertRaises(ValueError):
                target_request(bad)  # type: ignore[arg-type]
        with self.assertRaisesRegex(ValueError, "unknown kind 'proces'; the kinds are process, metrics"):
            address_of("proces")


class LocatorTest(unittest.TestCase):
    def setUp(self) -> None:
        self.home = tempfile.mkdtemp(prefix="jpm-client-test-")

    def write(self, name: str, text: str) -> str:
        path = os.path.join(self.home, name)
        with open(path, "w", encoding="utf-8") as f:
            f.write(text)
        return path

    def test_no_daemon_json_says_no_daemon(self) -> None:
        with self.assertRaisesRegex(Unavailable, "no daemon running for .*daemon.json is missing"):
            Locator(self.home).find()

    def test_the_tcp_port_with_the_token_file_when_the_socket_is_not_there(self) -> None:
        info = {"pid": 7, "bridgeHost": "0.0.0.0", "bridgePort": 9620, "socket": os.path.join(self.home, "jpm.sock")}
        self.write("daemon.json", json.dumps(info))
        self.write("token", "secret\n")
        endpoint = Locator(self.home).find()
        self.assertEqual(
            (None, "127.0.0.1", 9620, "secret", 7),
            (endpoint.socket_path, endpoint.host, endpoint.port, endpoint.token, endpoint.pid),
        )

    def test_a_ca_of_ones_own_refuses_a_plain_bridge(self) -> None:
        info = {"bridgeHost": "127.0.0.1", "bridgePort": 9620, "socket": self.write("jpm.sock", "")}
        self.write("daemon.json", json.dumps(info))
        self.write("token", "secret\n")
        ca = self.write("ca.pem", "PEM")
        self.assertEqual(info["socket"], Locator(self.home).find().socket_path)
        with self.assertRaisesRegex(Unavailable, f"ca_file {ca} is set but .* speaks plain text"):
            Locator(self.home, ca_file=ca).find()

    def test_a_token_that_is_a_link_is_not_read(self) -> None:
        self.write("daemon.json", json.dumps({"bridgeHost": "127.0.0.1", "bridgePort": 9620, "socket": None}))
        os.symlink(self.write("elsewhere", "planted\n"), os.path.join(self.home, "token"))
        with self.assertRaisesRegex(Unavailable, "token is not a regular file of yours"):
            Locator(self.home).find()


if __name__ == "__main__":
    unittest.main()
