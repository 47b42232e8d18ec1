"""External channels: email and SMS, each behind a pluggable backend.

Email uses Django's EMAIL_BACKEND (YIGONG_EMAIL_BACKEND: console by default, smtp in production).
SMS uses YIGONG_SMS_BACKEND, the dotted path of a class with Django's email-backend shape:
`send_messages(messages: list[SmsMessage]) -> int`. A deployment plugs in its SMS gateway by
subclassing BaseSmsBackend; gateways that send only approved templates (Aliyun, Tencent Cloud)
map `message.kind` to their template and pass `message.text` as its variable.
See docs/NOTIFICATIONS.md.
"""

from __future__ import annotations

import logging
import sys
from dataclasses import dataclass

from django.conf import settings
from django.core.mail import EmailMessage
from django.utils import translation
from django.utils.module_loading import import_string
from django.utils.translation import gettext as _

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class SmsMessage:
    phone: str  # +86 mobile number, E.164
    text: str  # already in the recipient's language, with the platform's signature
    kind: str = ""  # Notification.Kind, for gateways that need a template per kind
    language: str = ""


class BaseSmsBackend:
    def send_messages(self, messages: list[SmsMessage]) -> int:
        """Send the messages; return how many were sent. Raise on a failure worth retrying."""
        raise NotImplementedError


class ConsoleSmsBackend(BaseSmsBackend):
    """Writes each message to standard output instead of sending it (phone masked): the default."""

    stream = None

    def send_messages(self, messages: list[SmsMessage]) -> int:
        from yigong.core.masking import mask_phone

        stream = self.stream or sys.stdout
        for message in messages:
            stream.write(f"SMS to {mask_phone(message.phone)} [{message.kind}]: {message.text}\n")
        stream.flush()
        return len(messages)


class MemorySmsBackend(BaseSmsBackend):
    """Keeps messages in `MemorySmsBackend.outbox` (like Django's locmem mail backend): for tests
    and demonstrations."""

    outbox: list[SmsMessage] = []

    def send_messages(self, messages: list[SmsMessage]) -> int:
        MemorySmsBackend.outbox.extend(messages)
        return len(messages)


class NullSmsBackend(BaseSmsBackend):
    """Sends nothing (a deployment without SMS)."""

    def send_messages(self, messages: list[SmsMessage]) -> int:
        return 0


def sms_backend() -> BaseSmsBackend:
    return import_string(settings.YIGONG_SMS_BACKEND)()


def absolute_url(path: str) -> str:
    """A link for email and SMS: absolute when YIGONG_SITE_URL is set, else the path."""
    if not path or path.startswith(("http://", "https://")):
        return path
    return settings.YIGONG_SITE_URL + path if settings.YIGONG_SITE_URL else ""


def _language(user) -> str:
    return getattr(user, "preferred_language", "") or settings.LANGUAGE_CODE


def email_message(notification) -> EmailMessage:
    """The notification as an email in the recipient's language."""
    user = notification.user
    with translation.override(_language(user)):
        link = absolute_url(notification.url)
        parts = [notification.body or notification.title]
        if link:
            parts.append(_("Open: %(link)s") % {"link": link})
        parts.append("—\n" + _("Sent by the Yigong volunteer platform. Your messages are also in your inbox on the platform."))
        subject = _("[Yigong] %(title)s") % {"title": notification.title}
    return EmailMessage(subject=subject, body="\n\n".join(parts), to=[user.email])


def sms_message(notification) -> SmsMessage:
    """The notification as a short text in the recipient's language, signed as Chinese SMS must be."""
    user = notification.user
    language = _language(user)
    with translation.override(language):
        signature = _("[Yigong]")
        text = f"{signature}{notification.title}"
        if notification.body:
            text += " " + notification.body
        link = absolute_url(notification.url)
        if link:
            text += " " + link
    return SmsMessage(phone=user.phone, text=text, kind=notification.kind, language=language)
