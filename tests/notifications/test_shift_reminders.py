from __future__ import annotations

import io
from datetime import date

import pytest
from django.core.management import CommandError, call_command

from yigong.notifications.models import Notification
from yigong.notifications.services import send_shift_reminders

pytestmark = pytest.mark.django_db

TODAY = date(2026, 12, 4)  # the command runs on 4 December; tomorrow is the 5th in Shanghai


@pytest.fixture
def run(django_capture_on_commit_callbacks):
    """Run the command as cron would; tasks run when each reminder is committed."""

    def _run(day="2026-12-05") -> str:
        out = io.StringIO()
        with django_capture_on_commit_callbacks(execute=True):
            call_command("send_shift_reminders", "--date", day, stdout=out)
        return out.getvalue()

    return _run


def test_each_approved_sign_up_starting_tomorrow_is_reminded_once(people, sms, run):
    chinese, english = people.volunteer(), people.volunteer(language="en", phone="+8613912345678")
    early = people.signup(chinese, people.at(2026, 12, 5, 0, 30))  # 16:30 UTC on the 4th
    late = people.signup(english, people.at(2026, 12, 5, 23, 0))
    people.signup(chinese, people.at(2026, 12, 4, 23, 59))  # today
    people.signup(english, people.at(2026, 12, 6, 0, 0))  # the day after
    people.signup(people.volunteer(), people.at(2026, 12, 5, 9), status="waitlisted")
    people.signup(people.volunteer(), people.at(2026, 12, 5, 9), status="cancelled")
    people.signup(people.volunteer(), people.at(2026, 12, 5, 10), cancelled=True)
    people.signup(people.volunteer(active=False), people.at(2026, 12, 5, 11))

    output = run()

    reminders = Notification.objects.filter(kind="shift_reminder").order_by("id")
    assert [(n.user_id, n.key) for n in reminders] == [
        (chinese.user_id, f"reminder:signup:{early.pk}"), (english.user_id, f"reminder:signup:{late.pk}"),
    ]
    assert "2026-12-05" in output
    assert len(sms) == 2

    again = run()
    assert Notification.objects.filter(kind="shift_reminder").count() == 2
    assert len(sms) == 2
    assert "2026-12-05" in again


def test_reminders_are_written_in_each_volunteers_language(people, sms, run):
    chinese, english = people.volunteer(), people.volunteer(language="en")
    people.signup(chinese, people.at(2026, 12, 5, 9))
    people.signup(english, people.at(2026, 12, 5, 14))

    run()

    zh = Notification.objects.get(user=chinese.user)
    en = Notification.objects.get(user=english.user)
    assert zh.title == "提醒：地铁站引导，2026年12月5日 09:00"
    assert "引导员" in zh.body
    assert "大运地铁站" in zh.body
    assert "12:00" in zh.body
    assert en.title == "Reminder: 地铁站引导 on Dec. 5, 2026 at 14:00"
    assert "as 引导员" in en.body
    assert "ends at 17:00" in en.body
    assert "waiting list" in en.body
    assert [m.text[:4] for m in sms] == ["【义工】", "[Yig"]


def test_default_day_is_tomorrow_in_shanghai(people):
    v = people.volunteer()
    people.signup(v, people.at(2026, 12, 5, 8))
    # 17:00 UTC on 4 December is already 01:00 on the 5th in Shanghai: "tomorrow" is the 6th.
    late_evening_utc = people.at(2026, 12, 5, 1)
    assert send_shift_reminders(now=late_evening_utc).day == date(2026, 12, 6)
    run = send_shift_reminders(now=people.at(2026, 12, 4, 18))
    assert (run.day, run.due, run.sent) == (date(2026, 12, 5), 1, 1)


def test_a_bad_date_is_refused_with_a_reason(people, run):
    with pytest.raises(CommandError, match="YYYY-MM-DD"):
        run("5.12.2026")
