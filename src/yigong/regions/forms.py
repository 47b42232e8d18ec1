"""Choices for picking a street and then a community in forms (registration, console filters)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from yigong.regions.models import Region


def street_choices() -> list[tuple[str, str]]:
    streets = Region.objects.streets().filter(active=True).order_by("code").values_list("code", "name")
    return [("", _("Choose a street")), *streets]


def community_choices(street_code: str = "", *, within: list[str] | None = None) -> list:
    """Communities of one street, or of all streets grouped by street (one query).

    `within` limits the list to region paths (e.g. a staff member's area).
    """
    qs = (Region.objects.communities().filter(active=True).select_related("parent")
          .order_by("parent__code", "code"))
    if street_code:
        qs = qs.filter(parent__code=street_code)
    if within is not None:
        from django.db.models import Q

        q = Q(pk__in=[])
        for path in within:
            q |= Q(path__startswith=path)
        qs = qs.filter(q)
    choices: list = [("", _("Choose a community"))]
    if street_code:
        return choices + [(c.code, c.name) for c in qs]
    groups: dict[str, list[tuple[str, str]]] = {}
    for community in qs:
        groups.setdefault(community.parent.name if community.parent_id else "", []).append(
            (community.code, community.name))
    return choices + list(groups.items())
