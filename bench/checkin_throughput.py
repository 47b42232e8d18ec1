"""Check-in throughput over HTTP, against a bare Django view served the same way.

Starts gunicorn as `yigong serve` does (gthread workers, the platform's full middleware stack) on
loopback, with YIGONG_BENCH=1 so that /bench/bare exists: a view that only returns "ok". Then it
fires N check-ins (POST /api/v1/checkin, one volunteer each, bearer tokens) and N bare requests
from C client threads with keep-alive connections, and prints requests per second, latencies and
the ratio check-in / bare. Nothing is asserted about time: the figures are for docs/PERFORMANCE.md.

    python bench/checkin_throughput.py [--checkins 1000] [--concurrency 16] [--workers 4]

Uses a fresh YIGONG_HOME (SQLite) unless --home is given; set DATABASE_URL to measure PostgreSQL
(the database named there is migrated and gets a bench organization, activity and volunteers).
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from datetime import timedelta
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def setup_data(n: int) -> tuple[list[tuple[str, str]], int]:
    """A live shift with n approved volunteers; returns [(bearer token, check-in token)] and the shift id."""
    import django

    django.setup()
    from django.core.management import call_command
    from django.db import transaction
    from django.utils import timezone

    call_command("migrate", interactive=False, verbosity=0)
    from yigong.accounts.models import ApiToken, User
    from yigong.activities.models import Activity, Position, Shift, ShiftSlot, SignUp
    from yigong.attendance.tokens import make_token
    from yigong.organizations.models import Organization
    from yigong.projects.models import Project
    from yigong.volunteers.models import Volunteer

    now = timezone.now()
    stamp = int(time.time())
    with transaction.atomic():
        org = Organization.objects.create(name=f"bench station {stamp}", kind="community_station",
                                          status="active")
        org.path = f"{org.pk:08d}/"
        org.save(update_fields=["path"])
        project = Project.objects.create(title="bench", category="community", owner=org, state="active",
                                         starts_on=now.date(), ends_on=now.date())
        activity = Activity.objects.create(project=project, organization=org, title="bench activity",
                                           category="community", place="loopback", status="published")
        position = Position.objects.create(activity=activity, name="bench")
        shift = Shift.objects.create(activity=activity, starts_at=now - timedelta(minutes=5),
                                     ends_at=now + timedelta(hours=3))
        slot = ShiftSlot.objects.create(shift=shift, position=position, places=n, approved=n)
        pairs = []
        for i in range(n):
            user = User(username=f"bench{stamp}_{i}")
            user.set_unusable_password()
            user.save()
            volunteer = Volunteer.objects.create(
                user=user, registration_number=f"B{stamp % 10**8:08d}{i:06d}", district_code="440307",
                name=f"bench {i}", id_type="passport", registered_at=now, privacy_notice_version="bench",
                consented_at=now,
            )
            SignUp.objects.create(slot=slot, shift=shift, volunteer=volunteer, status="approved",
                                  starts_at=shift.starts_at, ends_at=shift.ends_at)
            pairs.append((ApiToken.issue(user), make_token(shift=shift, action="in", display="print")[0]))
    from django.db import connections

    connections.close_all()
    return pairs, shift.pk


def start_server(port: int, workers: int, env: dict) -> subprocess.Popen:
    command = [
        sys.executable, "-m", "gunicorn", "yigong.config.wsgi:application",
        "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--worker-class", "gthread",
        "--threads", "4", "--graceful-timeout", "10", "--timeout", "60", "--no-control-socket",
    ]
    server = subprocess.Popen(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)  # noqa: S603
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", "/bench/bare")
            if conn.getresponse().status == 200:
                return server
        except OSError:
            time.sleep(0.2)
    server.kill()
    raise SystemExit("the server did not answer within 30 s:\n" + server.stderr.read().decode(errors="replace"))


def run(port: int, requests: list[tuple[str, str, bytes | None, dict]], concurrency: int) -> dict:
    """Send the requests from `concurrency` threads (each with its own keep-alive connection)."""
    latencies: list[float] = []
    statuses: dict[int, int] = {}
    lock = threading.Lock()
    queue = list(reversed(requests))

    def worker():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        while True:
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
    return {
        "requests": len(latencies), "seconds": wall, "rps": len(latencies) / wall, "statuses": statuses,
        "p50_ms": 1000 * statistics.median(latencies),
        "p95_ms": 1000 * latencies[int(0.95 * (len(latencies) - 1))],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--checkins", type=int, default=1000, help="check-ins (one volunteer each)")
    parser.add_argument("--concurrency", type=int, default=16, help="client threads")
    parser.add_argument("--workers", type=int, default=min(8, 2 * (os.cpu_count() or 1)),
                        help="gunicorn workers (default as yigong serve: 2 × cores, at most 8)")
    parser.add_argument("--home", help="YIGONG_HOME to use (default: a new temporary folder)")
    args = parser.parse_args()

    home = Path(args.home) if args.home else Path(tempfile.mkdtemp(prefix="yigong-bench-"))
    os.environ.update(YIGONG_HOME=str(home), YIGONG_BENCH="1", DJANGO_SETTINGS_MODULE="yigong.config.settings")
    sys.path.insert(0, str(ROOT / "src"))
    env = dict(os.environ, PYTHONPATH=os.pathsep.join([str(ROOT / "src"), os.environ.get("PYTHONPATH", "")]))

    print(f"Preparing {args.checkins} volunteers with approved sign-ups…", flush=True)
    pairs, shift_id = setup_data(args.checkins)
    from django.db import connection

    database = f"{connection.vendor} ({connection.settings_dict['NAME']})"
    port = free_port()
    server = start_server(port, args.workers, env)
    try:
        warm = [("GET", "/bench/bare", None, {})] * 50
        run(port, warm, args.concurrency)
        bare = run(port, [("GET", "/bench/bare", None, {})] * args.checkins, args.concurrency)
        checkins = run(port, [
            ("POST", "/api/v1/checkin", json.dumps({"token": token}).encode(),
             {"Authorization": f"Bearer {bearer}", "Content-Type": "application/json"})
            for bearer, token in pairs
        ], args.concurrency)
    finally:
        server.terminate()
        server.wait(timeout=20)

    from yigong.attendance.models import Attendance

    recorded = Attendance.objects.filter(shift_id=shift_id, checked_in_at__isnull=False).count()
    ratio = checkins["rps"] / bare["rps"]
    print(f"\ndatabase: {database}; gunicorn gthread, {args.workers} workers × 4 threads; "
          f"{args.concurrency} client threads; {os.cpu_count()} CPU cores")
    for name, r in (("bare view  GET /bench/bare", bare), ("check-in   POST /api/v1/checkin", checkins)):
        print(f"{name}: {r['requests']} requests in {r['seconds']:.2f} s = {r['rps']:.0f} req/s, "
              f"p50 {r['p50_ms']:.1f} ms, p95 {r['p95_ms']:.1f} ms, statuses {r['statuses']}")
    print(f"check-ins recorded: {recorded} of {len(pairs)}")
    print(f"ratio check-in / bare: {ratio:.2f}")
    if not args.home:
        shutil.rmtree(home, ignore_errors=True)
    return 0 if recorded == len(pairs) and checkins["statuses"].get(200) == len(pairs) else 1


if __name__ == "__main__":
    raise SystemExit(main())
