"""Start, stop and inspect a local Neo4j server: Docker when an engine answers, else Java."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
from collections.abc import Callable
from pathlib import Path

from lineage.neo4j.server import docker, java, maven
from lineage.neo4j.server.base import (
    DATA_ENV,
    DEFAULT_HEAP,
    NEO4J_VERSION,
    Method,
    Neo4jUnavailable,
    ServerInfo,
    headline,
    tail,
)

STATE_FILE = "lineage-neo4j.json"
STOP_GRACE = 30.0
_POLL = 0.25
_CHILDREN: dict[int, subprocess.Popen[bytes]] = {}  # servers this process launched, by pid


def default_data_dir() -> Path:
    """Return the data directory used when none is given: `$LINEAGE_NEO4J_DATA`, else
    ~/.local/share/lineage/neo4j."""
    override = os.environ.get(DATA_ENV)
    if override:
        return Path(override).expanduser()
    return Path.home() / ".local" / "share" / "lineage" / "neo4j"


def free_port() -> int:
    """Return a TCP port on 127.0.0.1 that is free right now."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


def choose_method() -> Method:
    """Pick the route: "docker" when a Docker engine answers, else "java"."""
    return "docker" if docker.engine_answers() else "java"


def start_server(
    port: int = 7687,
    data_dir: Path | None = None,
    timeout: float = 180.0,
    *,
    http_port: int | None = None,
    heap: str = DEFAULT_HEAP,
    notify: Callable[[str], None] | None = None,
) -> ServerInfo:
    """Start a server with a Java heap of `heap` on 127.0.0.1:`port` (Neo4j Browser on
    `http_port` unless None), wait up to `timeout` s for Bolt; reuse one already serving
    `data_dir` on those ports. `notify` gets progress notes."""
    data_dir = _resolve(data_dir)
    current = server_status(data_dir)
    if current is not None:
        if (current.port, current.http_port) == (port, http_port):
            return current
        raise Neo4jUnavailable(
            f"a server for {data_dir} already runs at {current.uri}"
            + (f" and {current.browser_url}" if current.browser_url else " without HTTP")
            + f"; stop it first (`lineage db stop --data {data_dir}`)"
        )
    for wanted, option in ((port, "--port"), (http_port, "--http-port")):
        if wanted is not None:
            _check_port_free(wanted, option)
    data_dir.mkdir(parents=True, exist_ok=True)
    uri = f"bolt://127.0.0.1:{port}"
    if choose_method() == "docker":
        docker.start(data_dir, port, heap, http_port)
        info = ServerInfo(uri, port, data_dir, None, "docker", http_port)
    else:
        java_bin = java.find_java()
        lib = maven.ensure_classpath(notify=notify)
        proc = java.launch(java_bin, lib, data_dir, port, heap, http_port)
        _CHILDREN[proc.pid] = proc
        info = ServerInfo(uri, port, data_dir, proc.pid, "java", http_port)
    _write_state(info)
    try:
        _wait_ready(info, timeout)
    except BaseException:
        _terminate(info)
        raise
    return info


def server_status(data_dir: Path | None = None) -> ServerInfo | None:
    """Return the server recorded in `data_dir` if it is still running, else None."""
    info = _read_state(_resolve(data_dir))
    if info is None or not _alive(info):
        return None
    return info


def stop_server(data_dir: Path | None = None) -> bool:
    """Stop the server of `data_dir` (SIGTERM, SIGKILL after a grace period); False if none ran."""
    info = _read_state(_resolve(data_dir))
    if info is None:
        return False
    was_running = _alive(info)
    _terminate(info)
    return was_running


def _resolve(data_dir: Path | None) -> Path:
    """Return the absolute data directory, defaulting to `default_data_dir()`."""
    return (data_dir or default_data_dir()).expanduser().resolve()


