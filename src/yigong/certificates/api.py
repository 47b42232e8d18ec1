"""API: request and list certificates, download PDFs, public verification, correction requests."""

from __future__ import annotations

from datetime import date
from typing import Literal

from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_noop
from ninja import Router, Schema, Status
from ninja.errors import AuthenticationError

from yigong.accounts.api import client_ip
from yigong.certificates import numbers, pdf, selectors, services
from yigong.certificates.models import Certificate, CorrectionRequest
from yigong.config.api import AUTH
from yigong.core.errors import Conflict, DomainError, NotFound
from yigong.core.schemas import ErrorOut
from yigong.ledger.models import LedgerEntry
from yigong.organizations.models import Organization
from yigong.volunteers.api import current_volunteer
from yigong.volunteers.models import Volunteer

router = Router(tags=["certificates"])


class IssuerOut(Schema):
    id: int
    name: str
    credit_code: str


class CertificateOut(Schema):
    number: str
    display_number: str
    kind: str
    issuer: IssuerOut
    period_start: date
    period_end: date
    minutes: int
    hours: str
    issued_on: date
    superseded: bool
    verify_url: str
    pdf_url: str


class CertificateRequestIn(Schema):
    kind: Literal["organization", "district", "hours_proof"] = "organization"
    period_start: date
    period_end: date
    organization_id: int | None = None
    person_in_charge: str = ""
    handler: str = ""


class VerificationOut(Schema):
    number: str
    state: Literal["authentic", "superseded", "not_authentic"]
    valid: bool
    message: str
    kind: str | None = None
    volunteer_name: str | None = None
    id_number_masked: str | None = None
    minutes: int | None = None
    hours: str | None = None
    period_start: date | None = None
    period_end: date | None = None
    issuer: IssuerOut | None = None
    issued_on: date | None = None


def _user(request):
    if not getattr(request.user, "is_authenticated", False):
        raise AuthenticationError()
    return request.user


def certificate_out(request, cert: Certificate, superseded: bool) -> dict:
    return {
        "number": cert.number, "display_number": cert.display_number, "kind": cert.kind,
        "issuer": {"id": cert.issuer_id, "name": cert.issuer.name, "credit_code": cert.issuer.credit_code},
        "period_start": cert.period_start, "period_end": cert.period_end, "minutes": cert.minutes,
        "hours": pdf.hours_text(cert.minutes), "issued_on": cert.issued_on, "superseded": superseded,
        "verify_url": request.build_absolute_uri(reverse("certificates:verify", args=[cert.number])),
        "pdf_url": request.build_absolute_uri(reverse("api:certificate_pdf", args=[cert.number])),
    }


def _request(request, volunteer: Volunteer, payload: CertificateRequestIn):
    org = None
    if payload.organization_id is not None:
        org = Organization.objects.filter(pk=payload.organization_id).first()
        if org is None:
            raise NotFound(_("No such organization."), fields={"organization_id": [_("No such organization.")]})
    issued = services.request_certificates(
        actor=request.user, volunteer=volunteer, kind=payload.kind, period_start=payload.period_start,
        period_end=payload.period_end, organization=org, person_in_charge=payload.person_in_charge,
        handler=payload.handler,
    )
    return Status(201, [certificate_out(request, c, False) for c in issued])


@router.post("/me/certificates", response={201: list[CertificateOut], 400: ErrorOut, 401: ErrorOut,
                                           404: ErrorOut, 409: ErrorOut, 429: ErrorOut}, auth=AUTH)
def request_mine(request, payload: CertificateRequestIn):
    """Issue certificates for the signed-in volunteer: one per recording organization (kind
    `organization`), a district summary (`district`), or an hours proof from a school or team the
    volunteer belongs to (`hours_proof`, needs `organization_id`). 409 `no_hours` when there is
    nothing to certify."""
    return _request(request, current_volunteer(request), payload)


@router.get("/me/certificates", response={200: list[CertificateOut], 401: ErrorOut, 404: ErrorOut}, auth=AUTH)
def list_mine(request):
    """The signed-in volunteer's certificates, newest first; `superseded` once hours were corrected."""
    return [certificate_out(request, c, c.superseded)
            for c in selectors.certificates_for_volunteer(current_volunteer(request))]


