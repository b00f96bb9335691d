"""Run Debian's nginx over a built site with ``deploy/nginx.conf``, as a normal command.

``deploy/nginx.conf`` is the server block a real host uses. Here it runs unchanged but for its
two settings (``listen`` and ``root``), inside a small main configuration in a temporary
directory (pid file, temp paths, logs), so it needs no root and touches nothing of the system's
nginx. ``make serve-site`` runs ``python -m generator.server`` in the foreground; the tests and
``make bench`` use ``running()``.
"""

from __future__ import annotations

import argparse
import contextlib
import grp
import os
import pwd
import re
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path

from generator import hosting

ROOT = Path(__file__).resolve().parent.parent
DEPLOY_CONF = ROOT / "deploy" / "nginx.conf"
NGINX = Path(os.environ.get("NGINX", "/usr/sbin/nginx"))
MIME_TYPES = Path("/etc/nginx/mime.types")
#: Debian's libnginx-mod-http-brotli-static (Debian's nginx has no brotli built in).
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")
#: The name the relative includes of deploy/nginx.conf use (``werkplekleren/server.conf``).
INCLUDE_DIR = "werkplekleren"
_SETTINGS = {
    "listen": re.compile(r"^([ \t]*listen[ \t]+)[^;]+;", re.M),
    "root": re.compile(r"^([ \t]*root[ \t]+)[^;]+;", re.M),
}


class ServerError(RuntimeError):
    pass


def server_block(root: Path, listen: str) -> str:
    """deploy/nginx.conf with its two settings set."""
    text = DEPLOY_CONF.read_text(encoding="utf-8")
    for name, value in (("listen", listen), ("root", str(root))):
        pattern = _SETTINGS[name]
        if len(pattern.findall(text)) != 1:
            raise ServerError(f"{DEPLOY_CONF} must have exactly one `{name}` line")
        if any(c in value for c in ' ;"\'{}$#\\\n'):
            raise ServerError(f"{name} {value!r}: no spaces or nginx syntax allowed")
        text = pattern.sub(rf"\g<1>{value};", text)
    return text


def check_site(root: Path) -> None:
    for name in ("http.conf", "server.conf"):
        if not (root / hosting.NGINX_DIR / name).is_file():
            raise ServerError(
                f"{root} heeft geen {hosting.NGINX_DIR}/{name}: bouw de site met `make site` "
                "(of `werkplekleren publish MAP` na een andere build)"
            )


