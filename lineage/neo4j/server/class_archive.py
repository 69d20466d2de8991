"""Class Data Sharing for the Java route: the first server writes an archive of the classes it
loaded when it exits; later servers map it instead of loading and verifying ~20k classes."""

from __future__ import annotations

import hashlib
import subprocess
import time
import uuid
from collections.abc import Iterable
from pathlib import Path

SETTLED_AFTER = 30.0
"""Seconds after its last write that a written archive is complete (its JVM has exited)."""
ABANDONED_AFTER = 3600.0
"""Seconds after which an archive that Java refuses is removed (a server killed mid-write)."""
_NO_CRASH_FILES = ("-XX:ErrorFile=/dev/null", "-XX:-CreateCoredumpOnCrash")
"""A truncated archive crashes the checking JVM: no hs_err log or core file in the working dir."""


def archive_path(java: str, lib: Path) -> Path:
    """Where the archive of the server in `lib` run by `java` lives: beside `lib`, named after
    the Java runtime (an archive only maps into the JVM that wrote it)."""
    real = Path(java).resolve()
    stat = real.stat()
    tag = hashlib.sha256(f"{real}|{stat.st_size}|{stat.st_mtime_ns}".encode()).hexdigest()[:12]
    return lib.parent / f"classes-{tag}.jsa"


def archive_flags(java: str, lib: Path) -> list[str]:
    """The JVM flag that maps the archive when there is one, else the flag that writes one
    (under a name of its own, adopted by a later start) when this server exits."""
    archive = archive_path(java, lib)
    _adopt_written(java, lib, archive)
    if archive.is_file():
        return [f"-XX:SharedArchiveFile={archive}"]
    return [f"-XX:ArchiveClassesAtExit={archive.with_name(_part_name(archive))}"]


def _part_name(archive: Path) -> str:
    return f"{archive.stem}.{uuid.uuid4().hex}.part"


def _adopt_written(java: str, lib: Path, archive: Path) -> None:
    """Rename to `archive` (unless there is one) the largest settled archive an earlier server
    wrote that Java accepts for this class path (the most classes); remove the other settled
    ones, also those of servers that were still running when one was adopted, and abandoned
    ones Java refuses."""
    now = time.time()
    for part, written in _largest_first(archive.parent.glob(f"{archive.stem}.*.part")):
        age = now - written
        if age < SETTLED_AFTER:
            continue
        if not archive.is_file() and _accepted(java, lib, part):
            part.replace(archive)
        elif archive.is_file() or age > ABANDONED_AFTER:
            part.unlink(missing_ok=True)  # written by a server started alongside, or refused


def _largest_first(parts: Iterable[Path]) -> list[tuple[Path, float]]:
    """Each archive with its last write time, the largest first (vanished ones left out)."""
    found = []
    for part in parts:
        try:
            stat = part.stat()
        except FileNotFoundError:  # adopted or removed by another start meanwhile
            continue
        found.append((stat.st_size, part.name, part, stat.st_mtime))
    return [(part, written) for _, _, part, written in sorted(found, reverse=True)]


def _accepted(java: str, lib: Path, archive: Path) -> bool:
    """Whether `java` maps `archive` for the class path of `lib` (`-Xshare:on` fails if not)."""
    check = [java, "-Xshare:on", f"-XX:SharedArchiveFile={archive}", *_NO_CRASH_FILES]
    done = subprocess.run(
        [*check, "-cp", str(lib / "*"), "-version"],
        capture_output=True,
        timeout=60,
        check=False,
    )
    return done.returncode == 0
