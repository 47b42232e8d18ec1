"""External channels. Email uses Django's EMAIL_BACKEND; SMS uses YIGONG_SMS_BACKEND (console by
default). A deployment plugs in its SMS gateway by naming a class with a `send(phone, text)` method."""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.mail import send_mail
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)


class ConsoleSmsBackend:
    """Writes the message to the log instead of sending it (phone masked)."""

    def send(self, phone: str, text: str) -> None:
        from yigong.core.masking import mask_phone

        logger.info("SMS to %s: %s", mask_phone(phone), text)


def sms_backend():
    return import_string(getattr(settings, "YIGONG_SMS_BACKEND", "yigong.notifications.channels.ConsoleSmsBackend"))()


def send_external(notification) -> None:
    user = notification.user
    text = notification.title + ("\n" + notification.body if notification.body else "")
    if user.email:
        send_mail(notification.title, notification.body or notification.title, None, [user.email],
                  fail_silently=True)
    if user.phone:
        sms_backend().send(user.phone, text)
