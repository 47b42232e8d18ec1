"""Notifications: the in-app inbox row is written in the caller's transaction; email and SMS are
sent by a background task after commit (Django tasks; immediate backend by default).

Other apps send with `notify(...)`, writing the text inside `in_language_of(user)` so that it is in
the recipient's language, and pass a `key` when the same event must never be announced twice.
"""

from __future__ import annotations

import contextlib
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import NoReverseMatch, reverse
from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

from yigong.core.errors import NotFound
from yigong.notifications.models import Notification


def in_language_of(user) -> contextlib.AbstractContextManager:
    """`with in_language_of(user): title = _("…")` writes a message in the recipient's language."""
    return translation.override(getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE)


def notify(*, user, kind: str, title: str, body: str = "", url: str = "", key: str = "") -> Notification | None:
    """Put a message in `user`'s inbox and send it on the external channels after commit.

    `title` and `body` should already be in the recipient's language (see `in_language_of`).
    With a `key`, a second call for the same user and key does nothing and returns None.
    """
    if user is None:
        return None
    if key and Notification.objects.filter(user=user, key=key).exists():
        return None
    try:
        with transaction.atomic():
            notification = Notification.objects.create(
                user=user, kind=kind, title=title[:200], body=body, url=url[:300], key=key[:100],
            )
    except IntegrityError:
        return None  # the same key won a race: sent once

    def _send() -> None:
        from yigong.notifications.tasks import deliver

        deliver.enqueue(notification.pk)

    transaction.on_commit(_send)
    return notification


# Marking messages read changes only the reader's own view of their inbox, not the record of what
# happened, so it writes no audit event.


@transaction.atomic
def mark_read(*, actor, notification_id: int) -> Notification:
    """Mark one of the actor's own messages read (someone else's is "not found")."""
    notification = Notification.objects.for_user(actor).select_for_update().filter(pk=notification_id).first()
    if notification is None:
        raise NotFound(_("This message does not exist or is not yours."))
    if notification.read_at is None:
        notification.read_at = timezone.now()
        notification.save(update_fields=["read_at"])
    return notification


@transaction.atomic
def mark_all_read(*, actor) -> int:
    """Mark every unread message of the actor read; returns how many."""
    return Notification.objects.for_user(actor).unread().update(read_at=timezone.now())


# --- shift reminders ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderRun:
    day: date
    due: int  # approved sign-ups of shifts starting that day
    sent: int  # reminders sent now (the others were sent by an earlier run)


def _my_shifts_url() -> str:
    try:
        return reverse("core:my-shifts")
    except NoReverseMatch:
        return ""


def reminder_text(signup) -> tuple[str, str]:
    """Title and body of a shift reminder, in the active language."""
    shift, activity = signup.shift, signup.shift.activity
    tz = timezone.get_default_timezone()
    start, end = timezone.localtime(shift.starts_at, tz), timezone.localtime(shift.ends_at, tz)
    values = {
        "activity": activity.title, "position": signup.slot.position.name,
        "date": formats.date_format(start, "DATE_FORMAT"), "start": start.strftime("%H:%M"),
        "end": end.strftime("%H:%M"),
        "place": ", ".join(p for p in (activity.place, activity.address) if p),
    }
    title = _("Reminder: %(activity)s on %(date)s at %(start)s") % values
    body = _(
        "Your shift as %(position)s starts on %(date)s at %(start)s and ends at %(end)s. "
        "Place: %(place)s. Check in with the QR code on site. If you cannot come, cancel your "
        "sign-up so that someone on the waiting list can take your place."
    ) % values
    return title, body


def send_shift_reminders(*, day: date | None = None, now: datetime | None = None) -> ReminderRun:
    """Remind every approved volunteer whose shift starts on `day` (default: tomorrow in the
    platform's time zone, Asia/Shanghai), in their own language. Idempotent: each sign-up is
    reminded once, by the key "reminder:signup:<id>", however often this runs."""
    from yigong.activities.models import Activity, SignUp

    tz = timezone.get_default_timezone()
    if day is None:
        day = timezone.localdate(now or timezone.now(), tz) + timedelta(days=1)
    start = datetime.combine(day, time.min, tzinfo=tz)
    end = datetime.combine(day + timedelta(days=1), time.min, tzinfo=tz)
    signups = (
        SignUp.objects.filter(
            status=SignUp.Status.APPROVED, shift__starts_at__gte=start, shift__starts_at__lt=end,
            shift__cancelled=False, volunteer__user__is_active=True,
        )
        .exclude(shift__activity__status=Activity.Status.CANCELLED)
        .select_related("shift__activity", "slot__position", "volunteer__user")
        .order_by("shift__starts_at", "id")
    )
    url = _my_shifts_url()
    due = sent = 0
    for signup in signups.iterator(chunk_size=500):
        due += 1
        user = signup.volunteer.user
        with in_language_of(user):
            title, body = reminder_text(signup)
        if notify(user=user, kind=Notification.Kind.SHIFT_REMINDER, title=title, body=body, url=url,
                  key=f"reminder:signup:{signup.pk}"):
            sent += 1
    return ReminderRun(day=day, due=due, sent=sent)
