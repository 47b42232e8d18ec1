"""Writes: issuing certificates, filing and answering correction requests (Order No. 67)."""

from __future__ import annotations

from datetime import date

from django.conf import settings
from django.db import IntegrityError, transaction
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop

from yigong.certificates import numbers, selectors, signing
from yigong.certificates.models import Certificate, CertificateEntry, CorrectionRequest
from yigong.certificates.sections import SectionContext, collect
from yigong.core import audit, throttle
from yigong.core.errors import Conflict, NotAllowed, NotFound, ValidationFailed
from yigong.core.masking import mask_name
from yigong.ledger.models import LedgerEntry
from yigong.organizations import permissions
from yigong.organizations.models import Membership, Organization
from yigong.volunteers.models import Volunteer

EARLIEST = date(2000, 1, 1)
REQUESTS_PER_HOUR = 30
CORRECTIONS_PER_DAY = 10
MAX_MINUTES_PER_RECORD = 24 * 60
EVIDENCE_MAX_CHARS = 2000
EVIDENCE_MAX_BYTES = 5 * 1024 * 1024
# Accepted evidence files, recognized by their first bytes (not by the name the browser sends).
EVIDENCE_TYPES = {b"%PDF-": ".pdf", b"\x89PNG\r\n\x1a\n": ".png", b"\xff\xd8\xff": ".jpg"}


class NoHours(Conflict):
    code = "no_hours"


def is_self(actor, volunteer: Volunteer) -> bool:
    return bool(volunteer.user_id) and volunteer.user_id == getattr(actor, "pk", None)


def may_act_for(actor, volunteer: Volunteer) -> bool:
    """The volunteer themself, or staff whose scope includes the volunteer."""
    if is_self(actor, volunteer):
        return True
    return Volunteer.objects.visible_to(actor).filter(pk=volunteer.pk).exists()


def _check_period(start, end, *, today: date) -> None:
    errors: dict[str, list[str]] = {}
    if start is None:
        errors["period_start"] = [_("Enter the first day of the period.")]
    if end is None:
        errors["period_end"] = [_("Enter the last day of the period.")]
    if not errors:
        if start > end:
            errors["period_end"] = [_("The period ends before it starts.")]
        elif end > today:
            errors["period_end"] = [_("The period cannot end in the future.")]
        elif start < EARLIEST:
            errors["period_start"] = [_("The period cannot start before 2000.")]
    if errors:
        raise ValidationFailed(_("Check the period."), fields=errors)


def district_federation() -> Organization:
    org = Organization.objects.active().filter(kind=Organization.Kind.DISTRICT_FEDERATION).order_by("path").first()
    if org is None:
        raise Conflict(_("There is no district volunteer federation on record to issue a district summary."),
                       code="no_district_federation")
    return org


def hours_proof_issuers(volunteer: Volunteer):
    """Organizations that may issue an hours proof for the volunteer: those they are an active member of."""
    if not volunteer.user_id:
        return Organization.objects.none()
    return Organization.objects.active().filter(
        memberships__user_id=volunteer.user_id, memberships__status=Membership.Status.ACTIVE,
    ).distinct().order_by("name")


def _content(*, number, kind, volunteer, issuer, start, end, cover, issued_on) -> dict:
    return {
        "v": 1,
        "number": number,
        "kind": kind,
        "volunteer": {
            "registration_number": volunteer.registration_number,
            "name_masked": mask_name(volunteer.name),
            "id_type": volunteer.id_type,
            "id_masked": volunteer.id_masked,
        },
        "period": [start.isoformat(), end.isoformat()],
        "minutes": cover.minutes,
        "issuer": {"id": issuer.pk, "name": issuer.name, "credit_code": issuer.credit_code},
        "issued_on": issued_on.isoformat(),
        "entries": cover.pairs,
    }


