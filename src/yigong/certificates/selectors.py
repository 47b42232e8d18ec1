"""Reads: what a certificate covers, whether a certificate still holds, lists for pages and the archive."""

from __future__ import annotations

import hashlib
import json
import logging
from dataclasses import dataclass, field
from datetime import date

from django.db.models import F, IntegerField, OuterRef, Q, Subquery, Sum, Value
from django.db.models.functions import Coalesce

from yigong.certificates import numbers, signing
from yigong.certificates.models import Certificate, CertificateEntry, CorrectionRequest
from yigong.ledger.models import LedgerEntry

logger = logging.getLogger("yigong.certificates")


# --- coverage: which ledger entries a certificate speaks for -------------------------------------

@dataclass
class Coverage:
    entries: list[LedgerEntry]  # service entries in the period and their corrections, by id
    minutes: int

    @property
    def pairs(self) -> list[list]:
        return [[e.pk, e.hash] for e in self.entries]

    @property
    def digest(self) -> str:
        return coverage_digest(self.pairs, self.minutes)


def coverage_digest(pairs: list, minutes: int) -> str:
    text = json.dumps({"entries": pairs, "minutes": minutes}, separators=(",", ":"))
    return hashlib.sha256(text.encode()).hexdigest()


def service_scope(*, kind: str, issuer) -> Q:
    """Which recording organizations' entries a certificate of `kind` by `issuer` covers."""
    if kind == Certificate.Kind.ORGANIZATION:
        return Q(organization=issuer)  # whoever records certifies
    if kind == Certificate.Kind.HOURS_PROOF:
        return Q(organization__path__startswith=issuer.path)  # the school's or team's own subtree
    return Q()  # the district summary covers every organization


def coverage(*, volunteer, kind: str, issuer, start: date, end: date) -> Coverage:
    """Service entries dated in the period (by the scope's organizations) and every correction of them."""
    services = list(
        LedgerEntry.objects.filter(
            service_scope(kind=kind, issuer=issuer), volunteer=volunteer, kind=LedgerEntry.Kind.SERVICE,
            service_date__gte=start, service_date__lte=end,
        ).order_by("id")
    )
    corrections = list(
        LedgerEntry.objects.filter(corrects_id__in=[e.pk for e in services]).order_by("id")
    ) if services else []
    entries = sorted(services + corrections, key=lambda e: e.pk)
    return Coverage(entries=entries, minutes=sum(e.minutes for e in entries))


def issuers_with_hours(*, volunteer, start: date, end: date) -> list[int]:
    """Ids of the organizations that recorded service for the volunteer in the period."""
    return list(
        LedgerEntry.objects.filter(
            volunteer=volunteer, kind=LedgerEntry.Kind.SERVICE, service_date__gte=start, service_date__lte=end,
        ).order_by("organization_id").values_list("organization_id", flat=True).distinct()
    )


def service_lines(entries: list[LedgerEntry]) -> list[dict]:
    """The certificate's services table: per organization and activity, dates, count and minutes.

    Corrections count with the service they correct; a service corrected to zero is left out.
    """
    net: dict[int, int] = {}
    originals: dict[int, LedgerEntry] = {}
    for e in entries:
        root = e.corrects_id or e.pk
        net[root] = net.get(root, 0) + e.minutes
        if e.corrects_id is None:
            originals[e.pk] = e
    groups: dict[tuple, dict] = {}
    for pk, e in originals.items():
        if net.get(pk, 0) <= 0:
            continue
        key = (e.organization_name, e.activity_title)
        g = groups.setdefault(key, {"organization": e.organization_name, "activity": e.activity_title,
                                    "first": e.service_date, "last": e.service_date, "count": 0,
                                    "minutes": 0})
        g["first"], g["last"] = min(g["first"], e.service_date), max(g["last"], e.service_date)
        g["count"] += 1
        g["minutes"] += net[pk]
    lines = sorted(groups.values(), key=lambda g: (g["first"], g["organization"], g["activity"]))
    for g in lines:
        g["first"], g["last"] = g["first"].isoformat(), g["last"].isoformat()
    return lines


# --- verification ---------------------------------------------------------------------------------

AUTHENTIC = "authentic"
SUPERSEDED = "superseded"
NOT_AUTHENTIC = "not_authentic"
UNKNOWN = "unknown"
INVALID = "invalid_number"


@dataclass
class Verification:
    state: str
    number: str  # normalized, as looked up
    certificate: Certificate | None = None
    content: dict = field(default_factory=dict)
    reason: str = ""  # a code: corrected, signature, row_altered, ledger_altered

    @property
    def is_valid(self) -> bool:
        return self.state == AUTHENTIC


def _row_agrees(cert: Certificate, content: dict) -> bool:
    """The queryable columns must say what the signed content says."""
    try:
        return (
            content["number"] == cert.number
            and content["kind"] == cert.kind
            and content["minutes"] == cert.minutes
            and content["issuer"]["id"] == cert.issuer_id
            and content["volunteer"]["registration_number"] == cert.volunteer.registration_number
            and content["period"] == [cert.period_start.isoformat(), cert.period_end.isoformat()]
            and content["issued_on"] == cert.issued_on.isoformat()
            and coverage_digest(content["entries"], content["minutes"]) == cert.coverage
        )
    except (KeyError, TypeError):
        return False


