from __future__ import annotations

import logging

from django_tasks import task

logger = logging.getLogger(__name__)


@task()
def deliver(notification_id: int) -> None:
    """Send one notification on the external channels (email, SMS) configured for the platform."""
    from yigong.notifications.channels import send_external
    from yigong.notifications.models import Notification

    notification = Notification.objects.select_related("user").filter(pk=notification_id).first()
    if notification is None:
        return
    send_external(notification)
