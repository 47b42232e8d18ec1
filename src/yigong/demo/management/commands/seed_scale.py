"""`yigong manage seed_scale` (and `yigong seed`): city-scale benchmark data, see yigong.demo.scale."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError


def _count(value: str) -> int:
    try:
        number = int(value)
    except ValueError:
        raise CommandError(f"expected a whole number, got {value!r}") from None
    if number < 0:
        raise CommandError(f"expected a number of at least 0, got {number}")
    return number


class Command(BaseCommand):
    help = "Add city-scale data (volunteers, organizations, activities, a valid ledger chain) for benchmarks."

    def add_arguments(self, parser):
        parser.add_argument("--volunteers", type=_count, default=100_000)
        parser.add_argument("--organizations", type=_count, default=1_000)
        parser.add_argument("--activities", type=_count, default=20_000)
        parser.add_argument("--entries", type=_count, default=1_000_000, help="confirmed ledger entries")
        parser.add_argument("--seed", type=_count, default=2010, help="random seed (default 2010)")

    def handle(self, *args, **options):
        from yigong.demo.scale import seed_scale

        try:
            result = seed_scale(volunteers=options["volunteers"], organizations=options["organizations"],
                                activities=options["activities"], entries=options["entries"],
                                seed=options["seed"], stream=self.stderr._out if options["verbosity"] else None)
        except ValueError as exc:
            raise CommandError(str(exc)) from None
        timings = ", ".join(f"{k} {v:.1f}s" for k, v in result.seconds.items())
        self.stdout.write(
            f"Seeded {result.volunteers:,} volunteers, {result.organizations:,} organizations, "
            f"{result.activities:,} activities, {result.entries:,} ledger entries in "
            f"{result.total_seconds:.1f}s ({timings})."
        )