def _issue(*, actor, volunteer, kind, issuer, start, end, cover, person_in_charge, handler,
           now) -> Certificate:
    issued_on = timezone.localdate(now)
    document = {
        "name": volunteer.name,
        "services": selectors.service_lines(cover.entries),
        "service_count": sum(1 for e in cover.entries if e.corrects_id is None),
        "sections": collect(SectionContext(volunteer=volunteer, issuer=issuer, kind=kind, period_start=start,
                                           period_end=end, issued_on=issued_on)),
    }
    for _attempt in range(5):
        number = numbers.new_number(issued_on.year)
        content = signing.canonical_json(_content(
            number=number, kind=kind, volunteer=volunteer, issuer=issuer, start=start, end=end,
            cover=cover, issued_on=issued_on,
        ))
        key_id, signature = signing.sign(content)
        try:
            with transaction.atomic():
                cert = Certificate.objects.create(
                    number=number, kind=kind, volunteer=volunteer, issuer=issuer, period_start=start,
                    period_end=end, minutes=cover.minutes, issued_on=issued_on, issued_at=now,
                    requested_by=actor if getattr(actor, "pk", None) else None,
                    person_in_charge=person_in_charge[:60], handler=handler[:60], coverage=cover.digest,
                    content=content, signature=signature, key_id=key_id, document=document,
                )
        except IntegrityError:
            continue  # 55 random bits collided: draw again
        CertificateEntry.objects.bulk_create(
            [CertificateEntry(certificate=cert, entry=e) for e in cover.entries]
        )
        audit.record(actor=actor, action="certificate.issue", target=cert, organization=issuer,
                     number=number, kind=kind, minutes=cover.minutes)
        return cert
    raise Conflict(_("No free certificate number was found; try again."), code="number_exhausted")


@transaction.atomic
def request_certificates(
    *, actor, volunteer: Volunteer, kind: str, period_start: date | None, period_end: date | None,
    organization: Organization | None = None, person_in_charge: str = "", handler: str = "",
    now=None,
) -> list[Certificate]:
    """Issue the certificates a volunteer (or staff for a volunteer in scope) asks for.

    kind=organization: one certificate per organization that recorded hours in the period (or only
    `organization`); kind=district: one summary issued by the district federation; kind=hours_proof:
    a one-page proof issued by a school or team organization the volunteer is a member of, covering
    the hours recorded by it and the organizations under it. Asking again for what an existing,
    still valid certificate already says returns that certificate instead of a new number.
    """
    now = now or timezone.now()
    if volunteer is None or not may_act_for(actor, volunteer):
        raise NotFound(_("No such volunteer in your scope."))
    if kind not in Certificate.Kind.values:
        raise ValidationFailed(fields={"kind": [_("Choose the kind of certificate.")]})
    _check_period(period_start, period_end, today=timezone.localdate(now))
    throttle.limit(f"certificate:request:{actor.pk}", limit=REQUESTS_PER_HOUR, window=3600)
    if not is_self(actor, volunteer):
        handler = handler or actor.display_name or actor.get_username()

    if kind == Certificate.Kind.DISTRICT:
        issuers = [district_federation()]
    elif kind == Certificate.Kind.HOURS_PROOF:
        if organization is None:
            raise ValidationFailed(fields={"organization": [_("Choose the school or team that issues the proof.")]})
        if not hours_proof_issuers(volunteer).filter(pk=organization.pk).exists():
            raise ValidationFailed(fields={"organization": [
                _("%(org)s can issue an hours proof only for its own members.") % {"org": organization.name}
            ]})
        issuers = [organization]
    else:
        ids = selectors.issuers_with_hours(volunteer=volunteer, start=period_start, end=period_end)
        if organization is not None:
            if organization.pk not in ids:
                raise NoHours(_("%(org)s recorded no hours for this volunteer in this period.")
                              % {"org": organization.name})
            ids = [organization.pk]
        issuers = list(Organization.objects.filter(pk__in=ids).order_by("path"))
        if not issuers:
            raise NoHours(_("There are no confirmed hours in this period."))

    issued = []
    for issuer in issuers:
        cover = selectors.coverage(volunteer=volunteer, kind=kind, issuer=issuer, start=period_start,
                                   end=period_end)
        if cover.minutes <= 0:
            if len(issuers) == 1 and kind == Certificate.Kind.DISTRICT:
                raise NoHours(_("There are no confirmed hours in this period."))
            if len(issuers) == 1:
                raise NoHours(_("%(org)s has no confirmed hours for this volunteer in this period.")
                              % {"org": issuer.name})
            continue
        same = Certificate.objects.filter(
            volunteer=volunteer, kind=kind, issuer=issuer, period_start=period_start, period_end=period_end,
            coverage=cover.digest,
        ).order_by("-issued_at").first()
        if same is not None and selectors.verify(same.number).is_valid:
            issued.append(same)
            continue
        issued.append(_issue(
            actor=actor, volunteer=volunteer, kind=kind, issuer=issuer, start=period_start,
            end=period_end, cover=cover, person_in_charge=person_in_charge or issuer.contact_name,
            handler=handler, now=now,
        ))
    if not issued:
        raise NoHours(_("There are no confirmed hours in this period."))
    return issued


