from django.core.management.base import BaseCommand, CommandError

from yigong.ledger.verify import verify_all


class Command(BaseCommand):
    help = ("Walk every district chain of the service-hour ledger and check that no entry was altered, "
            "removed or inserted behind the application's back. Exits 1 naming the entries if so.")

    def add_arguments(self, parser):
        parser.add_argument("--district", default="", help="check only this district's chain (code)")

    def handle(self, *args, district: str, **options):
        report = verify_all(district or None)
        if not report.intact:
            for problem in report.problems:
                self.stderr.write(str(problem))
            entries = sorted({p.entry_id for p in report.problems if p.entry_id is not None})
            named = ", ".join(f"#{i}" for i in entries) or "-"
            raise CommandError(
                f"ledger NOT intact: {len(report.problems)} problem(s) in "
                f"{sum(1 for c in report.chains if not c.intact)} chain(s); entries: {named}"
            )
        for chain in report.chains:
            self.stdout.write(
                f"chain {chain.district_code}: {chain.entries} entries, last #{chain.last_id}, "
                f"head hash {chain.last_hash}"
            )
        self.stdout.write(f"ledger intact: {len(report.chains)} chain(s), {report.entries} entries verified")
