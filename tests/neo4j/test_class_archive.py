"""Class Data Sharing of the Java route: archives written at exit, adopted, mapped, cleaned up."""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from pathlib import Path

import pytest

from lineage.neo4j.server import ServerInfo
from lineage.neo4j.server.class_archive import (
    ABANDONED_AFTER,
    SETTLED_AFTER,
    archive_flags,
    archive_path,
)
from lineage.neo4j.server.maven import neo4j_home

pytestmark = pytest.mark.neo4j
JAVA = shutil.which("java")
needs_java = pytest.mark.skipif(JAVA is None, reason="no `java` on PATH")


def written_archive(java: str, lib: Path, part: Path, *work: str) -> None:
    """Have a real JVM on the class path of `lib` write its class archive to `part` at exit
    (`work`: options that make it load more classes)."""
    subprocess.run(
        [java, f"-XX:ArchiveClassesAtExit={part}", "-cp", str(lib / "*"), *work, "-version"],
        capture_output=True,
        check=True,
        cwd=lib,
    )


@pytest.fixture
def lib(tmp_path: Path) -> Path:
    """An empty class path directory; archives are written beside it."""
    found = tmp_path / "lib"
    found.mkdir()
    return found


def parts(lib: Path, *names: str) -> list[Path]:
    """Where servers write archives of these names for `lib`, before a start adopts one."""
    assert JAVA is not None
    stem = archive_path(JAVA, lib).stem
    return [lib.parent / f"{stem}.{name}.part" for name in names]


def age(path: Path, seconds: float) -> None:
    """Set the last write of `path` `seconds` back."""
    then = time.time() - seconds
    os.utime(path, (then, then))


@needs_java
def test_without_an_archive_the_server_writes_one_beside_its_jars(lib: Path) -> None:
    assert JAVA is not None
    (flag,) = archive_flags(JAVA, lib)
    option, _, path = flag.partition("=")
    assert option == "-XX:ArchiveClassesAtExit"
    assert Path(path).parent == lib.parent
    assert Path(path).name.startswith(archive_path(JAVA, lib).stem + ".")
    assert Path(path).suffix == ".part"
    assert archive_flags(JAVA, lib) != [flag]  # two servers started together write apart


@needs_java
def test_a_settled_archive_java_accepts_is_adopted_and_mapped(lib: Path) -> None:
    assert JAVA is not None
    archive = archive_path(JAVA, lib)
    smaller, larger, fresh = parts(lib, "a", "b", "c")
    written_archive(JAVA, lib, smaller)
    written_archive(JAVA, lib, larger, "-XshowSettings:all")  # loads more classes
    assert larger.stat().st_size > smaller.stat().st_size
    adopted = larger.read_bytes()
    for part in (smaller, larger):
        age(part, SETTLED_AFTER + 5)
    written_archive(JAVA, lib, fresh)  # still being written, as far as a start can tell

    assert archive_flags(JAVA, lib) == [f"-XX:SharedArchiveFile={archive}"]
    assert archive.read_bytes() == adopted  # the one with the most classes
    assert not smaller.exists() and not larger.exists()
    assert fresh.exists()
    done = subprocess.run(
        [JAVA, "-Xshare:on", f"-XX:SharedArchiveFile={archive}", "-cp", str(lib / "*"), "-version"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr

    age(fresh, SETTLED_AFTER + 5)  # its server has stopped since: a later start removes it
    assert archive_flags(JAVA, lib) == [f"-XX:SharedArchiveFile={archive}"]
    assert not fresh.exists() and archive.read_bytes() == adopted


@needs_java
def test_a_broken_archive_is_not_adopted_and_is_removed_once_abandoned(lib: Path) -> None:
    assert JAVA is not None
    archive = archive_path(JAVA, lib)
    recent, abandoned = parts(lib, "a", "b")
    for part, seconds in ((recent, SETTLED_AFTER + 5), (abandoned, ABANDONED_AFTER + 5)):
        part.write_bytes(b"\0" * 4096)  # a server killed while it wrote its archive
        age(part, seconds)

    (flag,) = archive_flags(JAVA, lib)
    assert flag.startswith("-XX:ArchiveClassesAtExit=")
    assert not archive.exists()
    assert recent.exists() and not abandoned.exists()
    assert not list(lib.parent.glob("hs_err*")) and not list(lib.glob("hs_err*"))


def test_the_session_server_shares_its_classes(neo4j_server: ServerInfo | None) -> None:
    if neo4j_server is None or neo4j_server.method != "java" or neo4j_server.pid is None:
        pytest.skip("no local Java-route server to inspect")
    args = Path(f"/proc/{neo4j_server.pid}/cmdline").read_bytes().decode().split("\0")
    sharing = [
        a for a in args if a.startswith(("-XX:SharedArchiveFile=", "-XX:ArchiveClassesAtExit="))
    ]
    assert len(sharing) == 1
    assert Path(sharing[0].partition("=")[2]).parent == neo4j_home()