def may_download(user, cert: Certificate) -> bool:
    return is_self(user, cert.volunteer) or Volunteer.objects.visible_to(user).filter(pk=cert.volunteer_id).exists()


# --- corrections ---------------------------------------------------------------------------------

def _check_evidence_file(upload) -> None:
    if upload is None:
        return
    if upload.size > EVIDENCE_MAX_BYTES:
        raise ValidationFailed(fields={"evidence_file": [
            _("The file is too large (%(max)d MB at most).") % {"max": EVIDENCE_MAX_BYTES // (1024 * 1024)}
        ]})
    head = upload.read(16)
    upload.seek(0)
    if not any(head.startswith(magic) for magic in EVIDENCE_TYPES):
        raise ValidationFailed(fields={"evidence_file": [_("Attach a PDF, JPEG or PNG file.")]})


def _minutes_ok(value, field: str, errors: dict, *, required: bool) -> None:
    if value is None:
        if required:
            errors[field] = [_("Enter the minutes served.")]
        return
    if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= MAX_MINUTES_PER_RECORD:
        errors[field] = [_("Enter whole minutes between 1 and %(max)d.") % {"max": MAX_MINUTES_PER_RECORD}]


@transaction.atomic
def file_correction_request(
    *, actor, volunteer: Volunteer, kind: str, evidence: str, entry: LedgerEntry | None = None,
    organization: Organization | None = None, activity_title: str = "", service_date: date | None = None,
    minutes: int | None = None, evidence_file=None, now=None,
) -> CorrectionRequest:
    """A volunteer disputes one of their records (wrong minutes or date) or reports a missing one."""
    now = now or timezone.now()
    today = timezone.localdate(now)
    if not is_self(actor, volunteer):
        raise NotAllowed(_("Only the volunteer can ask for a correction of their own records."))
    errors: dict[str, list[str]] = {}
    evidence = (evidence or "").strip()
    if not evidence:
        errors["evidence"] = [_("Say what is wrong and how you know (who, when, where).")]
    elif len(evidence) > EVIDENCE_MAX_CHARS:
        errors["evidence"] = [_("Keep it under %(max)d characters.") % {"max": EVIDENCE_MAX_CHARS}]
    if service_date is not None and service_date > today:
        errors["service_date"] = [_("The date of service cannot be in the future.")]
    activity_title = " ".join((activity_title or "").split())

    if kind == CorrectionRequest.Kind.DISPUTE:
        if entry is None or entry.volunteer_id != volunteer.pk or entry.kind != LedgerEntry.Kind.SERVICE:
            raise NotFound(_("Choose one of your own service records."))
        organization = entry.organization
        _minutes_ok(minutes, "minutes", errors, required=False)
        if minutes is None and service_date is None:
            errors["minutes"] = [_("Say what the record should show: the minutes, the date, or both.")]
        elif not errors:
            from yigong.ledger.services import current_minutes

            if (minutes is None or minutes == current_minutes(entry)) and \
                    (service_date is None or service_date == entry.service_date):
                errors["minutes"] = [_("The record already shows this; nothing to correct.")]
        activity_title = entry.activity_title
    elif kind == CorrectionRequest.Kind.MISSING:
        entry = None
        if organization is None or organization.status != Organization.Status.ACTIVE:
            errors["organization"] = [_("Choose the organization that ran the service.")]
        if not activity_title:
            errors["activity_title"] = [_("Enter the activity you served in.")]
        elif len(activity_title) > 120:
            errors["activity_title"] = [_("The activity name is too long (120 characters at most).")]
        if service_date is None:
            errors["service_date"] = [_("Enter the date of service.")]
        _minutes_ok(minutes, "minutes", errors, required=True)
    else:
        errors["kind"] = [_("Choose whether a record is wrong or missing.")]
    if errors:
        raise ValidationFailed(_("Please correct the marked fields."), fields=errors)
    _check_evidence_file(evidence_file)
    already = Conflict(_("You already asked for a correction of this record; wait for the answer."),
                       code="already_requested")
    if entry is not None and CorrectionRequest.objects.filter(entry=entry, status=CorrectionRequest.Status.PENDING) \
            .exists():
        raise already
    throttle.limit(f"correction:request:{volunteer.pk}", limit=CORRECTIONS_PER_DAY, window=86400)
    request = CorrectionRequest(
        volunteer=volunteer, kind=kind, organization=organization, entry=entry,
        activity_title=activity_title[:120], service_date=service_date, minutes=minutes, evidence=evidence,
        created_by=actor,
    )
    if evidence_file is not None:
        request.evidence_file_name = (getattr(evidence_file, "name", "") or "")[-120:]
        request.evidence_file.save(evidence_file.name or "evidence", evidence_file, save=False)
    try:
        with transaction.atomic():
            request.save()  # one pending request per record, held by a partial unique index
    except IntegrityError:
        if request.evidence_file:
            request.evidence_file.delete(save=False)
        raise already from None
    audit.record(actor=actor, action="correction.request", target=request, organization=organization,
                 kind=kind, entry=entry.pk if entry else None)
    return request


def _lock_pending(request: CorrectionRequest, actor) -> CorrectionRequest:
    locked = CorrectionRequest.objects.select_for_update(of=("self",)).select_related(
        "organization", "entry", "volunteer__user",
    ).get(pk=request.pk)
    if not permissions.can_manage(actor, locked.organization):
        raise NotAllowed(_("Only the organization that recorded this service can answer the request."))
    if locked.status != CorrectionRequest.Status.PENDING:
        raise Conflict(_("This request has already been answered."), code="already_answered")
    return locked


def _tell_volunteer(request: CorrectionRequest, *, title: str, body: str, data: dict) -> None:
    from yigong.notifications.models import Notification
    from yigong.notifications.services import notify

    user = request.volunteer.user
    if user is None:
        return
    with translation.override(user.preferred_language or settings.LANGUAGE_CODE):
        notify(user=user, kind=Notification.Kind.GENERAL, title=_(title), body=_(body) % data,
               url=reverse("certificates:corrections"), key=f"correction:{request.pk}:{request.status}")


@transaction.atomic
def accept_correction(
    *, actor, request: CorrectionRequest, minutes: int | None = None, service_date: date | None = None,
    note: str = "", now=None,
) -> CorrectionRequest:
    """The recording organization accepts: the ledger gets a correcting entry (wrong minutes), a void
    and a new entry (wrong date), or a new manual entry (missing record). Staff may adjust the values."""
    from yigong.ledger.services import append_entry, correct_entry, current_minutes

    now = now or timezone.now()
    req = _lock_pending(request, actor)
    note = " ".join((note or "").split())[:200]
    minutes = minutes if minutes is not None else req.minutes
    service_date = service_date or req.service_date
    errors: dict[str, list[str]] = {}
    if service_date is not None and service_date > timezone.localdate(now):
        errors["service_date"] = [_("The date of service cannot be in the future.")]
    made: list[LedgerEntry] = []
    reason = _("Correction request #%(id)d accepted") % {"id": req.pk} + (f": {note}" if note else "")

    if req.kind == CorrectionRequest.Kind.DISPUTE:
        entry = req.entry
        before = current_minutes(entry)
        minutes = before if minutes is None else minutes
        _minutes_ok(minutes, "minutes", errors, required=True)
        if errors:
            raise ValidationFailed(fields=errors)
        new_date = service_date or entry.service_date
        if new_date != entry.service_date:
            # A record on the wrong day: the old one is corrected to zero, a new one is made on the right day.
            made.append(correct_entry(actor=actor, entry=entry, reason=reason, new_minutes=0, now=now))
            made.append(append_entry(
                actor=actor, volunteer=req.volunteer, organization=entry.organization,
                organization_name=entry.organization_name, activity=entry.activity,
                activity_title=entry.activity_title, position_name=entry.position_name,
                service_date=new_date, minutes=minutes, source=LedgerEntry.Source.MANUAL,
                reason=reason + " " + _("(replaces record #%(id)d)") % {"id": entry.pk}, now=now,
            ))
        elif minutes != before:
            made.append(correct_entry(actor=actor, entry=entry, reason=reason, new_minutes=minutes, now=now))
        else:
            raise Conflict(_("The record already shows this; refuse the request with a reason instead."),
                           code="no_change")
    else:
        _minutes_ok(minutes, "minutes", errors, required=True)
        if errors:
            raise ValidationFailed(fields=errors)
        made.append(append_entry(
            actor=actor, volunteer=req.volunteer, organization=req.organization,
            activity_title=req.activity_title, service_date=service_date, minutes=minutes,
            source=LedgerEntry.Source.MANUAL, reason=reason, now=now,
        ))
    req.status, req.decided_by, req.decided_at, req.decision_reason = (
        CorrectionRequest.Status.ACCEPTED, actor, now, note,
    )
    req.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    req.result_entries.set(made)
    audit.record(actor=actor, action="correction.accept", target=req, organization=req.organization,
                 entries=[e.pk for e in made], minutes=minutes,
                 service_date=service_date.isoformat() if service_date else None)
    _tell_volunteer(
        req, title=gettext_noop("Your correction request was accepted"),
        body=gettext_noop(
            "%(activity)s: the record now shows %(minutes)d minutes. Certificates that included the old "
            "record are superseded; request a new certificate to show the corrected hours."),
        data={"activity": req.activity_title, "minutes": minutes},
    )
    return req


@transaction.atomic
def refuse_correction(*, actor, request: CorrectionRequest, reason: str, now=None) -> CorrectionRequest:
    """The recording organization refuses, with a reason the volunteer will read."""
    now = now or timezone.now()
    req = _lock_pending(request, actor)
    reason = " ".join((reason or "").split())
    if not reason:
        raise ValidationFailed(fields={"reason": [_("Give the volunteer the reason for refusing.")]})
    if len(reason) > 300:
        raise ValidationFailed(fields={"reason": [_("The reason is too long (300 characters at most).")]})
    req.status, req.decided_by, req.decided_at, req.decision_reason = (
        CorrectionRequest.Status.REFUSED, actor, now, reason,
    )
    req.save(update_fields=["status", "decided_by", "decided_at", "decision_reason"])
    audit.record(actor=actor, action="correction.refuse", target=req, organization=req.organization,
                 reason=reason)
    _tell_volunteer(
        req, title=gettext_noop("Your correction request was refused"),
        body=gettext_noop("%(activity)s: %(organization)s did not change the record. Reason: %(reason)s"),
        data={"activity": req.activity_title, "organization": req.organization.name, "reason": reason},
    )
    return req


# --- verification rate limit ---------------------------------------------------------------------

def count_verification(*, ip: str) -> None:
    """Count one look-up from `ip`; raises Throttled (429, Retry-After) past the limit, so numbers
    cannot be tried one after another. The page and the API share the count."""
    limit = getattr(settings, "YIGONG_VERIFY_LIMIT", 30)
    window = getattr(settings, "YIGONG_VERIFY_WINDOW_SECONDS", 300)
    throttle.limit(f"certificate:verify:ip:{ip}", limit=limit, window=window)
