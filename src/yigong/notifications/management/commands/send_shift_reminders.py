"""Remind volunteers of tomorrow's shifts. Run once a day (cron or a systemd timer, see
docs/NOTIFICATIONS.md); running it again, or more often, sends nothing twice."""

from __future__ import annotations

from datetime import date

from django.core.management.base import BaseCommand, CommandError
from django.utils.translation import gettext as _

from yigong.notifications.services import send_shift_reminders


class Command(BaseCommand):
    help = "Send each volunteer with an approved sign-up a reminder the day before the shift."

    def add_arguments(self, parser):
        parser.add_argument(
            "--date", dest="day", metavar="YYYY-MM-DD",
            help="remind of shifts starting on this day (default: tomorrow, Asia/Shanghai)",
        )

    def handle(self, *args, day=None, **options):
        parsed = None
        if day:
            try:
                parsed = date.fromisoformat(day)
            except ValueError:
                raise CommandError(_("--date must be a date as YYYY-MM-DD, not %(value)r.") % {"value": day}) from None
        run = send_shift_reminders(day=parsed)
        self.stdout.write(
            _("Shifts on %(day)s: %(due)d approved sign-ups, %(sent)d reminders sent now, %(earlier)d sent before.")
            % {"day": run.day.isoformat(), "due": run.due, "sent": run.sent, "earlier": run.due - run.sent}
        )
