"""Surge: N sign-ups (default 5,000) arriving as fast as the machine takes them for 50 shifts, over
HTTP (POST /api/v1/shifts/<id>/signups, bearer tokens) on the server `yigong serve` runs. Prints
throughput, p50/p99 latency, the outcome counts, and checks afterwards that no shift holds more
approved sign-ups than places (and that each slot's counter equals its approved sign-ups). The
baseline is the bare Django view (/bench/bare) measured in the same run.

    YIGONG_HOME=/path/to/seeded/home python bench/surge.py [--signups 5000] [--shifts 50] [--places 60]
    DATABASE_URL=postgres://… python bench/surge.py

Needs at least N volunteers in the database (`yigong seed`); each signs up once, for a random shift
among 50 new ones far in the future (so repeated runs do not interfere). With 50 × 60 places and
5,000 sign-ups, 3,000 are approved and the rest wait on the waiting list. Exit status 1 on overbooking.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import time
from datetime import timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c  # noqa: E402


def prepare(n: int, shifts: int, places: int, seed: int) -> tuple[list[tuple], list[int]]:
    from django.db import transaction
    from django.utils import timezone

    from yigong.accounts.models import ApiToken
    from yigong.activities.models import Activity, Position, Shift, ShiftSlot
    from yigong.organizations.models import Organization
    from yigong.projects.models import Project
    from yigong.volunteers.models import Volunteer

    now = timezone.now().replace(minute=0, second=0, microsecond=0)
    stamp = int(time.time())
    org = Organization.objects.filter(status=Organization.Status.ACTIVE).order_by("id").last()
    with transaction.atomic():
        project = Project.objects.create(title=f"surge {stamp}", category="large_event", owner=org,
                                         state=Project.State.ACTIVE, starts_on=now.date(),
                                         ends_on=(now + timedelta(days=800)).date())
        activity = Activity.objects.create(project=project, organization=org, title=f"surge {stamp}",
                                           category="large_event", place="stadium", status=Activity.Status.PUBLISHED,
                                           auto_approve=True, waitlist_enabled=True)
        position = Position.objects.create(activity=activity, name="steward")
        base = now + timedelta(days=500 + random.Random(stamp).randrange(200))
        made = Shift.objects.bulk_create([Shift(activity=activity, starts_at=base + timedelta(hours=4 * i),
                                                ends_at=base + timedelta(hours=4 * i + 3)) for i in range(shifts)])
        slots = ShiftSlot.objects.bulk_create([ShiftSlot(shift=s, position=position, places=places) for s in made])
    volunteers = list(Volunteer.objects.filter(user__isnull=False, status=Volunteer.Status.ACTIVE)
                      .select_related("user").order_by("?")[:n])
    if len(volunteers) < n:
        raise SystemExit(f"only {len(volunteers)} volunteers in the database; seed at least {n}")
    rng = random.Random(seed)
    requests = []
    for v in volunteers:
        slot = rng.choice(slots)
        requests.append(("POST", f"/api/v1/shifts/{slot.shift_id}/signups",
                         json.dumps({"position_id": position.pk}).encode(),
                         {"Content-Type": "application/json", "Authorization": f"Bearer {ApiToken.issue(v.user)}"}))
    return requests, [s.pk for s in slots]


def check(slot_ids: list[int]) -> tuple[dict, list[str]]:
    from django.db.models import Count, Q

    from yigong.activities.models import ShiftSlot, SignUp

    counts = dict(SignUp.objects.filter(slot_id__in=slot_ids).values_list("status").annotate(n=Count("id")))
    problems = []
    for slot in ShiftSlot.objects.filter(pk__in=slot_ids).annotate(
            real=Count("signups", filter=Q(signups__status=SignUp.Status.APPROVED))):
        if slot.real > slot.places:
            problems.append(f"slot {slot.pk}: {slot.real} approved for {slot.places} places (OVERBOOKED)")
        if slot.real != slot.approved:
            problems.append(f"slot {slot.pk}: counter {slot.approved} but {slot.real} approved sign-ups")
    return counts, problems


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--signups", type=int, default=5000)
    parser.add_argument("--shifts", type=int, default=50)
    parser.add_argument("--places", type=int, default=60, help="places per shift (default 60)")
    parser.add_argument("--concurrency", type=int, default=32, help="client threads (default 32)")
    parser.add_argument("--server", choices=c.SERVERS, default="gthread")
    parser.add_argument("--workers", type=int, default=min(8, 2 * (os.cpu_count() or 1)))
    parser.add_argument("--seed", type=int, default=2010)
    args = parser.parse_args()

    c.setup_django()
    database, size = c.describe_database(), c.data_size()
    print(f"Preparing {args.signups:,} volunteers' tokens and {args.shifts} shifts ({size})…", flush=True)
    requests, slot_ids = prepare(args.signups, args.shifts, args.places, args.seed)
    from django.db import connections

    connections.close_all()
    port = c.free_port()
    server = c.start_server(args.server, port, args.workers)
    try:
        c.run(port, [("GET", "/bench/bare", None, {})] * 100, args.concurrency)
        bare = c.measure(server, port, [("GET", "/bench/bare", None, {})] * 2000, args.concurrency)
        surge = c.measure(server, port, requests, args.concurrency, time_limit=1800)
    finally:
        c.stop_server(server)
    counts, problems = check(slot_ids)
    print(f"\n{database}; {size}")
    print(f"server {args.server}, {args.workers} workers; {args.concurrency} client threads; {os.cpu_count()} CPU cores\n")
    for name, r in (("bare view GET /bench/bare", bare), ("sign-up POST /api/v1/shifts/<id>/signups", surge)):
        print(f"{name:<42} {r['requests']:>6} requests in {r['seconds']:7.1f} s = {r['rps']:7.1f} req/s, "
              f"p50 {r['p50_ms']:6.0f} ms, p99 {r['p99_ms']:6.0f} ms, CPU {r['cpu_ms']:.2f} ms/request, "
              f"statuses {r['statuses']}")
    print(f"ratio sign-up / bare: {surge['rps'] / bare['rps']:.3f} of the throughput, "
          f"{surge['cpu_ms'] / bare['cpu_ms']:.1f}× the CPU per request")
    print(f"sign-ups by status: {counts}; places {args.shifts} × {args.places} = {args.shifts * args.places}")
    print("overbooking: none" if not problems else "\n".join(problems))
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
