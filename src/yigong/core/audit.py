from __future__ import annotations

from typing import Any

from django.db import models

from yigong.core.models import AuditEvent


def record(
    *, actor, action: str, target: models.Model | None = None, organization=None,
    **data: Any,
) -> AuditEvent:
    """Write one audit event. Call inside the service's transaction."""
    return AuditEvent.objects.create(
        actor=actor if (actor is not None and getattr(actor, "pk", None)) else None,
        action=action,
        target_type=target._meta.label_lower if target is not None else "",
        target_id=str(target.pk) if target is not None else "",
        organization=organization,
        data=data,
    )
