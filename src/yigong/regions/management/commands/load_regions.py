from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from yigong.core.errors import ValidationFailed
from yigong.regions.services import load_regions_csv


class Command(BaseCommand):
    help = "Load regions from a CSV file with columns: code, name, parent code."

    def add_arguments(self, parser):
        parser.add_argument("csv_file", type=Path)

    def handle(self, *args, csv_file: Path, **options):
        if not csv_file.exists():
            raise CommandError(f"{csv_file}: no such file")
        try:
            result = load_regions_csv(text=csv_file.read_text(encoding="utf-8-sig"))
        except ValidationFailed as exc:
            lines = [str(exc.message)] + [f"  {k}: {' '.join(map(str, v))}" for k, v in exc.fields.items()]
            raise CommandError("\n".join(lines)) from exc
        self.stdout.write(f"regions: {result.created} created, {result.updated} updated")
