"""District settings kept in the database, with defaults in code."""

from __future__ import annotations

from typing import Any

from yigong.core.models import DistrictSetting

DEFAULTS: dict[str, Any] = {
    "minimum_age": 10,  # Shenzhen practice: from age 10 with a guardian
    "guardian_consent_age": 18,
    "child_data_consent_age": 14,
    # Attendance (QR check-in/out and hours): minutes.
    "checkin_early_minutes": 30,  # check-in opens this long before a shift starts
    "checkin_late_minutes": 30,  # check-in and check-out close this long after it ends
    "hours_grace_minutes": 10,  # arriving this late or leaving this early still counts the full shift
    "qr_screen_minutes": 5,  # a QR code shown on a screen is valid this long (it refreshes every minute)
}


def get(key: str) -> Any:
    row = DistrictSetting.objects.filter(key=key).values_list("value", flat=True).first()
    return DEFAULTS[key] if row is None else row


def put(*, key: str, value: Any, actor=None) -> None:
    from yigong.core import audit

    DistrictSetting.objects.update_or_create(key=key, defaults={"value": value})
    audit.record(actor=actor, action="setting.change", key=key, value=value)