def verify(raw_number: str) -> Verification:
    """Is this certificate authentic, and does it still hold? Never trusts the row alone.

    invalid_number: wrong shape or check character (refused before any look-up); unknown: no such
    certificate; not_authentic: the signature does not match the stored content, the row disagrees
    with the signed content, or the ledger entries it covers were altered outside the application;
    superseded: one of its services was corrected after issue; authentic: none of these.
    """
    number = numbers.normalize(raw_number)
    if not numbers.is_valid(number):
        return Verification(INVALID, number)
    cert = Certificate.objects.select_related("issuer", "volunteer").filter(number=number).first()
    if cert is None:
        return Verification(UNKNOWN, number)
    if not signing.verify(cert.content, cert.signature, cert.key_id):
        return _refuse(cert, number, "signature")
    try:
        content = json.loads(cert.content)
    except ValueError:
        return _refuse(cert, number, "signature")
    if not _row_agrees(cert, content):
        return _refuse(cert, number, "row_altered")
    signed = {pk: h for pk, h in content["entries"]}
    current = list(LedgerEntry.objects.filter(pk__in=list(signed)).values_list("pk", "hash", "minutes"))
    if len(current) != len(signed) or any(signed[pk] != h for pk, h, _m in current) \
            or sum(m for _p, _h, m in current) != content["minutes"]:
        return _refuse(cert, number, "ledger_altered")
    later = LedgerEntry.objects.filter(corrects_id__in=list(signed)).exclude(pk__in=list(signed))
    if later.exists():
        return Verification(SUPERSEDED, number, cert, content, "corrected")
    return Verification(AUTHENTIC, number, cert, content)


def _refuse(cert: Certificate, number: str, reason: str) -> Verification:
    logger.warning("certificate %s failed verification: %s", number, reason)
    return Verification(NOT_AUTHENTIC, number, cert, {}, reason)


def superseded_ids(certificate_ids: list[int]) -> set[int]:
    """Which of these certificates have a service corrected after issue (two queries for any number)."""
    if not certificate_ids:
        return set()
    covered: dict[int, set[int]] = {}
    for cert_id, entry_id in CertificateEntry.objects.filter(certificate_id__in=certificate_ids) \
            .values_list("certificate_id", "entry_id"):
        covered.setdefault(cert_id, set()).add(entry_id)
    all_entries = set().union(*covered.values()) if covered else set()
    corrections = list(
        LedgerEntry.objects.filter(corrects_id__in=all_entries).values_list("pk", "corrects_id")
    )
    out = set()
    for cert_id, entries in covered.items():
        if any(target in entries and pk not in entries for pk, target in corrections):
            out.add(cert_id)
    return out


def certificates_for_volunteer(volunteer) -> list[Certificate]:
    """The volunteer's certificates, newest first, each with `.superseded` set (for pages and the archive)."""
    certs = list(Certificate.objects.of_volunteer(volunteer).listing())
    stale = superseded_ids([c.pk for c in certs])
    for c in certs:
        c.superseded = c.pk in stale
    return certs


# --- corrections ---------------------------------------------------------------------------------

def corrections_for_volunteer(volunteer):
    """The volunteer's correction requests and their answers (for the archive), newest first."""
    return (
        CorrectionRequest.objects.filter(volunteer=volunteer)
        .select_related("organization", "entry")
        .order_by("-created_at", "-id")
    )


def correction_queue(user, *, status: str | None = CorrectionRequest.Status.PENDING):
    """Requests to organizations the staff user manages; pending ones by default, oldest first."""
    qs = CorrectionRequest.objects.for_staff(user).select_related("organization", "entry", "volunteer")
    if status:
        qs = qs.filter(status=status)
    return qs.order_by("created_at", "id")


def disputable_entries(volunteer):
    """The volunteer's original service records (a dispute names one of these), newest first, each
    with `current_minutes` (after corrections). One query."""
    corrected = (
        LedgerEntry.objects.filter(corrects=OuterRef("pk")).order_by().values("corrects")
        .annotate(total=Sum("minutes")).values("total")[:1]
    )
    return (
        LedgerEntry.objects.filter(volunteer=volunteer, kind=LedgerEntry.Kind.SERVICE)
        .annotate(current_minutes=F("minutes") + Coalesce(Subquery(corrected, output_field=IntegerField()),
                                                         Value(0)))
        .order_by("-service_date", "-id")
    )


# --- export (personal data download) -------------------------------------------------------------

def export_certificates(volunteer) -> list[dict]:
    return [
        {"number": c.number, "kind": c.kind, "issuer": c.issuer.name,
         "period": [c.period_start.isoformat(), c.period_end.isoformat()], "minutes": c.minutes,
         "issued_on": c.issued_on.isoformat(), "superseded": c.superseded}
        for c in certificates_for_volunteer(volunteer)
    ]


def export_corrections(volunteer) -> list[dict]:
    return [
        {"kind": r.kind, "organization": r.organization.name, "entry": r.entry_id,
         "activity": r.activity_title, "service_date": r.service_date.isoformat() if r.service_date else None,
         "minutes": r.minutes, "evidence": r.evidence, "status": r.status,
         "requested_at": r.created_at.isoformat(),
         "answered_at": r.decided_at.isoformat() if r.decided_at else None, "reason": r.decision_reason}
        for r in corrections_for_volunteer(volunteer)
    ]
