"""The Docker route: run the official `neo4j:<version>-community` image when an engine answers."""

from __future__ import annotations

import hashlib
import os
import shutil
import subprocess
from pathlib import Path

from lineage.neo4j.server import java
from lineage.neo4j.server.base import NEO4J_VERSION, Neo4jUnavailable, tail

IMAGE = f"neo4j:{NEO4J_VERSION}-community"
ENGINE_TIMEOUT = 5.0
PULL_TIMEOUT = 900.0


def engine_answers() -> bool:
    """Tell whether a Docker engine answers `docker info` within a few seconds."""
    docker = shutil.which("docker")
    if docker is None:
        return False
    try:
        done = subprocess.run(
            [docker, "info"], capture_output=True, timeout=ENGINE_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired:
        return False
    return done.returncode == 0


def container_name(data_dir: Path) -> str:
    """Return the container name derived from the data directory (stable across processes)."""
    digest = hashlib.sha256(str(data_dir).encode()).hexdigest()[:12]
    return f"lineage-neo4j-{digest}"


def run_args(data_dir: Path, port: int, heap: str, http_port: int | None = None) -> list[str]:
    """Return the `docker run` arguments for a loopback-only, auth-less dev server (with Neo4j
    Browser published on 127.0.0.1:`http_port` unless None)."""
    args = ["run", "-d", "--name", container_name(data_dir)]
    if hasattr(os, "getuid"):  # keep the files in the data dir owned by the caller
        args += ["--user", f"{os.getuid()}:{os.getgid()}"]
    if http_port is not None:
        args += ["-p", f"127.0.0.1:{http_port}:7474"]
    for key, value in java.http_settings(7474 if http_port is not None else None, port).items():
        if key.endswith("_address"):  # the container listens on all of its own interfaces
            continue
        args += ["-e", f"NEO4J_{key.replace('_', '__').replace('.', '_')}={value}"]
    args += [
        "-p",
        f"127.0.0.1:{port}:7687",
        "-e",
        f"NEO4J_server_bolt_advertised__address=127.0.0.1:{port}",  # what the Browser dials
        "-v",
        f"{data_dir / 'data'}:/data",
        "-v",
        f"{data_dir / 'logs'}:/logs",
        "-e",
        "NEO4J_AUTH=none",
        "-e",
        "NEO4J_dbms_usage__report_enabled=false",
        "-e",
        "NEO4J_server_memory_heap_initial__size=256m",
        "-e",
        f"NEO4J_server_memory_heap_max__size={heap}",
        "-e",
        "NEO4J_server_memory_pagecache_size=64m",
        IMAGE,
    ]
    return args


def start(data_dir: Path, port: int, heap: str, http_port: int | None) -> None:
    """Start the container (replacing a stopped one of the same name)."""
    for sub in ("data", "logs"):
        (data_dir / sub).mkdir(parents=True, exist_ok=True)
    _docker("rm", "-f", container_name(data_dir), check=False)
    # The first run pulls the image.
    _docker(*run_args(data_dir, port, heap, http_port), timeout=PULL_TIMEOUT)


def running(data_dir: Path) -> bool:
    """Tell whether the container for `data_dir` is running."""
    done = _docker("inspect", "-f", "{{.State.Running}}", container_name(data_dir), check=False)
    return done.returncode == 0 and done.stdout.strip() == "true"


def logs(data_dir: Path) -> str:
    """Return the last lines of the container's output."""
    done = _docker("logs", "--tail", "20", container_name(data_dir), check=False)
    return tail(done.stdout + done.stderr)


def stop(data_dir: Path, grace: float) -> None:
    """Stop (SIGTERM, then SIGKILL after `grace` seconds) and remove the container."""
    name = container_name(data_dir)
    _docker("stop", "-t", str(round(grace)), name, check=False)
    _docker("rm", "-f", name, check=False)


def _docker(
    *args: str, check: bool = True, timeout: float = 120.0
) -> subprocess.CompletedProcess[str]:
    """Run `docker ARGS`; with `check`, turn a failure or a time-out into Neo4jUnavailable."""
    try:
        done = subprocess.run(
            ["docker", *args], capture_output=True, text=True, timeout=timeout, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise Neo4jUnavailable(f"`docker {args[0]}` did not finish within {timeout:.0f}s") from exc
    if check and done.returncode != 0:
        raise Neo4jUnavailable(
            f"`docker {args[0]}` failed (exit {done.returncode}): "
            f"{tail(done.stderr, 1) or 'no output'}",
            detail=tail(done.stdout + done.stderr),
        )
    return done
