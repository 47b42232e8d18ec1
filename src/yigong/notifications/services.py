"""Notifications: the in-app inbox row is written in the caller's transaction; email and SMS are
sent by a background task after commit (Django tasks; immediate backend by default)."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from yigong.notifications.models import Notification


def notify(*, user, kind: str, title: str, body: str = "", url: str = "", key: str = "") -> Notification | None:
    """Put a message in `user`'s inbox and send it on the external channels after commit.

    `title` and `body` should already be in the recipient's language (translation.override with
    user.preferred_language). With a `key`, a second call for the same user and key does nothing.
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
