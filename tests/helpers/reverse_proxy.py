"""The shipped nginx example in front of a server, as the deployment guide installs it.

``installer/server/nginx-instancias.conf`` is copied with only what an IT office changes: the
ports (free ones on 127.0.0.1), a self-signed certificate, and the server's port. nginx runs in
the foreground from a folder of its own and is stopped by its PID.
"""

import os
import re
import signal
import subprocess
import time
from pathlib import Path
from types import TracebackType
from typing import Self

import requests

from helpers.central_process import free_port

NGINX = "/usr/sbin/nginx"
SHIPPED = Path(__file__).resolve().parents[2] / "installer" / "server" / "nginx-instancias.conf"


class ReverseProxy:
    """nginx with the shipped site, forwarding to ``upstream_port``; HTTPS at ``url``."""

    def __init__(self, folder: Path, upstream_port: int) -> None:
        self.folder = folder
        self.upstream_port = upstream_port
        self.http_port, self.https_port = free_port(), free_port()
        self.certificate = folder / "fullchain.pem"
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def url(self) -> str:
        return f"https://127.0.0.1:{self.https_port}"

    def session(self) -> requests.Session:
        """A client that trusts this proxy's certificate (and no CA bundle from the
        environment, which requests would otherwise prefer)."""
        session = requests.Session()
        session.trust_env = False
        session.verify = str(self.certificate)
        return session

    def configure(self) -> Path:
        """The main configuration around the shipped site; answers its path."""
        self.folder.mkdir(parents=True, exist_ok=True)
        key = self.folder / "privkey.pem"
        subprocess.run(
            ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2",
             "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
             "-keyout", str(key), "-out", str(self.certificate)],
            check=True, capture_output=True,
        )  # fmt: skip
        site = SHIPPED.read_text(encoding="utf-8")
        site = site.replace("listen 80;", f"listen 127.0.0.1:{self.http_port};")
        site = site.replace("listen 443 ", f"listen 127.0.0.1:{self.https_port} ")
        site = site.replace("/etc/ssl/instancias/fullchain.pem", str(self.certificate))
        site = site.replace("/etc/ssl/instancias/privkey.pem", str(key))
        site = re.sub(r"127\.0\.0\.1:8765", f"127.0.0.1:{self.upstream_port}", site)
        (self.folder / "site.conf").write_text(site, encoding="utf-8")
        temp = "".join(
            f"    {kind}_temp_path {self.folder / kind};\n"
            for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
        )
        main = (
            ("user root;\n" if os.geteuid() == 0 else "")
            + f"pid {self.folder / 'nginx.pid'};\nerror_log {self.folder / 'error.log'};\n"
            + "events {}\nhttp {\n"
            + f"    access_log {self.folder / 'access.log'};\n{temp}"
            + f"    include {self.folder / 'site.conf'};\n}}\n"
        )
        config = self.folder / "nginx.conf"
        config.write_text(main, encoding="utf-8")
        return config

    def test_configuration(self) -> subprocess.CompletedProcess[str]:
        """``nginx -t`` on it, as the guide says to run before reloading."""
        return subprocess.run(
            [NGINX, "-t", "-e", str(self.folder / "error.log"), "-c", str(self.configure())],
            capture_output=True, text=True, check=False,
        )  # fmt: skip

    def start(self) -> str:
        config = self.configure()
        self._process = subprocess.Popen(
            [NGINX, "-e", str(self.folder / "error.log"), "-c", str(config),
             "-g", "daemon off;"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True,
        )  # fmt: skip
        deadline = time.monotonic() + 20
        client = self.session()
        while time.monotonic() < deadline:
            try:
                client.get(f"{self.url}/health", timeout=2)
            except requests.ConnectionError:  # not listening yet; its log says why if it ended
                if self._process.poll() is not None:
                    break
                time.sleep(0.1)
            else:
                return self.url
        self.stop()
        raise RuntimeError((self.folder / "error.log").read_text(encoding="utf-8")[-2000:])

    def stop(self) -> None:
        """End nginx by its PID (its master stops its workers)."""
        if self._process is None or self._process.poll() is not None:
            return
        self._process.send_signal(signal.SIGQUIT)
        try:
            self._process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            os.killpg(self._process.pid, signal.SIGKILL)
            self._process.wait()

    def __enter__(self) -> Self:
        self.start()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, error: BaseException | None,
        trace: TracebackType | None,
    ) -> None:  # fmt: skip
        self.stop()
