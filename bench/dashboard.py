"""Dashboard figures: hours and active volunteers per street per month over the whole ledger.
Times the platform's query path (yigong.dashboards.selectors.street_month_figures) against a naive
GROUP BY over ledger ⋈ volunteer ⋈ community ⋈ street in the same run, checks both give the same
figures, and prints the ratio. No roll-up tables are kept (see docs/PERFORMANCE.md).

    YIGONG_HOME=/path/to/seeded/home python bench/dashboard.py [--repeat 3]
    DATABASE_URL=postgres://… python bench/dashboard.py
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from datetime import date
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
import _common as c  # noqa: E402


def naive(date_from: date, date_to: date) -> list[tuple]:
    from django.db.models import Count, Sum
    from django.db.models.functions import TruncMonth

    from yigong.ledger.models import LedgerEntry

    rows = (LedgerEntry.objects.filter(service_date__gte=date_from, service_date__lte=date_to)
            .annotate(month=TruncMonth("service_date"))
            .values("volunteer__home_community__parent__code", "month")
            .annotate(minutes=Sum("minutes"), volunteers=Count("volunteer_id", distinct=True))
            .order_by("volunteer__home_community__parent__code", "month"))
    return [(r["volunteer__home_community__parent__code"] or "",
             r["month"] if isinstance(r["month"], date) else date.fromisoformat(str(r["month"])[:10]),
             r["minutes"], r["volunteers"]) for r in rows]


def timed(fn, repeat: int) -> tuple[float, object]:
    times, result = [], None
    for _ in range(repeat):
        started = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times), result


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=3, help="runs of each query; the median is shown")
    args = parser.parse_args()
    c.setup_django()
    from django.db.models import Max, Min

    from yigong.dashboards.selectors import street_month_figures
    from yigong.ledger.models import LedgerEntry

    bounds = LedgerEntry.objects.aggregate(lo=Min("service_date"), hi=Max("service_date"))
    if bounds["lo"] is None:
        raise SystemExit("the ledger is empty: run `yigong seed` first")
    lo, hi = bounds["lo"], bounds["hi"]
    naive_s, naive_rows = timed(lambda: naive(lo, hi), args.repeat)
    platform_s, platform_rows = timed(lambda: street_month_figures(date_from=lo, date_to=hi), args.repeat)
    same = naive_rows == [(r.street_code, r.month, r.minutes, r.volunteers) for r in platform_rows]
    print(f"{c.describe_database()}; {c.data_size()}; service dates {lo} – {hi}")
    print(f"{len(naive_rows)} street-months, {sum(r[2] for r in naive_rows) / 60:,.0f} hours")
    print(f"naive GROUP BY (ledger ⋈ volunteer ⋈ community ⋈ street): {naive_s * 1000:8.0f} ms (median of {args.repeat})")
    print(f"platform path (ledger ⋈ volunteer by community, streets folded in Python): {platform_s * 1000:8.0f} ms")
    print(f"ratio platform / naive: {platform_s / naive_s:.2f}")
    print(f"same figures: {'yes' if same else 'NO'}")
    return 0 if same else 1


if __name__ == "__main__":
    raise SystemExit(main())
