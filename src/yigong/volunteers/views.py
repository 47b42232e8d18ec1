"""Pages for volunteers: registration, their own page, data download, withdrawal, joining teams."""

from __future__ import annotations

import json

from django.contrib import messages
from django.contrib.auth import login, logout
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Q
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yigong.core import settings_store, throttle
from yigong.core.errors import DomainError, Throttled
from yigong.organizations.models import Membership, Organization
from yigong.organizations.services import JOINABLE_KINDS, apply_to_join
from yigong.regions.forms import street_choices
from yigong.volunteers import services
from yigong.volunteers.forms import JoinForm, RegistrationForm, WithdrawForm
from yigong.volunteers.models import Volunteer


def show_errors(form, exc: DomainError) -> None:
    """Put a service's field errors next to the form's fields; the rest go to the summary."""
    for name, errors in exc.fields.items():
        target = name if name in form.fields else None
        if target and form.has_error(target):
            continue  # the form already says what is wrong with this field
        for error in errors:
            form.add_error(target, str(error))
    if not exc.fields:
        form.add_error(None, str(exc.message))


def _client_ip(request) -> str:
    return request.META.get("REMOTE_ADDR", "")


def register(request):
    if request.user.is_authenticated and Volunteer.objects.filter(user=request.user).exists():
        messages.info(request, _("You are already registered."))
        return redirect("volunteers:me")
    form = RegistrationForm(request.POST if request.method == "POST" else None)
    status, summary, conflict = 200, "", False
    if request.method == "POST":
        parsed = form.is_valid()
        try:
            # The same budget as the API's registration endpoint.
            throttle.limit(f"register:ip:{_client_ip(request)}", limit=30, window=3600)
            data = form.registration(language=getattr(request, "LANGUAGE_CODE", ""))
            if parsed:
                volunteer = services.register_volunteer(data=data)
                login(request, volunteer.user)
                return redirect("volunteers:registered")
            # The form could not read some fields; ask the service about the others too.
            services.validate_registration(data)
        except Throttled as exc:
            status, summary = exc.status, str(exc.message)
            form.add_error(None, summary)
        except DomainError as exc:
            show_errors(form, exc)
            status, summary = exc.status, str(exc.message)
            conflict = exc.status == 409
        if status == 200:
            status = 400
    return render(request, "volunteers/register.html", {
        "form": form, "summary": summary, "conflict": conflict,
        "guardian_age": settings_store.get("guardian_consent_age"),
        "child_age": settings_store.get("child_data_consent_age"),
        "minimum_age": settings_store.get("minimum_age"),
    }, status=status)


def _own_volunteer(request) -> Volunteer | None:
    return (Volunteer.objects.filter(user=request.user)
            .select_related("user", "home_community", "home_community__parent").first())


@login_required
def registered(request):
    volunteer = _own_volunteer(request)
    if volunteer is None:
        return redirect("volunteers:me")
    return render(request, "volunteers/registered.html", {"volunteer": volunteer})


@login_required
def me(request):
    volunteer = _own_volunteer(request)
    if volunteer is None:
        # Staff accounts without a volunteer registration work in the console.
        return redirect("organizations:console")
    memberships = (Membership.objects.filter(user=request.user)
                   .exclude(status=Membership.Status.LEFT)
                   .select_related("organization").order_by("status", "-created_at"))
    return render(request, "volunteers/me.html", {
        "volunteer": volunteer,
        "memberships": memberships,
        "is_child": bool(volunteer.guardian_data_consent_at),
    })


@login_required
def export(request):
    volunteer = get_object_or_404(Volunteer, user=request.user)
    body = json.dumps(services.export_personal_data(volunteer=volunteer), ensure_ascii=False, indent=2)
    response = HttpResponse(body, content_type="application/json; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="yigong-{volunteer.registration_number}.json"'
    response["Cache-Control"] = "no-store"
    return response


@login_required
def withdraw(request):
    volunteer = get_object_or_404(Volunteer, user=request.user)
    form = WithdrawForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            try:
                services.withdraw(actor=request.user, volunteer=volunteer,
                                  password=form.cleaned_data["password"])
            except DomainError as exc:
                show_errors(form, exc)
                status = exc.status
            else:
                number = volunteer.registration_number
                logout(request)
                return render(request, "volunteers/withdrawn.html", {"number": number})
        else:
            status = 400
    return render(request, "volunteers/withdraw.html", {"form": form, "volunteer": volunteer},
                  status=status)


JOIN_PAGE_SIZE = 20


def join(request):
    """Teams and stations that take members, with a way to apply."""
    q = request.GET.get("q", "").strip()[:60]
    street = request.GET.get("street", "").strip()[:12]
    kind = request.GET.get("kind", "")
    kinds = [(k, Organization.Kind(k).label) for k in Organization.Kind.values if k in JOINABLE_KINDS]
    orgs = (Organization.objects.active().filter(kind__in=JOINABLE_KINDS)
            .select_related("parent", "region", "region__parent").order_by("kind", "path"))
    if q:
        orgs = orgs.filter(name__icontains=q)
    if street:
        orgs = orgs.filter(Q(region__code=street) | Q(region__parent__code=street))
    if kind in JOINABLE_KINDS:
        orgs = orgs.filter(kind=kind)
    page = Paginator(orgs, JOIN_PAGE_SIZE).get_page(request.GET.get("page"))
    statuses = {}
    if request.user.is_authenticated:
        statuses = dict(Membership.objects.filter(
            user=request.user, organization__in=[o.pk for o in page.object_list],
            status__in=[Membership.Status.PENDING, Membership.Status.ACTIVE],
        ).values_list("organization_id", "status"))
    for org in page.object_list:
        org.my_status = statuses.get(org.pk, "")
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "volunteers/join.html", {
        "page_obj": page, "q": q, "street": street, "kind": kind, "kinds": kinds,
        "streets": street_choices(), "query_string": query.urlencode() + "&" if query else "",
        "form": JoinForm(),
    })


@login_required
@require_POST
def apply(request, org_id: int):
    org = get_object_or_404(Organization.objects.select_related("parent", "region"), pk=org_id)
    form = JoinForm(request.POST)
    error, status = "", 200
    if not form.is_valid():
        error, status = _("The message is too long (300 characters at most)."), 400
    else:
        try:
            apply_to_join(actor=request.user, organization=org, message=form.cleaned_data["message"])
        except DomainError as exc:
            error, status = str(exc.message), exc.status
    if request.htmx:
        org.my_status = _open_status(request.user, org)
        return render(request, "volunteers/_join_action.html",
                      {"org": org, "error": error, "form": form}, status=status)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("Your application to %(org)s was sent. Its staff will decide.")
                         % {"org": org.name})
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = "volunteers:join"
    return redirect(target)


def _open_status(user, org) -> str:
    return Membership.objects.filter(
        user=user, organization=org, status__in=[Membership.Status.PENDING, Membership.Status.ACTIVE],
    ).values_list("status", flat=True).first() or ""
