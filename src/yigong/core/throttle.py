"""Fixed-window throttling kept in the database, so every server process sees the same count."""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from yigong.core.errors import Throttled
from yigong.core.models import ThrottleBucket


def _bucket(key: str, window: int) -> ThrottleBucket:
    now = timezone.now()
    try:
        with transaction.atomic():
            bucket = ThrottleBucket.objects.select_for_update().get(key=key)
    except ThrottleBucket.DoesNotExist:
        try:
            with transaction.atomic():
                return ThrottleBucket.objects.create(key=key, window_start=now, count=0)
        except IntegrityError:
            bucket = ThrottleBucket.objects.get(key=key)
    if bucket.window_start + timedelta(seconds=window) <= now:
        bucket.window_start, bucket.count = now, 0
        bucket.save(update_fields=["window_start", "count"])
    return bucket


def check(key: str, *, limit: int, window: int) -> None:
    """Raise Throttled if `key` already used up `limit` hits in the current window."""
    bucket = ThrottleBucket.objects.filter(key=key).first()
    if bucket is None:
        return
    now = timezone.now()
    end = bucket.window_start + timedelta(seconds=window)
    if end > now and bucket.count >= limit:
        raise Throttled(retry_after=max(1, int((end - now).total_seconds())))


def hit(key: str, *, window: int) -> int:
    """Count one hit against `key`; returns the count in the current window."""
    with transaction.atomic():
        bucket = _bucket(key, window)
        ThrottleBucket.objects.filter(pk=bucket.pk).update(count=bucket.count + 1)
        return bucket.count + 1


def reset(key: str) -> None:
    ThrottleBucket.objects.filter(key=key).delete()


def limit(key: str, *, limit: int, window: int) -> None:
    """Check then count: for endpoints where every call counts (e.g. verification look-ups)."""
    check(key, limit=limit, window=window)
    hit(key, window=window)
