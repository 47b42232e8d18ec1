"""Pages: certificates (mine, staff for a volunteer, download), public verification, corrections."""

from __future__ import annotations

from datetime import date

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from yigong.certificates import numbers, pdf, selectors, services
from yigong.certificates.forms import CertificateRequestForm, CorrectionRequestForm, DecisionForm
from yigong.certificates.models import Certificate, CorrectionRequest
from yigong.core.errors import DomainError, Throttled
from yigong.ledger.models import LedgerEntry
from yigong.organizations import permissions
from yigong.organizations.models import Organization
from yigong.volunteers.models import Volunteer


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def _base_url(request) -> str:
    return request.build_absolute_uri("/")


def _own_volunteer(request) -> Volunteer:
    volunteer = Volunteer.objects.filter(user=request.user).first()
    if volunteer is None:
        raise Http404(_("You are not registered as a volunteer."))
    return volunteer


def _form_errors(form, exc: DomainError) -> None:
    for name, errors in exc.fields.items():
        for error in errors:
            form.add_error(name if name in form.fields else None, str(error))
    if not exc.fields:
        form.add_error(None, str(exc.message))


def _recorded_organizations(volunteer):
    ids = LedgerEntry.objects.filter(volunteer=volunteer).values("organization_id")
    return Organization.objects.filter(pk__in=ids).order_by("path")


def _certificate_page(request, volunteer: Volunteer, *, staff: bool):
    form = CertificateRequestForm(
        request.POST or None, recorded=_recorded_organizations(volunteer),
        memberships=services.hours_proof_issuers(volunteer), staff=staff,
    )
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            org = Organization.objects.filter(pk=data["organization"]).first() if data["organization"] else None
            try:
                issued = services.request_certificates(
                    actor=request.user, volunteer=volunteer, kind=data["kind"], period_start=data["period_start"],
                    period_end=data["period_end"], organization=org,
                    person_in_charge=data.get("person_in_charge", ""), handler=data.get("handler", ""),
                )
            except Throttled as exc:
                form.add_error(None, str(exc.message))
                status = 429
            except DomainError as exc:
                _form_errors(form, exc)
                status = exc.status if exc.status < 500 else 400
            else:
                messages.success(request, _("Issued: %(numbers)s") % {
                    "numbers": ", ".join(c.display_number for c in issued)})
                return redirect(request.path)
        else:
            status = 400
    return render(request, "certificates/certificate_list.html", {
        "volunteer": volunteer, "form": form, "staff": staff,
        "certificates": selectors.certificates_for_volunteer(volunteer),
    }, status=status)


@login_required
@require_http_methods(["GET", "POST"])
def my_certificates(request):
    return _certificate_page(request, _own_volunteer(request), staff=False)


@login_required
@require_http_methods(["GET", "POST"])
def for_volunteer(request, volunteer_id: int):
    """Staff request and download certificates for a volunteer in their scope (others: 404)."""
    volunteer = get_object_or_404(Volunteer.objects.visible_to(request.user), pk=volunteer_id)
    return _certificate_page(request, volunteer, staff=True)


@login_required
def download(request, number: str):
    cert = Certificate.objects.select_related("volunteer", "issuer").filter(number=numbers.normalize(number)).first()
    if cert is None or not services.may_download(request.user, cert):
        raise Http404(_("No such certificate."))
    if selectors.verify(cert.number).state == selectors.NOT_AUTHENTIC:
        return render(request, "certificates/not_authentic.html", {"cert": cert}, status=409)
    body = pdf.render(cert, base_url=_base_url(request))
    response = HttpResponse(body, content_type="application/pdf")
    disposition = "attachment" if request.GET.get("download") else "inline"
    response["Content-Disposition"] = f'{disposition}; filename="certificate-{cert.number}.pdf"'
    response["Cache-Control"] = "private, no-store"
    return response


def verify_form(request):
    """Type in a number (or arrive from a scan): goes to the verification page."""
    number = numbers.normalize(request.GET.get("number", ""))[:40]
    if number:
        return redirect("certificates:verify", number=number)
    return render(request, "certificates/verify.html", {"result": None})


def _facts(content: dict) -> dict:
    """What the signed content says, ready for the page (dates as dates, hours as text)."""
    if not content:
        return {}
    return {
        "minutes": content["minutes"], "hours": pdf.hours_text(content["minutes"]),
        "start": date.fromisoformat(content["period"][0]), "end": date.fromisoformat(content["period"][1]),
        "issued_on": date.fromisoformat(content["issued_on"]),
    }


def verify(request, number: str):
    """Public: is this certificate authentic and still valid? Rate-limited per address."""
    try:
        services.count_verification(ip=_client_ip(request))
    except Throttled as exc:
        response = render(request, "certificates/verify.html", {"throttled": True, "number": number}, status=429)
        response["Retry-After"] = str(exc.retry_after)
        return response
    result = selectors.verify(number)
    status = {selectors.INVALID: 400, selectors.UNKNOWN: 404}.get(result.state, 200)
    response = render(request, "certificates/verify.html", {
        "result": result, "number": number, "display_number": numbers.display(result.number),
        "facts": _facts(result.content),
    }, status=status)
    response["Cache-Control"] = "no-store"
    response["X-Robots-Tag"] = "noindex"
    return response


