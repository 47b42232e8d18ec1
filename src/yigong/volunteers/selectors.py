"""Reads on volunteers for the staff console (N+1-free)."""

from __future__ import annotations

from django.db.models import Q, QuerySet

from yigong.accounts.phone import normalize_mobile, phone_lookup_hash
from yigong.core.errors import ValidationFailed
from yigong.volunteers.identity import IdType, parse_resident_id
from yigong.volunteers.models import Volunteer
from yigong.volunteers.services import id_lookup_hash


def in_scope_for_console(user) -> QuerySet[Volunteer]:
    """Volunteers the user may see, with what a list row shows, in one query."""
    return (Volunteer.objects.visible_to(user)
            .select_related("home_community", "home_community__parent")
            .order_by("-registered_at", "-id"))


def search(qs: QuerySet[Volunteer], text: str) -> QuerySet[Volunteer]:
    """By name (part of it), registration number (a prefix), or a full ID or phone number.

    Full numbers are matched through their keyed hashes, never by reading stored numbers.
    """
    text = " ".join((text or "").split())
    if not text:
        return qs
    q = Q(name__icontains=text)
    compact = text.replace(" ", "").upper()
    if compact.isdigit() or compact[:-1].isdigit():
        q |= Q(registration_number__startswith=compact)
    try:
        identity = parse_resident_id(compact)
    except ValidationFailed:
        pass
    else:
        q |= Q(id_hash=id_lookup_hash(identity.id_type, identity.number))
    for id_type in (IdType.PASSPORT, IdType.HKMO_PERMIT, IdType.TW_PERMIT, IdType.FOREIGN_PR):
        if len(compact) >= 5:
            q |= Q(id_hash=id_lookup_hash(id_type, compact))
    if compact.lstrip("+").isdigit():
        try:
            q |= Q(user__phone_hash=phone_lookup_hash(normalize_mobile(compact)))
        except ValidationFailed:
            pass
    return qs.filter(q)
