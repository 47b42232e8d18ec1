"""`yigong serve` as a user runs it: a real gunicorn process, Ctrl-C, and a second start."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from django.db import connection

import yigong
from yigong.demo.context import DEMO_PASSWORD

SRC = Path(yigong.__file__).resolve().parent.parent
# The server writes to the database from another process, so the test cannot run in a transaction.
pytestmark = [pytest.mark.slow, pytest.mark.django_db(transaction=True)]


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _environment(home: Path) -> dict[str, str]:
    """The server's environment: a fresh YIGONG_HOME; on PostgreSQL, this test run's database."""
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "DJANGO_SETTINGS_MODULE")}
    env.update(YIGONG_HOME=str(home), PYTHONPATH=str(SRC))
    if connection.vendor == "postgresql":
        db = connection.settings_dict
        password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
        env["DATABASE_URL"] = f"postgres://{db['USER']}{password}@{db['HOST']}:{db['PORT'] or 5432}/{db['NAME']}"
    return env


class Server:
    def __init__(self, home: Path, log: Path, *args: str):
        self.port = _free_port()
        self.log = log
        with log.open("w") as out:
            self.process = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
                [sys.executable, "-m", "yigong", "serve", "--port", str(self.port), "--workers", "2", *args],
                stdout=out, stderr=subprocess.STDOUT, env=_environment(home),
            )

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"

    def wait_until_healthy(self, timeout: float = 180) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                pytest.fail(f"yigong serve exited with {self.process.returncode}:\n{self.output()}")
            try:
                with urllib.request.urlopen(self.url("/healthz"), timeout=30) as response:  # noqa: S310 - http://127.0.0.1 only
                    if json.load(response) == {"status": "ok"}:
                        return
            except (urllib.error.URLError, ConnectionError, TimeoutError):
                # Not listening yet, or a worker still starting on a busy machine: ask again.
                time.sleep(0.3)
        pytest.fail(f"yigong serve did not answer /healthz within {timeout}s:\n{self.output()}")

    def get(self, path: str):
        return urllib.request.urlopen(self.url(path), timeout=60)  # noqa: S310 - http://127.0.0.1 only

    def token(self, username: str, password: str) -> str:
        request = urllib.request.Request(  # noqa: S310 - http://127.0.0.1 only
            self.url("/api/v1/auth/token"), method="POST",
            data=json.dumps({"username": username, "password": password}).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:  # noqa: S310 - http://127.0.0.1 only
            return json.load(response)["token"]

    def interrupt(self) -> int:
        """Ctrl-C, as a person at the terminal would press it."""
        self.process.send_signal(signal.SIGINT)
        try:
            return self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
            pytest.fail(f"yigong serve did not stop on Ctrl-C:\n{self.output()}")

    def output(self) -> str:
        return self.log.read_text()


@pytest.fixture
def servers():
    started: list[Server] = []
    yield started
    for server in started:  # a failed test must not leave a server running
        if server.process.poll() is None:
            server.process.kill()
            server.process.wait()


def test_serve_with_demo_stops_cleanly_on_ctrl_c_and_keeps_its_data(tmp_path, servers):
    home = tmp_path / "yigong-data"
    first = Server(home, tmp_path / "first.log", "--demo")
    servers.append(first)
    first.wait_until_healthy()
    with first.get("/") as page:
        assert page.status == 200
        assert "text/html" in page.headers["Content-Type"]
    with first.get("/static/core/css/yigong.css") as css:  # served by whitenoise, not Django views
        assert css.status == 200
        assert css.headers["Content-Type"].startswith("text/css")
        assert css.headers.get("Cache-Control")
    assert first.token("volunteer", DEMO_PASSWORD).startswith("yg_")

    assert first.interrupt() == 0
    output = first.output()
    assert "Traceback" not in output
    assert "Creating the demo district" in output
    assert f"the password for all of them is: {DEMO_PASSWORD}" in output
    for username in ("district", "street", "station", "team", "citystation", "unit", "volunteer", "minor"):
        assert f"  {username} " in output
    assert "Starting gunicorn" in output
    assert (home / "secrets.json").exists()

    second = Server(home, tmp_path / "second.log", "--demo")
    servers.append(second)
    second.wait_until_healthy()
    assert second.token("minor", DEMO_PASSWORD).startswith("yg_")  # the data survived the restart
    assert second.interrupt() == 0
    output = second.output()
    assert "Creating the demo district" not in output
    assert "  volunteer " in output  # the logins are printed again
    assert "Traceback" not in output


def test_serve_without_demo_serves_an_empty_platform(tmp_path, servers):
    server = Server(tmp_path / "home", tmp_path / "serve.log")
    servers.append(server)
    server.wait_until_healthy()
    with server.get("/") as page:
        assert page.status == 200
    with pytest.raises(urllib.error.HTTPError) as refused:
        server.token("volunteer", DEMO_PASSWORD)
    refused.value.close()
    assert refused.value.code == 401
    assert server.interrupt() == 0
    assert "Demo logins" not in server.output()
