"""Writes on the service-hour ledger: append an entry, correct an entry. Nothing else, ever."""

from __future__ import annotations

from datetime import date, datetime

from django.db import IntegrityError, transaction
from django.db.models import Sum
from django.urls import NoReverseMatch, reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from yigong.core import audit
from yigong.core.errors import Conflict, NotAllowed, ValidationFailed
from yigong.ledger.chain import GENESIS_HASH, entry_hash, fields_of
from yigong.ledger.models import LedgerEntry, LedgerHead

REASON_MAX = LedgerEntry._meta.get_field("reason").max_length


def _cut(value: str, field: str) -> str:
    """Stored exactly as hashed: text is trimmed to the column's length before hashing."""
    return (value or "")[: LedgerEntry._meta.get_field(field).max_length]


def lock_head(district_code: str) -> LedgerHead:
    """Lock the tip of a district's chain for the rest of the caller's transaction (create it on first use)."""
    head = LedgerHead.objects.select_for_update().filter(district_code=district_code).first()
    if head is not None:
        return head
    try:
        with transaction.atomic():
            LedgerHead.objects.create(district_code=district_code, last_entry_id=None,
                                      last_hash=GENESIS_HASH, count=0)
    except IntegrityError:
        pass  # another transaction created it first; lock theirs
    return LedgerHead.objects.select_for_update().get(district_code=district_code)


def append_entry(
    *,
    actor,
    volunteer,
    organization,
    service_date: date,
    minutes: int,
    source: str,
    kind: str = LedgerEntry.Kind.SERVICE,
    activity=None,
    shift=None,
    signup=None,
    activity_title: str = "",
    position_name: str = "",
    organization_name: str = "",
    started_at: datetime | None = None,
    ended_at: datetime | None = None,
    corrects: LedgerEntry | None = None,
    reason: str = "",
    now: datetime | None = None,
) -> LedgerEntry:
    """Append one entry to the volunteer's district chain, inside the caller's transaction.

    Locks the chain's head row, so entries of one district are chained one at a time, in id order.
    The caller checks permissions and writes its own audit event; this only keeps the chain.
    """
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("append_entry() must run inside the caller's transaction")
    if not isinstance(minutes, int) or isinstance(minutes, bool):
        raise TypeError("ledger minutes are whole numbers")
    district_code = volunteer.district_code
    head = lock_head(district_code)
    entry = LedgerEntry(
        district_code=district_code,
        seq=head.count + 1,
        volunteer=volunteer,
        registration_number=volunteer.registration_number,
        organization=organization,
        organization_name=_cut(organization_name or organization.name, "organization_name"),
        activity=activity,
        activity_title=_cut(activity_title or (activity.title if activity else ""), "activity_title"),
        shift=shift,
        signup=signup,
        position_name=_cut(position_name, "position_name"),
        service_date=service_date,
        started_at=started_at,
        ended_at=ended_at,
        minutes=minutes,
        kind=kind,
        source=source,
        corrects=corrects,
        reason=_cut(reason, "reason"),
        recorded_by=actor if getattr(actor, "pk", None) else None,
        recorded_at=now or timezone.now(),
        prev_hash=head.last_hash,
    )
    entry.hash = entry_hash(head.last_hash, fields_of(entry))
    entry.save(force_insert=True)
    head.last_entry_id, head.last_hash, head.count = entry.pk, entry.hash, entry.seq
    head.save(update_fields=["last_entry_id", "last_hash", "count"])
    return entry


def current_minutes(entry: LedgerEntry) -> int:
    """An original entry's minutes after all its corrections."""
    extra = entry.corrections.aggregate(total=Sum("minutes"))["total"] or 0
    return entry.minutes + extra


@transaction.atomic
def correct_entry(
    *,
    actor,
    entry: LedgerEntry,
    reason: str,
    minutes_delta: int | None = None,
    new_minutes: int | None = None,
    now: datetime | None = None,
) -> LedgerEntry:
    """Append a correction of a service entry: the old value stays, the correction says by how much,
    why and who. Only staff of the recording organization (or of an organization above it) may."""
    from yigong.organizations.permissions import can_manage

    original = LedgerEntry.objects.select_related("organization", "volunteer__user").get(
        pk=entry.corrects_id or entry.pk
    )
    if not can_manage(actor, original.organization):
        raise NotAllowed(_("Only the organization that recorded this service can correct it."))
    reason = " ".join((reason or "").split())
    errors: dict[str, list[str]] = {}
    if not reason:
        errors["reason"] = [_("Give the reason for the correction.")]
    elif len(reason) > REASON_MAX:
        errors["reason"] = [_("The reason is too long (%(max)d characters at most).") % {"max": REASON_MAX}]
    if (minutes_delta is None) == (new_minutes is None):
        errors["minutes"] = [_("Give either the new number of minutes or the change in minutes.")]
    for name, value in (("minutes_delta", minutes_delta), ("new_minutes", new_minutes)):
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            errors[name] = [_("Enter a whole number of minutes.")]
    if errors:
        raise ValidationFailed(_("The correction was not recorded."), fields=errors)

    lock_head(original.district_code)  # corrections of one entry happen one at a time
    before = current_minutes(original)
    if new_minutes is not None:
        if new_minutes < 0:
            raise ValidationFailed(fields={"new_minutes": [_("Minutes cannot be negative.")]})
        delta = new_minutes - before
    else:
        delta = minutes_delta
        if before + delta < 0:
            raise ValidationFailed(fields={"minutes_delta": [
                _("This would leave %(minutes)d minutes; a service cannot have fewer than 0.")
                % {"minutes": before + delta}
            ]})
    if delta == 0:
        raise Conflict(_("The record already shows %(minutes)d minutes; nothing to correct.")
                       % {"minutes": before}, code="no_change")
    correction = append_entry(
        actor=actor,
        volunteer=original.volunteer,
        organization=original.organization,
        organization_name=original.organization_name,
        activity=original.activity,
        activity_title=original.activity_title,
        shift=original.shift,
        signup=original.signup,
        position_name=original.position_name,
        service_date=original.service_date,
        minutes=delta,
        kind=LedgerEntry.Kind.CORRECTION,
        source=LedgerEntry.Source.CORRECTION,
        corrects=original,
        reason=reason,
        now=now,
    )
    audit.record(actor=actor, action="ledger.correct", target=correction, organization=original.organization,
                 corrects=original.pk, minutes_before=before, minutes_after=before + delta, reason=reason)
    _notify_correction(original, before, before + delta, reason)
    return correction


def _notify_correction(original: LedgerEntry, before: int, after: int, reason: str) -> None:
    from yigong.notifications.models import Notification
    from yigong.notifications.services import in_language_of, notify

    user = original.volunteer.user
    if user is None:
        return
    with in_language_of(user):
        notify(
            user=user, kind=Notification.Kind.GENERAL, url=_archive_url(),
            title=_("Your service record was corrected"),
            body=_("%(activity)s on %(date)s: %(before)d → %(after)d minutes. Reason: %(reason)s") % {
                "activity": original.activity_title, "date": original.service_date.isoformat(),
                "before": before, "after": after, "reason": reason,
            },
        )


def _archive_url() -> str:
    try:
        return reverse("archive:mine")
    except NoReverseMatch:
        return ""