@router.post("/volunteers/{volunteer_id}/certificates",
             response={201: list[CertificateOut], 400: ErrorOut, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut,
                       429: ErrorOut}, auth=AUTH)
def request_for_volunteer(request, volunteer_id: int, payload: CertificateRequestIn):
    """Staff issue certificates for a volunteer in their scope (outside it: 404)."""
    volunteer = get_object_or_404(Volunteer.objects.visible_to(_user(request)), pk=volunteer_id)
    return _request(request, volunteer, payload)


@router.get("/certificates/{number}/pdf", response={200: None, 401: ErrorOut, 404: ErrorOut, 409: ErrorOut},
            auth=AUTH,
            url_name="certificate_pdf")
def certificate_pdf(request, number: str):
    """The certificate as PDF, for its volunteer and staff whose scope includes the volunteer."""
    cert = Certificate.objects.select_related("volunteer", "issuer").filter(number=numbers.normalize(number)).first()
    if cert is None or not services.may_download(_user(request), cert):
        raise NotFound(_("No such certificate."))
    if selectors.verify(cert.number).state == selectors.NOT_AUTHENTIC:
        raise Conflict(_("This certificate fails the integrity check; it cannot be downloaded. Contact the "
                         "issuing organization."), code="not_authentic")
    response = HttpResponse(pdf.render(cert, base_url=request.build_absolute_uri("/")),
                            content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="certificate-{cert.number}.pdf"'
    return response


_MESSAGES = {
    selectors.AUTHENTIC: gettext_noop("This certificate is authentic and valid."),
    selectors.SUPERSEDED: gettext_noop("This certificate was issued here, but hours it covers were corrected "
                                       "after issue; it is no longer valid."),
    selectors.NOT_AUTHENTIC: gettext_noop("This certificate fails the integrity check and may have been "
                                          "altered; do not rely on it."),
}


@router.get("/certificates/{number}", response={200: VerificationOut, 400: ErrorOut, 404: ErrorOut,
                                                429: ErrorOut}, auth=None)
def verify(request, number: str):
    """Public verification of a certificate number (rate-limited per address: 429 with Retry-After).

    400 `invalid_number`: wrong shape or check character; 404 `unknown_certificate`: never issued.
    Otherwise `state` is authentic, superseded (hours corrected after issue) or not_authentic
    (failed the signature or integrity check); only an authentic certificate shows its facts."""
    services.count_verification(ip=client_ip(request))
    result = selectors.verify(number)
    if result.state == selectors.INVALID:
        raise DomainError(_("This is not a valid certificate number: it has a typing error or was altered."),
                          code="invalid_number")
    if result.state == selectors.UNKNOWN:
        raise NotFound(_("No certificate with this number was issued."), code="unknown_certificate")
    out = {"number": result.number, "state": result.state, "valid": result.is_valid,
           "message": _(_MESSAGES[result.state])}
    c = result.content
    if result.state in (selectors.AUTHENTIC, selectors.SUPERSEDED):
        out.update(kind=c["kind"], issued_on=date.fromisoformat(c["issued_on"]),
                   issuer={"id": c["issuer"]["id"], "name": c["issuer"]["name"],
                           "credit_code": c["issuer"]["credit_code"]})
    if result.state == selectors.AUTHENTIC:
        out.update(volunteer_name=c["volunteer"]["name_masked"], id_number_masked=c["volunteer"]["id_masked"],
                   minutes=c["minutes"], hours=pdf.hours_text(c["minutes"]),
                   period_start=date.fromisoformat(c["period"][0]), period_end=date.fromisoformat(c["period"][1]))
    return out


# --- corrections ---------------------------------------------------------------------------------

class CorrectionIn(Schema):
    kind: Literal["dispute", "missing"]
    evidence: str
    entry_id: int | None = None
    organization_id: int | None = None
    activity_title: str = ""
    service_date: date | None = None
    minutes: int | None = None


class CorrectionOut(Schema):
    id: int
    kind: str
    status: str
    organization: IssuerOut
    entry_id: int | None
    activity_title: str
    service_date: date | None
    minutes: int | None
    evidence: str
    has_evidence_file: bool
    requested_at: str
    answered_at: str | None
    reason: str
    ledger_entry_ids: list[int]


class DecisionIn(Schema):
    minutes: int | None = None
    service_date: date | None = None
    note: str = ""


class RefusalIn(Schema):
    reason: str


def correction_out(r: CorrectionRequest) -> dict:
    return {
        "id": r.pk, "kind": r.kind, "status": r.status,
        "organization": {"id": r.organization_id, "name": r.organization.name,
                         "credit_code": r.organization.credit_code},
        "entry_id": r.entry_id, "activity_title": r.activity_title, "service_date": r.service_date,
        "minutes": r.minutes, "evidence": r.evidence, "has_evidence_file": bool(r.evidence_file),
        "requested_at": r.created_at.isoformat(), "answered_at": r.decided_at.isoformat() if r.decided_at else None,
        "reason": r.decision_reason, "ledger_entry_ids": [e.pk for e in r.result_entries.all()],
    }


@router.post("/me/corrections", response={201: CorrectionOut, 400: ErrorOut, 401: ErrorOut, 404: ErrorOut,
                                          409: ErrorOut, 429: ErrorOut}, auth=AUTH)
def file_correction(request, payload: CorrectionIn):
    """Dispute one of your service records (`dispute`, `entry_id`, the right `minutes` and/or
    `service_date`) or report a missing one (`missing`, `organization_id`, `activity_title`,
    `service_date`, `minutes`). Evidence files are attached on the page."""
    volunteer = current_volunteer(request)
    entry = LedgerEntry.objects.filter(pk=payload.entry_id, volunteer=volunteer).first() if payload.entry_id else None
    org = Organization.objects.filter(pk=payload.organization_id).first() if payload.organization_id else None
    r = services.file_correction_request(
        actor=request.user, volunteer=volunteer, kind=payload.kind, evidence=payload.evidence, entry=entry,
        organization=org, activity_title=payload.activity_title, service_date=payload.service_date,
        minutes=payload.minutes,
    )
    return Status(201, correction_out(r))


@router.get("/me/corrections", response={200: list[CorrectionOut], 401: ErrorOut, 404: ErrorOut}, auth=AUTH)
def list_my_corrections(request):
    """The signed-in volunteer's correction requests and their answers, newest first."""
    qs = selectors.corrections_for_volunteer(current_volunteer(request)).prefetch_related("result_entries")
    return [correction_out(r) for r in qs]


@router.get("/corrections", response={200: list[CorrectionOut], 401: ErrorOut}, auth=AUTH)
def correction_queue(request, status: Literal["pending", "accepted", "refused", "all"] = "pending"):
    """Correction requests to the organizations the caller manages (pending ones, oldest first)."""
    qs = selectors.correction_queue(_user(request), status=None if status == "all" else status)
    return [correction_out(r) for r in qs.prefetch_related("result_entries")[:500]]


def _queued(request, correction_id: int) -> CorrectionRequest:
    return get_object_or_404(CorrectionRequest.objects.for_staff(_user(request)), pk=correction_id)


@router.post("/corrections/{correction_id}/accept",
             response={200: CorrectionOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                       409: ErrorOut}, auth=AUTH)
def accept(request, correction_id: int, payload: DecisionIn):
    """Accept: the ledger gets the correcting or new entry. `minutes`/`service_date` override the request."""
    r = services.accept_correction(actor=request.user, request=_queued(request, correction_id),
                                   minutes=payload.minutes, service_date=payload.service_date, note=payload.note)
    return correction_out(r)


@router.post("/corrections/{correction_id}/refuse",
             response={200: CorrectionOut, 400: ErrorOut, 401: ErrorOut, 403: ErrorOut, 404: ErrorOut,
                       409: ErrorOut}, auth=AUTH)
def refuse(request, correction_id: int, payload: RefusalIn):
    """Refuse with a reason the volunteer reads."""
    r = services.refuse_correction(actor=request.user, request=_queued(request, correction_id),
                                   reason=payload.reason)
    return correction_out(r)
