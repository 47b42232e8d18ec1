"""Fixed-window throttling kept in the database, so every server process sees the same count.

Keys must never hold personal data in clear (hash an identifier that may be a phone number).
"""

from __future__ import annotations

from datetime import timedelta

from django.db import IntegrityError, transaction
from django.utils import timezone

from yigong.core.errors import Throttled
from yigong.core.models import ThrottleBucket


def _locked_bucket(key: str, window: int) -> ThrottleBucket:
    """The bucket for `key`, row-locked until the surrounding transaction ends; a new window if expired."""
    now = timezone.now()
    bucket = ThrottleBucket.objects.select_for_update().filter(key=key).first()
    if bucket is None:
        try:
            with transaction.atomic():
                return ThrottleBucket.objects.create(key=key, window_start=now, count=0)
        except IntegrityError:
            # Another request created it first; wait for its lock like everyone else.
            bucket = ThrottleBucket.objects.select_for_update().get(key=key)
    if bucket.window_start + timedelta(seconds=window) <= now:
        bucket.window_start, bucket.count = now, 0
        bucket.save(update_fields=["window_start", "count"])
    return bucket


def _retry_after(bucket: ThrottleBucket, window: int) -> int:
    end = bucket.window_start + timedelta(seconds=window)
    return max(1, int((end - timezone.now()).total_seconds()))


def check(key: str, *, limit: int, window: int) -> None:
    """Raise Throttled if `key` already used up `limit` hits in the current window."""
    bucket = ThrottleBucket.objects.filter(key=key).first()
    if bucket is None:
        return
    if bucket.window_start + timedelta(seconds=window) > timezone.now() and bucket.count >= limit:
        raise Throttled(retry_after=_retry_after(bucket, window))


def hit(key: str, *, window: int) -> int:
    """Count one hit against `key`; returns the count in the current window."""
    with transaction.atomic():
        bucket = _locked_bucket(key, window)
        bucket.count += 1
        bucket.save(update_fields=["count"])
        return bucket.count


def attempt(key: str, *, limit: int, window: int) -> int:
    """Count one attempt, or raise Throttled if `limit` attempts were already made in the window.

    Check and count happen under one row lock, so parallel requests cannot slip past the limit.
    """
    with transaction.atomic():
        bucket = _locked_bucket(key, window)
        if bucket.count >= limit:
            raise Throttled(retry_after=_retry_after(bucket, window))
        bucket.count += 1
        bucket.save(update_fields=["count"])
        return bucket.count


def reset(key: str) -> None:
    ThrottleBucket.objects.filter(key=key).delete()


def limit(key: str, *, limit: int, window: int) -> None:
    """Check then count: for endpoints where every call counts (e.g. verification look-ups)."""
    attempt(key, limit=limit, window=window)
