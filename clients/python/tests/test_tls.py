"""Both forms over a bridge that speaks TLS (jpm.json's bridge.tls_key and tls_cert): a daemon of
its own in a fresh JPM_HOME, its certificate made with openssl."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import tempfile
import unittest
from typing import Dict

from jpm_client import AsyncClient, Client, Unavailable

from .support import LAUNCHER, needs_daemon


def self_signed(folder: str, name: str) -> str:
    """``name.key`` and a self-signed ``name.crt`` for 127.0.0.1 in ``folder``; the crt's path."""
    subprocess.run(
        ["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
         "-days", "2", "-subj", f"/CN={name}", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", f"{name}.key", "-out", f"{name}.crt"],
        cwd=folder, check=True, capture_output=True,
    )  # fmt: skip
    return os.path.join(folder, f"{name}.crt")


@needs_daemon
@unittest.skipUnless(shutil.which("openssl"), "openssl makes the test's certificates")
class TlsTest(unittest.IsolatedAsyncioTestCase):
    home: str
    certificate: str
    other: str
    env: Dict[str, str]

    @classmethod
    def setUpClass(cls) -> None:
        cls.home = tempfile.mkdtemp(prefix="jpm-py-tls-")
        cls.certificate = self_signed(cls.home, "bridge")
        cls.other = self_signed(tempfile.mkdtemp(prefix="jpm-py-other-"), "other")
        with open(os.path.join(cls.home, "jpm.json"), "w", encoding="utf-8") as f:
            json.dump({"bridge": {"tls_key": "bridge.key", "tls_cert": cls.certificate}}, f)
        cls.env = dict(os.environ, JPM_HOME=cls.home)
        subprocess.run([LAUNCHER, "ping"], env=cls.env, check=True, capture_output=True, timeout=90)

    @classmethod
    def tearDownClass(cls) -> None:
        subprocess.run([LAUNCHER, "kill"], env=cls.env, capture_output=True, timeout=90)

    def test_the_blocking_form_checks_the_bridges_certificate(self) -> None:
        with open(os.path.join(self.home, "daemon.json"), encoding="utf-8") as f:
            self.assertIn("bridgeTls", json.load(f))
        with Client(self.home, use_socket=False) as client:
            self.assertEqual([], client.list())
        with self.assertRaisesRegex(Unavailable, "failed the TLS check"):
            Client(self.home, ca_file=self.other).connect()

    async def test_the_asyncio_form_checks_the_bridges_certificate(self) -> None:
        async with AsyncClient(self.home, use_socket=False) as client:
            self.assertEqual([], await client.list())
        with self.assertRaisesRegex(Unavailable, "failed the TLS check"):
            await AsyncClient(self.home, ca_file=self.other).connect()


if __name__ == "__main__":
    unittest.main()
