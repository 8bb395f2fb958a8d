"""What the tests against a real daemon share: the daemon of JPM_HOME, driven through the jpm
launcher (JPM_BIN) as a user would, and waits that poll a stream with a deadline."""

from __future__ import annotations

import os
import subprocess
import time
import unittest
from typing import Any, Callable, List, Optional, TypeVar

from jpm_client import AsyncEventStream, EventStream

T = TypeVar("T")

LAUNCHER = os.environ.get("JPM_BIN", "")
HOME = os.environ.get("JPM_HOME", "")
# long enough for a daemon to start again on a busy CI machine
DEADLINE = 30.0

needs_daemon = unittest.skipUnless(
    LAUNCHER and HOME,
    "set JPM_HOME and JPM_BIN (the jpm launcher) to run the tests against a real daemon",
)


def jpm(*args: str) -> str:
    """Runs ``jpm <args>`` for JPM_HOME; its stdout. Fails the test on a non-zero exit."""
    run = subprocess.run([LAUNCHER, *args], capture_output=True, text=True, timeout=90)
    if run.returncode != 0:
        raise AssertionError(f"jpm {' '.join(args)} exited {run.returncode}:\n{run.stdout}{run.stderr}")
    return run.stdout


def daemon_pid() -> int:
    with open(os.path.join(HOME, "jpm.pid"), encoding="utf-8") as f:
        return int(f.read().strip())


def ticker(prefix: str) -> "dict[str, Any]":
    """pm2 options of an app that prints ``<prefix> <n>`` ten times a second until stopped."""
    loop = f'i=0; while true; do i=$((i+1)); echo "{prefix} $i"; sleep 0.1; done'
    return {"args": ["-c", loop]}


def wait_for(stream: EventStream[T], matches: Callable[[Any], bool], what: str) -> Any:
    """The first record of ``stream`` that ``matches``, within DEADLINE; fails naming what it saw."""
    seen: List[Any] = []
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        event = stream.poll(deadline - time.monotonic())
        if event is not None:
            if matches(event):
                return event
            seen.append(event)
    raise AssertionError(f"no {what} within {DEADLINE:g} s; seen: {seen}")


async def async_wait_for(stream: AsyncEventStream[T], matches: Callable[[Any], bool], what: str) -> Any:
    seen: List[Any] = []
    deadline = time.monotonic() + DEADLINE
    while time.monotonic() < deadline:
        event = await stream.poll(deadline - time.monotonic())
        if event is not None:
            if matches(event):
                return event
            seen.append(event)
    raise AssertionError(f"no {what} within {DEADLINE:g} s; seen: {seen}")


def transitions(events: List[Any], app: str) -> List[str]:
    return [f"{e.from_state}>{e.to_state}" for e in events if getattr(e, "app", None) == app]


def remaining(deadline: float) -> Optional[float]:
    return max(0.0, deadline - time.monotonic())
