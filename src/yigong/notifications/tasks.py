from __future__ import annotations

import logging

from django.utils import timezone
from django_tasks import task

logger = logging.getLogger(__name__)


def _claim(notification_id: int, stamp: str) -> bool:
    """Mark one channel as sent before sending, in one conditional UPDATE: if two workers run the
    same task (a retry, a duplicate), only one of them sends."""
    from yigong.notifications.models import Notification

    return bool(
        Notification.objects.filter(pk=notification_id, **{f"{stamp}__isnull": True})
        .update(**{stamp: timezone.now()})
    )


def _release(notification_id: int, stamp: str) -> None:
    from yigong.notifications.models import Notification

    Notification.objects.filter(pk=notification_id).update(**{stamp: None})


@task()
def deliver(notification_id: int) -> dict:
    """Send one notification on the external channels (email, SMS) its recipient can receive.

    Each channel is sent at most once. A channel that fails is released again and the task fails
    (the database backend records it), so that running the task again sends what is missing.
    """
    from yigong.notifications import channels
    from yigong.notifications.models import Notification

    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None or not notification.user.is_active:
        return {"email": False, "sms": False}
    user = notification.user
    sent = {"email": False, "sms": False}
    failure: Exception | None = None
    if user.email and _claim(notification.pk, "email_sent_at"):
        try:
            channels.email_message(notification).send(fail_silently=False)
            sent["email"] = True
        except Exception as exc:  # noqa: BLE001 - any failure of the mail server
            _release(notification.pk, "email_sent_at")
            logger.warning("email for notification %s failed: %s", notification.pk, exc)
            failure = exc
    if user.phone and _claim(notification.pk, "sms_sent_at"):
        try:
            channels.sms_backend().send_messages([channels.sms_message(notification)])
            sent["sms"] = True
        except Exception as exc:  # noqa: BLE001 - any failure of the SMS gateway
            _release(notification.pk, "sms_sent_at")
            logger.warning("SMS for notification %s failed: %s", notification.pk, exc)
            failure = exc
    if failure is not None:
        raise failure
    return sent
