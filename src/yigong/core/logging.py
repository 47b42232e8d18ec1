"""Keeps resident-ID and phone numbers out of logs."""

from __future__ import annotations

import logging
import re

_ID = re.compile(r"(?<![0-9])([1-9]\d{5})(\d{8})(\d{3}[\dXx])(?![0-9])")
_PHONE = re.compile(r"(?<![0-9])(1[3-9]\d)(\d{4})(\d{4})(?![0-9])")


def redact(text: str) -> str:
    text = _ID.sub(lambda m: m.group(1)[:4] + "*" * 10 + m.group(3)[-4:], text)
    return _PHONE.sub(lambda m: m.group(1) + "****" + m.group(3), text)


class RedactPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # noqa: BLE001 - a bad format string must not break logging
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, None
        return True