# --- corrections ---------------------------------------------------------------------------------

@login_required
def my_corrections(request):
    volunteer = _own_volunteer(request)
    return render(request, "certificates/correction_list.html", {
        "volunteer": volunteer, "requests": selectors.corrections_for_volunteer(volunteer),
    })


def _correction_organizations():
    return Organization.objects.active().exclude(
        kind__in=[Organization.Kind.DISTRICT_OFFICE, Organization.Kind.REQUESTING_UNIT],
    ).order_by("path")


@login_required
@require_http_methods(["GET", "POST"])
def new_correction(request):
    volunteer = _own_volunteer(request)
    entries = list(selectors.disputable_entries(volunteer)[:300])
    initial = {}
    if request.GET.get("entry", "").isdigit():
        initial = {"entry": int(request.GET["entry"]), "kind": CorrectionRequest.Kind.DISPUTE}
    form = CorrectionRequestForm(request.POST or None, request.FILES or None, entries=entries,
                                 organizations=_correction_organizations(), initial=initial)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            entry = LedgerEntry.objects.filter(pk=data["entry"], volunteer=volunteer).first() \
                if data["entry"] else None
            org = _correction_organizations().filter(pk=data["organization"]).first() \
                if data["organization"] else None
            try:
                services.file_correction_request(
                    actor=request.user, volunteer=volunteer, kind=data["kind"], evidence=data["evidence"],
                    entry=entry, organization=org, activity_title=data["activity_title"],
                    service_date=data["service_date"], minutes=data["minutes"],
                    evidence_file=data["evidence_file"] or None,
                )
            except DomainError as exc:
                if exc.code == "not_found":
                    form.add_error("entry", str(exc.message))
                else:
                    _form_errors(form, exc)
                status = exc.status if exc.status in (400, 409, 429) else 400
            else:
                messages.success(request, _("Your request was sent to the organization. You will be told "
                                            "the answer."))
                return redirect("certificates:corrections")
        else:
            status = 400
    return render(request, "certificates/correction_form.html", {"form": form, "volunteer": volunteer},
                  status=status)


@login_required
def correction_evidence(request, pk: int):
    """The evidence file: for the volunteer who sent it and staff who answer it."""
    req = get_object_or_404(CorrectionRequest.objects.select_related("volunteer", "organization"), pk=pk)
    allowed = services.is_self(request.user, req.volunteer) or permissions.can_manage(request.user, req.organization)
    if not allowed or not req.evidence_file:
        raise Http404(_("No such file."))
    with req.evidence_file.open("rb") as fh:  # at most EVIDENCE_MAX_BYTES
        body = fh.read()
    kind = {".pdf": "application/pdf", ".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg"}
    suffix = "." + req.evidence_file.name.rsplit(".", 1)[-1].lower()
    response = HttpResponse(body, content_type=kind.get(suffix, "application/octet-stream"))
    name = req.evidence_file_name or req.evidence_file.name.rsplit("/", 1)[-1]
    response["Content-Disposition"] = content_disposition_header(True, name)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_http_methods(["GET", "POST"])
def queue(request):
    """The correction requests addressed to the organizations the user manages."""
    if not permissions.is_staff_anywhere(request.user):
        raise Http404(_("This page is for organization staff."))
    status_filter = request.GET.get("status", CorrectionRequest.Status.PENDING)
    if status_filter not in CorrectionRequest.Status.values and status_filter != "all":
        status_filter = CorrectionRequest.Status.PENDING
    rows = list(selectors.correction_queue(request.user, status=None if status_filter == "all" else status_filter)[:200])
    errors: dict[int, list[str]] = {}
    code = 200
    if request.method == "POST":
        req = get_object_or_404(CorrectionRequest.objects.for_staff(request.user), pk=request.POST.get("request"))
        form = DecisionForm(request.POST)
        if form.is_valid():
            data = form.cleaned_data
            try:
                if data["action"] == "accept":
                    services.accept_correction(actor=request.user, request=req, minutes=data["minutes"],
                                               service_date=data["service_date"], note=data["reason"])
                    messages.success(request, _("Accepted; the ledger was corrected and the volunteer told."))
                else:
                    services.refuse_correction(actor=request.user, request=req, reason=data["reason"])
                    messages.success(request, _("Refused; the volunteer was told the reason."))
                return redirect(reverse("certificates:queue") + f"?status={status_filter}")
            except DomainError as exc:
                errors[req.pk] = [str(m) for v in exc.fields.values() for m in v] or [str(exc.message)]
                code = exc.status if exc.status < 500 else 400
        else:
            errors[req.pk] = [str(m) for v in form.errors.values() for m in v]
            code = 400
    for row in rows:
        row.errors = errors.get(row.pk, [])
    return render(request, "certificates/correction_queue.html", {
        "rows": rows, "status_filter": status_filter, "statuses": CorrectionRequest.Status.choices,
    }, status=code)
