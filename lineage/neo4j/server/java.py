"""The Java route: run the real Neo4j Community server with `java` on the Maven-fetched jars."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

from lineage.neo4j.server.base import Neo4jUnavailable
from lineage.neo4j.server.class_archive import archive_flags

MAIN_CLASS = "org.neo4j.server.CommunityEntryPoint"
MIN_JAVA = 17
JVM_FLAGS = (
    "-Xms256m",
    "-XX:-OmitStackTraceInFastThrow",
    "-Dfile.encoding=UTF-8",
    # Without these three the page cache and the transaction log fall back to slower paths
    # and log warnings; `bin/neo4j` passes them through `server.jvm.additional`.
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "-Dio.netty.tryReflectionSetAccessible=true",
    "-Dlog4j2.disable.jmx=true",
)
CONSOLE_LOG = "console.log"
_VERSION = re.compile(r'version "(\d+)(?:\.(\d+))?')


def find_java() -> str:
    """Return the `java` on PATH, checked to be 17 or newer."""
    java = shutil.which("java")
    if java is None:
        raise Neo4jUnavailable("no Docker engine answered and `java` (17+) was not found on PATH")
    major = java_major(java)
    if major < MIN_JAVA:
        raise Neo4jUnavailable(
            f"no Docker engine answered and `java` on PATH ({java}) is Java {major}: "
            f"Neo4j 5.26 needs Java {MIN_JAVA} or 21"
        )
    return java


def java_major(java: str) -> int:
    """Return the major version `java -version` reports (8 for "1.8.0_x")."""
    done = subprocess.run(
        [java, "-version"], capture_output=True, text=True, timeout=60, check=False
    )
    return parse_java_major(done.stderr + done.stdout)


def parse_java_major(text: str) -> int:
    """Parse `java -version` output into its major version; 0 if unrecognisable."""
    match = _VERSION.search(text)
    if match is None:
        return 0
    first = int(match.group(1))
    return int(match.group(2) or 0) if first == 1 else first


def http_settings(http_port: int | None, bolt_port: int) -> dict[str, str]:
    """The settings of the HTTP connector: Neo4j Browser on 127.0.0.1:`http_port`, offline;
    off when `http_port` is None."""
    if http_port is None:
        return {"server.http.enabled": "false"}
    return {
        "server.http.enabled": "true",
        "server.http.listen_address": f"127.0.0.1:{http_port}",
        "server.http.advertised_address": f"127.0.0.1:{http_port}",
        "server.http_enabled_modules": "BROWSER",
        # An offline tool: the Browser sends no usage statistics nor crash reports, fetches
        # remote content (guides, `:play URL`) from this machine only, and its page may load
        # and reach nothing but this server (the default policy allows analytics, fonts, any
        # host).
        "client.allow_telemetry": "false",
        "browser.remote_content_hostname_whitelist": "localhost,127.0.0.1",
        "dbms.security.http_static_content_security_policy_header": browser_policy(bolt_port),
    }


def browser_policy(bolt_port: int) -> str:
    """The Content-Security-Policy of the Browser's page: its own files, and Bolt on loopback."""
    bolt = " ".join(
        f"{scheme}://{host}:{bolt_port}"
        for scheme in ("ws", "http")
        for host in ("127.0.0.1", "localhost")
    )
    return (
        "default-src 'self'; script-src 'self'; img-src 'self' data:; "
        "style-src 'self' 'unsafe-inline'; font-src 'self'; base-uri 'none'; "
        f"object-src 'none'; frame-ancestors 'none'; connect-src 'self' {bolt}"
    )


def write_config(data_dir: Path, port: int, lib: Path, http_port: int | None = None) -> Path:
    """Write `<data_dir>/conf/neo4j.conf` for a loopback-only dev server (with Neo4j Browser on
    `http_port` unless None); return the conf dir."""
    conf = data_dir / "conf"
    conf.mkdir(parents=True, exist_ok=True)
    dirs = {
        "data": data_dir / "data",
        "logs": data_dir / "logs",
        "run": data_dir / "run",
        "import": data_dir / "import",
        "plugins": data_dir / "plugins",
        "licenses": data_dir / "licenses",
        "lib": lib,
    }
    settings = {
        "server.default_listen_address": "127.0.0.1",
        "server.bolt.enabled": "true",
        "server.bolt.listen_address": f"127.0.0.1:{port}",
        "server.bolt.advertised_address": f"127.0.0.1:{port}",
        **http_settings(http_port, port),
        "server.https.enabled": "false",
        "dbms.security.auth_enabled": "false",
        "dbms.usage_report.enabled": "false",
        "server.memory.pagecache.size": "64m",
        "db.tx_log.preallocate": "false",  # else 256 MiB per database on disk from the start
        # Netty's default 5 s quiet period, spent twice, made every stop take ~11 s.
        "internal.dbms.bolt.netty_server_shutdown_quiet_period": "0",
        **{f"server.directories.{name}": str(path) for name, path in dirs.items()},
    }
    lines = [
        "# Written by `lineage db start`: a local development server, rewritten at each start.",
        "# Loopback only, with authentication disabled: never expose this port.",
        *(f"{key}={value}" for key, value in settings.items()),
    ]
    (conf / "neo4j.conf").write_text("\n".join(lines) + "\n", encoding="utf-8")
    return conf


def launch(
    java: str, lib: Path, data_dir: Path, port: int, heap: str, http_port: int | None
) -> subprocess.Popen[bytes]:
    """Start the server detached from this process's session with a Java heap of `heap` (and
    Neo4j Browser on `http_port` unless None); output goes to logs/console.log."""
    conf = write_config(data_dir, port, lib, http_port)
    logs = data_dir / "logs"
    logs.mkdir(parents=True, exist_ok=True)
    cmd = [
        java,
        *JVM_FLAGS,
        *archive_flags(java, lib),
        f"-Xmx{heap}",
        "-cp",
        str(lib / "*"),
        MAIN_CLASS,
        f"--home-dir={data_dir}",
        f"--config-dir={conf}",
        "--console-mode",
    ]
    with (logs / CONSOLE_LOG).open("ab") as console:
        return subprocess.Popen(
            cmd,
            cwd=data_dir,
            stdin=subprocess.DEVNULL,
            stdout=console,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )


def is_server_process(pid: int, data_dir: Path) -> bool:
    """Tell whether `pid` is a live Neo4j server for `data_dir` (guards against PID reuse)."""
    if not Path("/proc/self").is_dir():  # no /proc (macOS): trust a live pid
        return _pid_exists(pid)
    try:
        raw = Path(f"/proc/{pid}/cmdline").read_bytes()
    except OSError:
        return False
    args = raw.decode(errors="replace").split("\0")
    return MAIN_CLASS in args and f"--home-dir={data_dir}" in args


def _pid_exists(pid: int) -> bool:
    """Tell whether a process with this pid exists."""
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True
