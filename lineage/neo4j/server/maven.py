"""Fetch the Neo4j server's jars from Maven Central once, into a per-version cache."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from importlib import resources
from pathlib import Path

from lineage.neo4j.server.base import (
    BROWSER_VERSION,
    NEO4J_VERSION,
    Neo4jUnavailable,
    headline,
    tail,
)

HOME_ENV = "LINEAGE_NEO4J_HOME"
DEPENDENCY_PLUGIN = "org.apache.maven.plugins:maven-dependency-plugin:3.6.1"
MAVEN_TIMEOUT = 1800.0
_COMPLETE = ".complete"
CLASSPATH_ID = f"{NEO4J_VERSION} browser {BROWSER_VERSION}"
"""What `.complete` holds after a fetch: a cache fetched for other versions is fetched again."""
_ANSI = re.compile(r"\x1b\[[0-9;]*m")


def neo4j_home() -> Path:
    """Return the cache holding `lib/`: `$LINEAGE_NEO4J_HOME`, else
    ~/.cache/lineage/neo4j/<version>-browser-<browser version>."""
    override = os.environ.get(HOME_ENV)
    if override:
        return Path(override).expanduser().resolve()
    cache = Path.home() / ".cache" / "lineage" / "neo4j"
    return cache / f"{NEO4J_VERSION}-browser-{BROWSER_VERSION}"


def cached_lib(home: Path) -> Path | None:
    """Return `home/lib` if a complete fetch of the pinned versions is there, else None."""
    lib = home / "lib"
    marker = lib / _COMPLETE
    if marker.is_file() and marker.read_text(encoding="utf-8").strip() == CLASSPATH_ID:
        return lib
    return None


def ensure_classpath(home: Path | None = None, notify: Callable[[str], None] | None = None) -> Path:
    """Return the directory of the server's jars, running Maven first if it is not cached.
    `notify` is told before a fetch starts (it can take minutes on a cold ~/.m2)."""
    home = home or neo4j_home()
    lib = cached_lib(home)
    if lib is not None:
        return lib
    mvn = shutil.which("mvn")
    if mvn is None:
        raise Neo4jUnavailable(
            "no Docker engine answered and `mvn` (Maven) was not found on PATH: it is needed "
            f"once to fetch the Neo4j {NEO4J_VERSION} jars into {home / 'lib'}"
        )
    home.mkdir(parents=True, exist_ok=True)
    with _locked(home / ".lock"):
        lib = cached_lib(home)  # another process may have fetched it while we waited
        if lib is None:
            if notify is not None:
                notify(f"fetching the Neo4j {NEO4J_VERSION} jars with Maven into {home / 'lib'}")
            lib = _fetch(mvn, home)
    return lib


def _fetch(mvn: str, home: Path) -> Path:
    """Run Maven into a staging directory, then move it to `home/lib` and mark it complete."""
    staging = home / "lib.partial"
    lib = home / "lib"
    shutil.rmtree(staging, ignore_errors=True)
    pom = home / "pom.xml"
    pom.write_bytes(resources.files("lineage.neo4j.server").joinpath("pom.xml").read_bytes())
    cmd = [
        mvn,
        "-B",
        "-q",
        "-f",
        str(pom),
        f"-Dneo4j.version={NEO4J_VERSION}",
        f"-Dneo4j.browser.version={BROWSER_VERSION}",
        f"{DEPENDENCY_PLUGIN}:copy-dependencies",
        "-DincludeScope=runtime",
        f"-DoutputDirectory={staging}",
    ]
    try:
        done = subprocess.run(
            cmd, cwd=home, capture_output=True, text=True, timeout=MAVEN_TIMEOUT, check=False
        )
    except subprocess.TimeoutExpired as exc:
        raise Neo4jUnavailable(
            f"Maven did not finish fetching the Neo4j {NEO4J_VERSION} jars "
            f"within {MAVEN_TIMEOUT:.0f}s"
        ) from exc
    if done.returncode != 0 or not any(staging.glob("*.jar")):
        output = _ANSI.sub("", done.stdout + "\n" + done.stderr)
        raise Neo4jUnavailable(
            f"Maven failed to fetch the Neo4j {NEO4J_VERSION} jars "
            f"(exit {done.returncode}): {headline(output)}",
            detail=f"$ {' '.join(cmd)}\n{tail(output)}",
        )
    shutil.rmtree(lib, ignore_errors=True)
    staging.rename(lib)
    (lib / _COMPLETE).write_text(CLASSPATH_ID + "\n", encoding="utf-8")
    return lib


@contextmanager
def _locked(path: Path) -> Iterator[None]:
    """Hold an exclusive advisory lock on `path` so concurrent fetches do not collide."""
    import fcntl  # POSIX only: imported here so that lineage.neo4j.server imports everywhere

    with path.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
