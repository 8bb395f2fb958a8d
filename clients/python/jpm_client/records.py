"""Typed records of what the daemon answers and publishes (docs/PROTOCOL.md sections 6-8).

Each is built from the JSON the daemon sends with ``from_json``; a field the daemon leaves out
reads as None (or empty), so a newer daemon's extra fields and an older one's missing ones do
not break a reader.
"""

from __future__ import annotations

import time as _time
from dataclasses import dataclass, field
from typing import Any, Callable, Dict, List, Mapping, Optional, Union

Json = Mapping[str, Any]


def _opt_int(value: Any) -> Optional[int]:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _int(value: Any) -> int:
    return _opt_int(value) or 0


def _opt_str(value: Any) -> Optional[str]:
    return value if isinstance(value, str) else None


def _str(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _float(value: Any) -> float:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else 0.0


def _strings(value: Any) -> List[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def _object(value: Any) -> Dict[str, Any]:
    return dict(value) if isinstance(value, dict) else {}


@dataclass(frozen=True)
class Summary:
    """What a command answers for each instance it acted on: ``{"pm_id","name","status","pid"}``."""

    pm_id: int
    name: str
    status: str
    pid: Optional[int]
    # why the instance could not be launched (it is errored), else None
    error: Optional[str] = None
    # what reading the app's options noticed without refusing it, one line each
    warnings: List[str] = field(default_factory=list)

    @staticmethod
    def from_json(body: Json) -> "Summary":
        return Summary(
            pm_id=_int(body.get("pm_id")),
            name=_str(body.get("name")),
            status=_str(body.get("status")),
            pid=_opt_int(body.get("pid")),
            error=_opt_str(body.get("error")),
            warnings=_strings(body.get("warnings")),
        )


@dataclass(frozen=True)
class Process:
    """One row of ``jpm.query.list`` / ``describe``: pm2's jlist shape, the fields a caller reads
    most as attributes, and the whole row in ``description``."""

    name: str
    # an int; "_old_<pm_id>" (a str) for a run a rolling reload is replacing
    pm_id: Union[int, str]
    # None when no process runs (jlist says 0)
    pid: Optional[int]
    status: str
    namespace: str
    restarts: int
    cpu: float
    memory: int
    description: Dict[str, Any]

    @staticmethod
    def from_json(body: Json) -> "Process":
        env = _object(body.get("pm2_env"))
        monit = _object(body.get("monit"))
        pm_id = body.get("pm_id")
        return Process(
            name=_str(body.get("name")),
            pm_id=pm_id if isinstance(pm_id, str) else _int(pm_id),
            pid=_opt_int(body.get("pid")) or None,
            status=_str(env.get("status")),
            namespace=_str(env.get("namespace")),
            restarts=_int(env.get("restart_time")),
            cpu=_float(monit.get("cpu")),
            memory=_int(monit.get("memory")),
            description=dict(body),
        )


@dataclass(frozen=True)
class ProcessEvent:
    """``jpm.events.process``: an instance changed state (``from_state`` -> ``to_state``), or was
    deleted (``to_state`` "deleted")."""

    app: str
    pm_id: int
    pid: Optional[int]
    from_state: str
    to_state: str
    reason: str
    exit_code: Optional[int]
    signal: Optional[str]
    time: int
    host: str
    # an event of the run a rolling reload is replacing (its pm_id already names the new run)
    old_run: bool

    @staticmethod
    def from_json(body: Json) -> "ProcessEvent":
        return ProcessEvent(
            app=_str(body.get("app")),
            pm_id=_int(body.get("pm_id")),
            pid=_opt_int(body.get("pid")),
            from_state=_str(body.get("from")),
            to_state=_str(body.get("to")),
            reason=_str(body.get("reason")),
            exit_code=_opt_int(body.get("exit_code")),
            signal=_opt_str(body.get("signal")),
            time=_int(body.get("time")),
            host=_str(body.get("host")),
            old_run=body.get("old_run") is True,
        )


@dataclass(frozen=True)
class LogLine:
    """One line an app wrote, from a ``jpm.events.log`` batch (the line without its newline)."""

    app: str
    pm_id: int
    # "out" or "err"
    stream: str
    line: str
    time: int
    host: str

    @staticmethod
    def from_batch(body: Json) -> List["LogLine"]:
        host = _str(body.get("host"))
        lines = body.get("lines")
        return [
            LogLine(
                app=_str(line.get("app")),
                pm_id=_int(line.get("pm_id")),
                stream=_str(line.get("stream")),
                line=_str(line.get("line")),
                time=_int(line.get("time")),
                host=host,
            )
            for line in (lines if isinstance(lines, list) else [])
            if isinstance(line, dict)
        ]


@dataclass(frozen=True)
class ProcessMetrics:
    pm_id: int
    pid: Optional[int]
    # percent of one core over the last period
    cpu: float
    # resident bytes of the instance's process group
    memory: int


@dataclass(frozen=True)
class MetricsSample:
    """``jpm.events.metrics``: every second while an instance runs."""

    host: str
    time: int
    processes: List[ProcessMetrics]

    @staticmethod
    def from_json(body: Json) -> "MetricsSample":
        processes = body.get("processes")
        return MetricsSample(
            host=_str(body.get("host")),
            time=_int(body.get("time")),
            processes=[
                ProcessMetrics(
                    pm_id=_int(p.get("pm_id")),
                    pid=_opt_int(p.get("pid")),
                    cpu=_float(p.get("cpu")),
                    memory=_int(p.get("memory")),
                )
                for p in (processes if isinstance(processes, list) else [])
                if isinstance(p, dict)
            ],
        )


@dataclass(frozen=True)
class BalancerEvent:
    """``jpm.events.balancer``: ``event`` is listening, closed, ready, not_ready, out, draining,
    drained, retry, no_instance or down."""

    app: str
    event: str
    pm_id: Optional[int]
    pid: Optional[int]
    port: Optional[int]
    detail: str
    time: int
    host: str

    @staticmethod
    def from_json(body: Json) -> "BalancerEvent":
        return BalancerEvent(
            app=_str(body.get("app")),
            event=_str(body.get("event")),
            pm_id=_opt_int(body.get("pm_id")),
            pid=_opt_int(body.get("pid")),
            port=_opt_int(body.get("port")),
            detail=_str(body.get("detail")),
            time=_int(body.get("time")),
            host=_str(body.get("host")),
        )


@dataclass(frozen=True)
class HealthEvent:
    """``jpm.events.health``: an instance's probe verdict (``healthy`` or ``unhealthy``) changed."""

    app: str
    pm_id: int
    pid: Optional[int]
    status: str
    reason: str
    time: int
    host: str

    @staticmethod
    def from_json(body: Json) -> "HealthEvent":
        return HealthEvent(
            app=_str(body.get("app")),
            pm_id=_int(body.get("pm_id")),
            pid=_opt_int(body.get("pid")),
            status=_str(body.get("status")),
            reason=_str(body.get("reason")),
            time=_int(body.get("time")),
            host=_str(body.get("host")),
        )


@dataclass(frozen=True)
class ConfigEvent:
    """``jpm.events.config``: a watched ecosystem file or jpm.json was applied, refused or waits."""

    file: str
    # "ecosystem" or "settings"
    kind: str
    # "applied", "refused" or "waiting"
    status: str
    error: Optional[str]
    at: int
    added: List[str]
    changed: List[str]
    removed: List[str]
    unchanged: List[str]
    warnings: List[str]

    @staticmethod
    def from_json(body: Json) -> "ConfigEvent":
        return ConfigEvent(
            file=_str(body.get("file")),
            kind=_str(body.get("kind")),
            status=_str(body.get("status")),
            error=_opt_str(body.get("error")),
            at=_int(body.get("at")),
            added=_strings(body.get("added")),
            changed=_strings(body.get("changed")),
            removed=_strings(body.get("removed")),
            unchanged=_strings(body.get("unchanged")),
            warnings=_strings(body.get("warnings")),
        )


@dataclass(frozen=True)
class AppMetrics:
    """``jpm.events.appMetrics``: one scrape of an instance's ``metrics_url``; ``samples`` as sent
    (``{"name","type","labels","value"}``), empty when ``error`` says why the scrape failed."""

    app: str
    pm_id: int
    pid: Optional[int]
    url: str
    time: int
    host: str
    error: Optional[str]
    samples: List[Dict[str, Any]]

    @staticmethod
    def from_json(body: Json) -> "AppMetrics":
        samples = body.get("samples")
        return AppMetrics(
            app=_str(body.get("app")),
            pm_id=_int(body.get("pm_id")),
            pid=_opt_int(body.get("pid")),
            url=_str(body.get("url")),
            time=_int(body.get("time")),
            host=_str(body.get("host")),
            error=_opt_str(body.get("error")),
            samples=[dict(s) for s in samples if isinstance(s, dict)] if isinstance(samples, list) else [],
        )


@dataclass(frozen=True)
class AppMessage:
    """``jpm.events.appMessage``: a Node app's ``process.send(x)`` (pm2's ``process:msg``)."""

    app: str
    pm_id: int
    pid: Optional[int]
    message: Any
    time: int
    host: str

    @staticmethod
    def from_json(body: Json) -> "AppMessage":
        return AppMessage(
            app=_str(body.get("app")),
            pm_id=_int(body.get("pm_id")),
            pid=_opt_int(body.get("pid")),
            message=body.get("message"),
            time=_int(body.get("time")),
            host=_str(body.get("host")),
        )


@dataclass(frozen=True)
class ClusterEvent:
    """``jpm.events.cluster`` (a clustered daemon): a member is ``up``, ``left`` or ``forgotten``."""

    node: str
    status: str
    at: int

    @staticmethod
    def from_json(body: Json) -> "ClusterEvent":
        return ClusterEvent(node=_str(body.get("node")), status=_str(body.get("status")), at=_int(body.get("at")))


@dataclass(frozen=True)
class Reconnected:
    """Not a daemon event: the stream lost its daemon and is registered again with one (the same
    one, or a new one after ``jpm kill``/``jpm update``). Events published in between are lost:
    the bus is not replayed; ask ``list()`` for the state now."""

    # the daemon's pid now, when daemon.json said it
    pid: Optional[int]
    # connection attempts it took
    attempts: int
    # ms since the epoch, as the daemon's events
    time: int = field(default_factory=lambda: int(_time.time() * 1000))


Event = Union[
    ProcessEvent,
    LogLine,
    MetricsSample,
    BalancerEvent,
    HealthEvent,
    ConfigEvent,
    AppMetrics,
    AppMessage,
    ClusterEvent,
    Reconnected,
]

# Every kind of event the daemon publishes, by the last part of its address (jpm.events.<kind>).
_PARSERS: Dict[str, Callable[[Json], Event]] = {
    "process": ProcessEvent.from_json,
    "metrics": MetricsSample.from_json,
    "balancer": BalancerEvent.from_json,
    "health": HealthEvent.from_json,
    "config": ConfigEvent.from_json,
    "appMetrics": AppMetrics.from_json,
    "appMessage": AppMessage.from_json,
    "cluster": ClusterEvent.from_json,
}
KINDS = tuple(_PARSERS) + ("log",)


def kind_of(address: str) -> str:
    """``jpm.events.process`` and another host's ``jpm.host.web-2.events.process`` are "process"."""
    return address.rsplit(".", 1)[-1]


def records(address: str, body: Any) -> List[Event]:
    """The records of one event message: one, or one per line of a log batch; none for a body of
    an unknown kind (a newer daemon's)."""
    if not isinstance(body, dict):
        return []
    kind = kind_of(address)
    if kind == "log":
        return list(LogLine.from_batch(body))
    parser = _PARSERS.get(kind)
    return [parser(body)] if parser else []
