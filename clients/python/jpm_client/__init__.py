"""A Python client for the jpm daemon, standard library only (docs/CLIENTS.md).

    from jpm_client import Client
    with Client() as jpm:
        jpm.start("worker.py", name="worker", instances=2)
        for event in jpm.events(["process"]):
            print(event)

``AsyncClient`` has the same methods for asyncio (``await``, ``async for``).
"""

from .aio import AsyncClient, AsyncEventStream
from .client import Client, EventStream
from .errors import (
    AlreadyLaunched,
    ConnectionLost,
    DiskFull,
    Forbidden,
    InternalError,
    InvalidArgument,
    InvalidConfig,
    JpmError,
    ScriptNotFound,
    SpawnFailed,
    Unavailable,
    UnknownTarget,
)
from .records import (
    AppMessage,
    AppMetrics,
    BalancerEvent,
    ClusterEvent,
    ConfigEvent,
    Event,
    HealthEvent,
    LogLine,
    MetricsSample,
    Process,
    ProcessEvent,
    ProcessMetrics,
    Reconnected,
    Summary,
)

__all__ = [
    "AsyncClient",
    "AsyncEventStream",
    "Client",
    "EventStream",
    "AlreadyLaunched",
    "ConnectionLost",
    "DiskFull",
    "Forbidden",
    "InternalError",
    "InvalidArgument",
    "InvalidConfig",
    "JpmError",
    "ScriptNotFound",
    "SpawnFailed",
    "Unavailable",
    "UnknownTarget",
    "AppMessage",
    "AppMetrics",
    "BalancerEvent",
    "ClusterEvent",
    "ConfigEvent",
    "Event",
    "HealthEvent",
    "LogLine",
    "MetricsSample",
    "Process",
    "ProcessEvent",
    "ProcessMetrics",
    "Reconnected",
    "Summary",
]