def write_config(root: Path, listen: str, workdir: Path, access_log: str = "off") -> Path:
    """The main configuration around the server block; returns its path."""
    root = root.resolve()
    check_site(root)
    if not BROTLI_MODULE.is_file():
        raise ServerError(
            f"{BROTLI_MODULE} ontbreekt: apt-get install libnginx-mod-http-brotli-static "
            "(make test installeert het)"
        )
    link = workdir / INCLUDE_DIR
    if link.is_symlink() or link.exists():
        link.unlink()
    link.symlink_to(root / hosting.NGINX_DIR, target_is_directory=True)
    (workdir / "site.conf").write_text(server_block(root, listen), encoding="utf-8")
    user = ""
    if os.geteuid() == 0:
        # Workers would run as nobody and could not read a private temp dir.
        user = f"user {pwd.getpwuid(os.geteuid()).pw_name} {grp.getgrgid(os.getegid()).gr_name};"
    temp = "\n".join(
        f"    {kind}_temp_path {workdir / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    config = workdir / "nginx.conf"
    config.write_text(
        f"""# Written by generator/server.py; the site's own configuration is site.conf.
load_module {BROTLI_MODULE};
{user}
daemon off;
worker_processes 2;
pid {workdir / "nginx.pid"};
error_log {workdir / "error.log"} warn;
events {{
    worker_connections 1024;
}}
http {{
    include {MIME_TYPES};
    default_type application/octet-stream;
    sendfile on;
    tcp_nopush on;
    keepalive_requests 100000;
    access_log {access_log};
{temp}
    include {workdir / "site.conf"};
}}
""",
        encoding="utf-8",
    )
    return config


def arguments(config: Path) -> list[str]:
    """nginx's arguments for the wrapper configuration (prefix = its directory)."""
    return ["-p", f"{config.parent}/", "-c", str(config)]


def check_config(config: Path) -> subprocess.CompletedProcess[str]:
    """``nginx -t`` on the wrapper configuration (and so on deploy/nginx.conf)."""
    return subprocess.run(
        [str(NGINX), *arguments(config), "-t"], capture_output=True, text=True, check=False
    )


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port: int = s.getsockname()[1]
        return port


def _wait_ready(process: subprocess.Popen[bytes], host: str, port: int, log: Path) -> None:
    deadline = time.monotonic() + 15
    while time.monotonic() < deadline:
        if process.poll() is not None:
            error = log.read_text(encoding="utf-8", errors="replace") if log.exists() else ""
            raise ServerError(f"nginx stopped (exit {process.returncode}):\n{error}")
        with contextlib.suppress(OSError), socket.create_connection((host, port), timeout=0.2):
            return
        time.sleep(0.05)
    raise ServerError("nginx did not answer within 15 s")


@dataclass(frozen=True)
class Server:
    url: str
    port: int
    pid: int
    workdir: Path

    def reload(self) -> None:
        """Re-read the configuration (after a build with another policy)."""
        os.kill(self.pid, signal.SIGHUP)


@contextlib.contextmanager
def running(root: Path, host: str = "127.0.0.1") -> Iterator[Server]:
    """nginx over ``root`` on a free port of ``host``; stopped (and cleaned up) afterwards."""
    if not NGINX.is_file():
        raise ServerError(f"{NGINX} ontbreekt: apt-get install nginx (make test installeert het)")
    with tempfile.TemporaryDirectory(prefix="wpl-nginx-") as tmp:
        workdir = Path(tmp)
        for attempt in range(3):
            port = free_port()
            config = write_config(root, f"{host}:{port}", workdir)
            process = subprocess.Popen(
                [str(NGINX), *arguments(config)],
                stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL,
                stderr=subprocess.DEVNULL,
            )
            try:
                _wait_ready(process, host, port, workdir / "error.log")
            except ServerError as exc:
                process.kill()
                process.wait()
                if "Address already in use" in str(exc) and attempt < 2:
                    continue
                raise
            break
        try:
            yield Server(f"http://{host}:{port}/", port, process.pid, workdir)
        finally:
            process.terminate()
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()


def main(argv: Sequence[str] | None = None) -> int:
    """``make serve-site``: nginx in the foreground until Ctrl-C, access log on stdout."""
    parser = argparse.ArgumentParser(prog="python -m generator.server", description=__doc__)
    parser.add_argument("--root", type=Path, default=Path("site"))
    parser.add_argument("--host", default="127.0.0.1")
    parser.add_argument("--port", type=int, default=8080)
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory(prefix="wpl-nginx-") as tmp:
        try:
            config = write_config(args.root, f"{args.host}:{args.port}", Path(tmp), "/dev/stdout")
        except ServerError as exc:
            print(f"werkplekleren: {exc}", file=sys.stderr)
            return 2
        print(f"nginx serveert {args.root.resolve()} op http://{args.host}:{args.port}/ "
              "(Ctrl-C stopt)", flush=True)
        process = subprocess.Popen([str(NGINX), *arguments(config)])
        try:
            return process.wait()
        except KeyboardInterrupt:
            # nginx got the same Ctrl-C (one process group); make sure it stops.
            with contextlib.suppress(ProcessLookupError):
                process.send_signal(signal.SIGQUIT)
            return process.wait()
        finally:
            log = Path(tmp) / "error.log"
            if log.exists() and log.stat().st_size:
                sys.stderr.write(log.read_text(encoding="utf-8", errors="replace"))


if __name__ == "__main__":
    raise SystemExit(main())
