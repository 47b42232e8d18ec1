"""Request cost: server CPU ms per request, requests/s and SQL queries per request, for the hot pages
and API endpoints, each as a ratio to a bare Django view (/bench/bare, YIGONG_BENCH=1) measured in
the same run on the same server. Nothing is asserted; the figures go to docs/PERFORMANCE.md.

    YIGONG_HOME=/path/to/seeded/home python bench/request_cost.py [--server gthread|sync|granian] ...
    DATABASE_URL=postgres://… python bench/request_cost.py

Seed the database first (`yigong seed …`). The server is started as `yigong serve` starts it
(gunicorn, gthread workers × 4 threads, the full middleware stack; --server picks another) on loopback.
CPU is the user+system time of the server's master and workers before/after each endpoint's batch
(steadier than wall time on a shared machine); requests/s come from client threads in this process
(which share the machine's cores with the server, so they understate a dedicated server).
Queries are counted in-process with Django's test client for one request of each endpoint.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c  # noqa: E402


def prepare(n_signups: int, n_checkins: int) -> dict:
    """Pick a volunteer with service records, make a staff user of a team, volunteers to sign up and
    to check in on a live shift. Returns what the requests need."""
    from django.db import transaction
    from django.db.models import Count, Exists, F, OuterRef
    from django.utils import timezone

    from yigong.accounts.models import ApiToken, User
    from yigong.activities.models import Activity, Shift, ShiftSlot, SignUp
    from yigong.attendance.tokens import make_token
    from yigong.ledger.models import LedgerEntry
    from yigong.organizations.models import Membership, Organization
    from yigong.volunteers.models import Volunteer

    now = timezone.now()
    stamp = int(time.time())
    entry = LedgerEntry.objects.order_by("id").first()
    if entry is None:
        raise SystemExit("the database has no ledger entries: run `yigong seed` first")
    volunteer = Volunteer.objects.select_related("user").get(pk=entry.volunteer_id)
    # The organization with the most members: its staff see the longest volunteer list.
    team = Organization.objects.annotate(n=Count("memberships")).order_by("-n", "id").first()
    staff = User.objects.create(username=f"bench-staff-{stamp}", display_name="bench staff")
    Membership.objects.create(user=staff, organization=team, role=Membership.Role.ADMIN,
                              status=Membership.Status.ACTIVE)
    activity = (Activity.objects.filter(status=Activity.Status.PUBLISHED, shifts__starts_at__gt=now)
                .order_by("id").first())
    # Open slots of upcoming shifts, one volunteer per sign-up (never overlapping, never full).
    slots = list(ShiftSlot.objects.filter(shift__starts_at__gt=now + timedelta(days=1), approved__lt=F("places"),
                                          shift__activity__status=Activity.Status.PUBLISHED)
                 .order_by("id").values_list("id", "shift_id", "places", "approved", "position_id")[: 2 * n_signups])
    free = [s for s in slots for _ in range(min(3, s[2] - s[3]))]
    # Volunteers with no sign-up at all (earlier runs used some): no overlap, no "already signed up".
    spare = list(Volunteer.objects.exclude(pk=volunteer.pk).filter(user__isnull=False)
                 .exclude(Exists(SignUp.objects.filter(volunteer=OuterRef("pk"))))
                 .select_related("user").order_by("-id")[: 2 * n_signups + n_checkins])
    signers = spare[: 2 * n_signups]
    checkers = spare[2 * n_signups: 2 * n_signups + n_checkins]
    with transaction.atomic():
        live = Shift.objects.create(activity=activity, starts_at=now - timedelta(minutes=5),
                                    ends_at=now + timedelta(hours=3), note="bench")
        position = activity.positions.first()
        live_slot = ShiftSlot.objects.create(shift=live, position=position, places=max(1, n_checkins),
                                             approved=len(checkers))
        SignUp.objects.bulk_create([SignUp(slot=live_slot, shift=live, volunteer=v, status=SignUp.Status.APPROVED,
                                           starts_at=live.starts_at, ends_at=live.ends_at) for v in checkers])
    checkin_token = make_token(shift=live, action="in", display="print")[0]
    return {
        "volunteer": volunteer, "staff": staff, "team": team, "activity": activity,
        "street": activity.region.parent.code if activity.region and activity.region.parent_id else "",
        "category": activity.category,
        "volunteer_cookie": c.session_cookie(volunteer.user), "volunteer_token": ApiToken.issue(volunteer.user),
        "staff_cookie": c.session_cookie(staff), "staff_token": ApiToken.issue(staff),
        "page_signups": [(c.session_cookie(v.user), slot) for v, slot in zip(signers[:n_signups], free, strict=False)],
        "api_signups": [(ApiToken.issue(v.user), slot) for v, slot in
                        zip(signers[n_signups:], free[n_signups:], strict=False)],
        "checkins": [(ApiToken.issue(v.user), checkin_token) for v in checkers],
    }


def endpoints(d: dict, n: int) -> list[tuple[str, list[tuple]]]:
    """(label, requests) in the order they are measured; the bare view first."""
    vc, sc = {"Cookie": d["volunteer_cookie"]}, {"Cookie": d["staff_cookie"]}
    vt = {"Authorization": f"Bearer {d['volunteer_token']}"}
    st = {"Authorization": f"Bearer {d['staff_token']}"}
    filters = f"?street={d['street']}&category={d['category']}&open_only=on"
    api_filters = f"?street={d['street']}&category={d['category']}&open_only=true"
    a = d["activity"].pk
    js = {"Content-Type": "application/json"}
    return [
        ("bare Django view  GET /bench/bare", [("GET", "/bench/bare", None, {})] * n),
        ("home page  GET /", [("GET", "/", None, vc)] * n),
        ("activity list, filtered  GET /activities/?street&category&open_only", [("GET", "/activities/" + filters, None, vc)] * n),
        ("activity page  GET /activities/<id>/", [("GET", f"/activities/{a}/", None, vc)] * n),
        ("sign-up  POST /activities/slots/<id>/signup/ (htmx)",
         [("POST", f"/activities/slots/{slot[0]}/signup/", b"", {**c.csrf_headers(cookie), "HX-Request": "true"})
          for cookie, slot in d["page_signups"]]),
        ("volunteer archive  GET /archive/", [("GET", "/archive/", None, vc)] * n),
        ("organization's volunteer list  GET /console/volunteers/", [("GET", "/console/volunteers/", None, sc)] * n),
        ("API activity list  GET /api/v1/activities?…", [("GET", "/api/v1/activities" + api_filters, None, {})] * n),
        ("API activity  GET /api/v1/activities/<id>", [("GET", f"/api/v1/activities/{a}", None, vt)] * n),
        ("API sign-up  POST /api/v1/shifts/<id>/signups",
         [("POST", f"/api/v1/shifts/{slot[1]}/signups", json.dumps({"position_id": slot[4]}).encode(),
           {**js, "Authorization": f"Bearer {tok}"}) for tok, slot in d["api_signups"]]),
        ("API check-in  POST /api/v1/checkin",
         [("POST", "/api/v1/checkin", json.dumps({"token": qr}).encode(), {**js, "Authorization": f"Bearer {tok}"})
          for tok, qr in d["checkins"]]),
        ("API archive  GET /api/v1/me/archive", [("GET", "/api/v1/me/archive", None, vt)] * n),
        ("API volunteers  GET /api/v1/volunteers", [("GET", "/api/v1/volunteers", None, st)] * n),
    ]


def count_queries(label: str, request: tuple) -> int | str:
    """SQL queries of one request, in-process (Django's test client, same middleware and database)."""
    from django.db import connection
    from django.test import Client
    from django.test.utils import CaptureQueriesContext

    method, path, body, headers = request
    extra = {}
    for key, value in headers.items():
        if key == "Cookie":
            continue
        extra["HTTP_" + key.upper().replace("-", "_")] = value
    client = Client(enforce_csrf_checks=False)
    for part in headers.get("Cookie", "").split(";"):
        if "=" in part:
            name, value = part.strip().split("=", 1)
            client.cookies[name] = value
    with CaptureQueriesContext(connection) as ctx:
        if method == "GET":
            response = client.get(path, **extra)
        else:
            response = client.generic(method, path, body or b"", content_type=headers.get("Content-Type", ""), **extra)
    return len(ctx.captured_queries) if response.status_code < 500 else f"{len(ctx.captured_queries)} ({response.status_code})"


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--server", choices=c.SERVERS, default="gthread", help="gthread is what `yigong serve` runs")
    parser.add_argument("--requests", type=int, default=300, help="requests per GET endpoint (default 300)")
    parser.add_argument("--writes", type=int, default=150, help="sign-ups and check-ins per write endpoint")
    parser.add_argument("--concurrency", type=int, default=8, help="client threads (default 8)")
    parser.add_argument("--workers", type=int, default=min(8, 2 * (os.cpu_count() or 1)),
                        help="server workers (default as yigong serve: 2 × cores, at most 8)")
    parser.add_argument("--time-limit", type=float, default=60.0, help="seconds per endpoint at most")
    parser.add_argument("--json", help="also write the results to this file")
    args = parser.parse_args()

    c.setup_django()
    size = c.data_size()
    database = c.describe_database()
    print(f"Preparing ({size})…", flush=True)
    data = prepare(args.writes, args.writes)
    plan = endpoints(data, args.requests)
    # One request of each kind, counted in-process, using requests the load will not replay.
    spare = prepare(1, 1)
    spare_plan = dict(endpoints(spare, 1))
    queries = {label: count_queries(label, spare_plan[label][0]) if spare_plan[label] else "-" for label, _r in plan}
    from django.db import connections

    connections.close_all()
    port = c.free_port()
    server = c.start_server(args.server, port, args.workers)
    results = {}
    try:
        c.run(port, [("GET", "/bench/bare", None, {})] * 100, args.concurrency)  # warm every worker
        for label, requests in plan:
            if requests and requests[0][0] == "GET":
                c.run(port, requests[: 2 * args.workers], args.concurrency)  # warm-up, not measured
            results[label] = c.measure(server, port, requests, args.concurrency, args.time_limit)
    finally:
        c.stop_server(server)

    bare = results[plan[0][0]]
    print(f"\n{database}; {size}")
    print(f"server {args.server}, {args.workers} workers{' × 4 threads' if args.server != 'sync' else ''}; "
          f"{args.concurrency} client threads; {os.cpu_count()} CPU cores (client and server share them)\n")
    head = f"{'endpoint':<68} {'queries':>7} {'CPU ms':>7} {'×bare':>6} {'req/s':>7} {'p99 ms':>7}  statuses"
    print(head)
    print("-" * len(head))
    rows = []
    for label, _r in plan:
        r = results[label]
        ratio = r["cpu_ms"] / bare["cpu_ms"] if bare["cpu_ms"] else float("nan")
        print(f"{label:<68} {queries[label]!s:>7} {r['cpu_ms']:>7.2f} {ratio:>6.2f} {r['rps']:>7.0f} "
              f"{r['p99_ms']:>7.0f}  {r['statuses']}")
        rows.append({"endpoint": label, "queries": queries[label], "cpu_ms": round(r["cpu_ms"], 2),
                     "ratio": round(ratio, 2), "rps": round(r["rps"]), "p99_ms": round(r["p99_ms"]),
                     "statuses": r["statuses"]})
    if args.json:
        Path(args.json).write_text(json.dumps({"database": database, "size": size, "server": args.server,
                                               "rows": rows}, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
