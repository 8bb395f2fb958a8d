"""The bodies of the requests (docs/PROTOCOL.md section 6), built the same way for the blocking and
the asyncio clients. Names and options are pm2's, as the daemon takes them."""

from __future__ import annotations

import os
from typing import Any, Dict, List, Mapping, Optional, Sequence, Union

Target = Union[str, int]
Targets = Union[Target, "os.PathLike[str]", Sequence[Target]]
Script = Union[str, "os.PathLike[str]"]

# pm2's rule for what is an ecosystem file rather than a script (io.jpm.protocol.EcosystemFileKind):
# the name contains one of these, anywhere.
ECOSYSTEM_MARKERS = (".json", ".yml", ".yaml", ".config.js", ".config.cjs", ".config.mjs")

# Options of a start request itself, not of the app (StartRequest).
START_REQUEST_OPTIONS = ("force", "only", "env_name", "action", "parallel", "strict")


def is_ecosystem_file(name: str) -> bool:
    return any(marker in name for marker in ECOSYSTEM_MARKERS)


def target_list(targets: Targets) -> List[str]:
    """An id, a name, ``all``, a namespace, a ``/regex/``, a script or an ecosystem file, or several."""
    if isinstance(targets, (str, int, os.PathLike)):
        items: Sequence[Any] = [targets]
    else:
        items = list(targets)
    if not items:
        raise ValueError("targets: give at least one (an id, a name, 'all', a namespace, a /regex/)")
    out = []
    for item in items:
        if isinstance(item, bool) or not isinstance(item, (str, int, os.PathLike)):
            raise ValueError(f"targets: {item!r} is not a name, an id or a path")
        out.append(str(item) if isinstance(item, int) else os.fspath(item))
    return out


def target_request(targets: Targets) -> Dict[str, Any]:
    """A TargetRequest. cwd resolves relative scripts and files; an ecosystem file among the targets
    is evaluated with this process's environment, as the CLI sends it."""
    names = target_list(targets)
    body: Dict[str, Any] = {"targets": names, "cwd": os.getcwd()}
    if any(is_ecosystem_file(name) for name in names):
        body["env"] = dict(os.environ)
    return body


def start_request(script_or_file: Script, options: Mapping[str, Any]) -> Dict[str, Any]:
    """A StartRequest: an ecosystem file (with ``only``, ``env_name``, ``action``, ``parallel``,
    ``strict``), or one app: its script and pm2's options (``name``, ``args``, ``instances``,
    ``env``, ``interpreter``, ``max_memory_restart``, ...). The apps start with this process's
    environment, as from the shell that runs ``jpm start``; the app's ``env`` goes over it."""
    target = os.fspath(script_or_file)
    if not isinstance(target, str) or not target:
        raise ValueError("start: give a script, a command, or an ecosystem file")
    app = {k: v for k, v in options.items() if k not in START_REQUEST_OPTIONS}
    body: Dict[str, Any] = {k: v for k, v in options.items() if k in START_REQUEST_OPTIONS}
    if isinstance(body.get("only"), str):
        body["only"] = [body["only"]]
    body["cwd"] = os.getcwd()
    body["env"] = dict(os.environ)
    if is_ecosystem_file(target):
        if app:
            raise ValueError(
                f"start: {', '.join(sorted(app))} go with a script; an ecosystem file takes its apps' "
                f"options from the file (and {', '.join(START_REQUEST_OPTIONS)})"
            )
        body["file"] = target
        body["apps"] = []
    else:
        if isinstance(app.get("args"), str):
            app["args"] = [app["args"]]
        body["apps"] = [dict(app, script=target)]
    return body


def restart_request(
    targets: Targets,
    update_env: bool = False,
    env: Optional[Mapping[str, str]] = None,
    env_name: Optional[str] = None,
    parallel: Optional[int] = None,
    options: Optional[Mapping[str, Any]] = None,
) -> Dict[str, Any]:
    """A restart or reload request: without ``update_env`` each app keeps the env it started with
    (pm2's immutable env); with it, ``env`` (default: this process's) goes over it."""
    body = target_request(targets)
    if update_env:
        body["update_env"] = True
        body["env"] = dict(os.environ if env is None else env)
    elif env is not None:
        body["env"] = dict(env)
    if env_name is not None:
        body["env_name"] = env_name
    if parallel is not None:
        body["parallel"] = parallel
    if options:
        body["options"] = dict(options)
    return body


def scale_request(name: str, count: Union[int, str]) -> Dict[str, Any]:
    """``count``: 4 sets the number of instances, "+2" / "-1" add or remove (as ``jpm scale``)."""
    if isinstance(count, bool) or not isinstance(count, (int, str)):
        raise ValueError(f"scale: count must be a number or '+N' / '-N', got {count!r}")
    return {"name": name, "count": str(count)}
