"""Shared by the bench/ scripts: start a server like `yigong serve`, drive it from client threads,
read the server processes' CPU time, and log users in without a browser. Not a test module."""

from __future__ import annotations

import http.client
import os
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERVERS = ("gthread", "sync", "granian")


def setup_django() -> None:
    """Django for the bench process itself, on the database of YIGONG_HOME / DATABASE_URL."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "yigong.config.settings")
    os.environ["YIGONG_BENCH"] = "1"
    sys.path.insert(0, str(ROOT / "src"))
    import django

    django.setup()
    from django.core.management import call_command

    call_command("migrate", interactive=False, verbosity=0)


def server_env() -> dict:
    return dict(os.environ, YIGONG_BENCH="1",
                PYTHONPATH=os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]))


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(kind: str, port: int, workers: int, threads: int = 4) -> subprocess.Popen:
    """gthread: exactly what `yigong serve` runs; sync: gunicorn's sync workers; granian: its WSGI mode."""
    if kind == "granian":
        command = [sys.executable, "-m", "granian", "--interface", "wsgi", "--host", "127.0.0.1",
                   "--port", str(port), "--workers", str(workers), "--blocking-threads", str(threads),
                   "--no-ws", "--log-level", "warning", "yigong.config.wsgi:application"]
    else:
        command = [sys.executable, "-m", "gunicorn", "yigong.config.wsgi:application",
                   "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--worker-class", kind,
                   "--graceful-timeout", "10", "--timeout", "60", "--no-control-socket"]
        if kind == "gthread":
            command += ["--threads", str(threads)]
    server = subprocess.Popen(command, env=server_env(), stdout=subprocess.DEVNULL,  # noqa: S603
                              stderr=subprocess.PIPE)
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if server.poll() is not None:
            break
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=5)
            conn.request("GET", "/bench/bare")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.3)
    server.kill()
    raise SystemExit(f"the {kind} server did not answer:\n" + server.stderr.read().decode(errors="replace")[-3000:])


def stop_server(server: subprocess.Popen) -> None:
    server.terminate()
    try:
        server.wait(timeout=20)
    except subprocess.TimeoutExpired:
        server.kill()


def server_cpu_seconds(server: subprocess.Popen) -> float:
    """User + system CPU of the server's master and all its workers (psutil)."""
    try:
        import psutil
    except ImportError:
        raise SystemExit("bench/ needs psutil: pip install psutil (bench environment only)") from None

    total = 0.0
    try:
        root = psutil.Process(server.pid)
        for proc in [root, *root.children(recursive=True)]:
            try:
                times = proc.cpu_times()
                total += times.user + times.system
            except psutil.NoSuchProcess:
                pass
    except psutil.NoSuchProcess:
        pass
    return total


def run(port: int, requests: list[tuple], concurrency: int, time_limit: float = 120.0) -> dict:
    """Send (method, path, body, headers) requests from `concurrency` client threads, each with its own
    keep-alive connection; stop early after `time_limit` seconds. Returns rps, latencies, statuses."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    queue = list(reversed(requests))
    deadline = time.monotonic() + time_limit

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while time.monotonic() < deadline:
            with lock:
                if not queue:
                    break
                method, path, body, headers = queue.pop()
            started = time.perf_counter()
            try:
                conn.request(method, path, body=body, headers=headers)
                response = conn.getresponse()
                response.read()
                status = response.status
                if response.getheader("Connection", "").lower() == "close":
                    conn.close()
                    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
            except (OSError, http.client.HTTPException):
                conn.close()
                conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
                status = 0
            elapsed = time.perf_counter() - started
            with lock:
                latencies.append(elapsed)
                statuses[status] = statuses.get(status, 0) + 1
        conn.close()

    threads = [threading.Thread(target=worker) for _ in range(concurrency)]
    started = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    wall = time.perf_counter() - started
    latencies.sort()
    n = len(latencies)
    return {
        "requests": n, "seconds": wall, "rps": n / wall if wall else 0.0, "statuses": statuses,
        "p50_ms": 1000 * statistics.median(latencies) if n else 0.0,
        "p99_ms": 1000 * latencies[int(0.99 * (n - 1))] if n else 0.0,
    }


def measure(server, port: int, requests: list[tuple], concurrency: int, time_limit: float = 120.0) -> dict:
    """run() plus the server CPU milliseconds per request."""
    before = server_cpu_seconds(server)
    result = run(port, requests, concurrency, time_limit)
    result["cpu_ms"] = 1000 * (server_cpu_seconds(server) - before) / max(1, result["requests"])
    return result


def session_cookie(user) -> str:
    """A logged-in session for `user`, stored in the database the server reads (no password needed)."""
    from django.conf import settings
    from django.test import Client

    client = Client()
    client.force_login(user)
    return f"{settings.SESSION_COOKIE_NAME}={client.cookies[settings.SESSION_COOKIE_NAME].value}"


CSRF_SECRET = "benchbenchbenchbenchbenchbench12"  # 32 characters: Django accepts the unmasked secret


def csrf_headers(cookie: str) -> dict:
    from django.conf import settings

    return {"Cookie": f"{cookie}; {settings.CSRF_COOKIE_NAME}={CSRF_SECRET}", "X-CSRFToken": CSRF_SECRET,
            "Content-Type": "application/x-www-form-urlencoded"}


def describe_database() -> str:
    from django.db import connection

    if connection.vendor == "sqlite":
        return f"SQLite {connection.Database.sqlite_version} ({connection.settings_dict['NAME']})"
    with connection.cursor() as cursor:
        cursor.execute("SHOW server_version")
        version = cursor.fetchone()[0]
    return f"PostgreSQL {version} ({connection.settings_dict['NAME']})"


def data_size() -> str:
    from yigong.activities.models import Activity
    from yigong.ledger.models import LedgerEntry
    from yigong.organizations.models import Organization
    from yigong.volunteers.models import Volunteer

    return (f"{Volunteer.objects.count():,} volunteers, {Organization.objects.count():,} organizations, "
            f"{Activity.objects.count():,} activities, {LedgerEntry.objects.count():,} ledger entries")