def _check_port_free(port: int, option: str) -> None:
    """Raise Neo4jUnavailable unless 127.0.0.1:`port` can be bound."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as probe:
        probe.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            probe.bind(("127.0.0.1", port))
        except OSError as exc:
            raise Neo4jUnavailable(
                f"port {port} on 127.0.0.1 is not free ({exc.strerror}): pick another with {option}"
            ) from exc


def _wait_ready(info: ServerInfo, timeout: float) -> None:
    """Poll `verify_connectivity()` (and the HTTP port, if any) until both answer, the server
    dies or the deadline passes."""
    from neo4j import GraphDatabase  # imported here: it costs ~0.1 s at every CLI start
    from neo4j.exceptions import DriverError, Neo4jError

    deadline = time.monotonic() + timeout
    with GraphDatabase.driver(info.uri, auth=None, connection_timeout=2.0) as driver:
        while True:
            if not _alive(info):
                where, text = _startup_log(info)
                raise Neo4jUnavailable(
                    f"Neo4j exited during startup{_exit_code(info)}: "
                    f"{headline(text)} (see {where})",
                    detail=tail(text),
                )
            try:
                driver.verify_connectivity()
            except (DriverError, Neo4jError):
                pass
            else:
                if info.http_port is None or _accepts(info.http_port):
                    return
            if time.monotonic() >= deadline:
                where, text = _startup_log(info)
                raise Neo4jUnavailable(
                    f"Neo4j did not answer on {info.uri} within {timeout:.0f}s (see {where})",
                    detail=tail(text),
                )
            time.sleep(_POLL)


def _accepts(port: int) -> bool:
    """Tell whether something accepts TCP connections on 127.0.0.1:`port`."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0):
            return True
    except OSError:
        return False


def _startup_log(info: ServerInfo) -> tuple[str, str]:
    """Return where the server's console output is and its text."""
    if info.method == "docker":
        return f"docker logs {docker.container_name(info.data_dir)}", docker.logs(info.data_dir)
    path = info.data_dir / "logs" / java.CONSOLE_LOG
    try:
        return str(path), path.read_text(encoding="utf-8", errors="replace")
    except OSError:
        return str(path), ""


def _exit_code(info: ServerInfo) -> str:
    """Return " with code N" for a child of this process that has exited, else ""."""
    proc = _CHILDREN.get(info.pid) if info.pid is not None else None
    code = proc.poll() if proc is not None else None
    return "" if code is None else f" with code {code}"


def _alive(info: ServerInfo) -> bool:
    """Tell whether the recorded server still runs."""
    if info.method == "docker":
        return docker.running(info.data_dir)
    if info.pid is None:
        return False
    proc = _CHILDREN.get(info.pid)
    if proc is not None:
        return proc.poll() is None
    return java.is_server_process(info.pid, info.data_dir)


def _terminate(info: ServerInfo) -> None:
    """Stop the server however it runs and forget its state file."""
    if info.method == "docker":
        docker.stop(info.data_dir, STOP_GRACE)
    elif info.pid is not None:
        _stop_pid(info.pid, info.data_dir)
    (info.data_dir / STATE_FILE).unlink(missing_ok=True)


def _stop_pid(pid: int, data_dir: Path) -> None:
    """SIGTERM the Java server, then SIGKILL it if it outlives the grace period."""
    proc = _CHILDREN.pop(pid, None)
    if proc is not None:  # our own child: wait() also reaps it
        if proc.poll() is None:
            proc.terminate()
            try:
                proc.wait(STOP_GRACE)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()
        return
    for sig in (signal.SIGTERM, signal.SIGKILL):
        if not java.is_server_process(pid, data_dir):
            return
        try:
            os.kill(pid, sig)
        except ProcessLookupError:
            return
        deadline = time.monotonic() + STOP_GRACE
        while java.is_server_process(pid, data_dir) and time.monotonic() < deadline:
            time.sleep(_POLL)


def _write_state(info: ServerInfo) -> None:
    """Record the server in `<data_dir>/lineage-neo4j.json` (atomically)."""
    state = {
        "uri": info.uri,
        "port": info.port,
        "http_port": info.http_port,
        "pid": info.pid,
        "method": info.method,
        "version": NEO4J_VERSION,
    }
    path = info.data_dir / STATE_FILE
    partial = path.with_suffix(".json.partial")
    partial.write_text(json.dumps(state, indent=2) + "\n", encoding="utf-8")
    partial.replace(path)


def _read_state(data_dir: Path) -> ServerInfo | None:
    """Read the state file of `data_dir`; None if it is missing or unreadable."""
    try:
        state = json.loads((data_dir / STATE_FILE).read_text(encoding="utf-8"))
        method = state["method"]
        if method not in ("java", "docker"):
            return None
        pid = state["pid"]
        http_port = state.get("http_port")
        return ServerInfo(
            uri=str(state["uri"]),
            port=int(state["port"]),
            data_dir=data_dir,
            pid=None if pid is None else int(pid),
            method="docker" if method == "docker" else "java",
            http_port=None if http_port is None else int(http_port),
        )
    except (OSError, ValueError, KeyError, TypeError):
        return None
