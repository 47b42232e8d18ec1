"""The demo district: ordered steps over one shared context, in one transaction.

Each step is a function `step(ctx)` that reads what earlier steps left in the DemoContext and adds
its own. A later app extends the demo by writing `yigong/demo/<app>.py` with a `build(ctx)` and
appending it to STEPS (projects, activities and shifts come after the memberships).
Same seed, same district: every random choice comes from ctx.rng or ctx.fake, seeded once.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TextIO

from django.db import transaction

from yigong.core import audit
from yigong.demo import (
    activities,
    attendance,
    logins,
    memberships,
    organizations,
    regions,
    volunteers,
)
from yigong.demo.context import DEMO_PASSWORD, DemoContext, DemoLogin

__all__ = ["DEMO_PASSWORD", "STEPS", "DemoLogin", "DemoResult", "build_demo", "database_is_empty", "demo_logins"]

STEPS: list[tuple[str, Callable[[DemoContext], None]]] = [
    ("platform superuser", organizations.build_office),
    ("Longgang's streets and communities", regions.build),
    ("organization tree", organizations.build_tree),
    ("demo logins", logins.build),
    ("volunteers", volunteers.build),
    ("memberships", memberships.build),
    ("projects, activities, shifts and sign-ups", activities.build),
    ("check-ins, confirmed hours and ratings", attendance.build),
]


@dataclass
class DemoResult:
    logins: list[DemoLogin]
    context: DemoContext


def database_is_empty() -> bool:
    """The demo only fills a database that holds no organizations yet."""
    from yigong.organizations.models import Organization

    return not Organization.objects.exists()


def demo_logins() -> list[DemoLogin]:
    """The demo logins found in the database (empty when it was not made by `yigong demo`)."""
    return logins.existing_logins()


def build_demo(*, seed: int, volunteers: int, progress: bool | TextIO = False) -> DemoResult:
    """Build the whole demo district, or nothing (one transaction)."""
    ctx = DemoContext.new(seed=seed, volunteers=volunteers, progress=progress)
    with transaction.atomic():
        for index, (label, step) in enumerate(STEPS, 1):
            ctx.progress.start(index, len(STEPS), label)
            step(ctx)
            ctx.progress.finish()
        audit.record(actor=ctx.superuser, action="demo.build", seed=seed, volunteers=volunteers)
    return DemoResult(logins=ctx.logins, context=ctx)
