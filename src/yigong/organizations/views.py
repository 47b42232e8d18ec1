"""The organization console: staff see and act only inside their organizations' subtrees.

Everything outside the caller's scope answers 404, so the console never confirms that a record
exists somewhere else.
"""

from __future__ import annotations

from functools import wraps

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yigong.accounts.phone import display_mobile
from yigong.core.errors import DomainError, NotAllowed
from yigong.organizations import permissions
from yigong.organizations.forms import DecisionForm, NewOrganizationForm
from yigong.organizations.models import Membership, Organization
from yigong.organizations.services import (
    create_organization,
    decide_membership,
    decide_organization,
)
from yigong.regions.forms import community_choices
from yigong.volunteers import selectors as volunteer_selectors
from yigong.volunteers import services as volunteer_services
from yigong.volunteers.models import Volunteer

PAGE_SIZE = 25
_STAFF_ROLES = [Membership.Role.ADMIN, Membership.Role.STAFF]


def staff_required(view):
    """Logged in (else to the login page) and staff somewhere (else 403 with a reason)."""

    @login_required
    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not permissions.is_staff_anywhere(request.user):
            raise PermissionDenied(_("The console is for the staff of volunteer organizations."))
        return view(request, *args, **kwargs)

    return wrapper


def _with_counts(orgs):
    return orgs.annotate(
        members=Count("memberships", filter=Q(memberships__status=Membership.Status.ACTIVE), distinct=True),
        pending=Count("memberships", filter=Q(memberships__status=Membership.Status.PENDING), distinct=True),
        children_count=Count("children", distinct=True),
    )


def _console_context(request, section: str) -> dict:
    district = permissions.is_district_admin(request.user)
    return {
        "console_section": section,
        "is_district_admin": district,
        "pending_organizations": (
            Organization.objects.filter(status=Organization.Status.PENDING).count() if district else 0
        ),
    }


def _query_string(request) -> str:
    query = request.GET.copy()
    query.pop("page", None)
    return query.urlencode() + "&" if query else ""


@staff_required
def console(request):
    user = request.user
    own_ids = Membership.objects.filter(
        user=user, status=Membership.Status.ACTIVE, role__in=_STAFF_ROLES,
    ).values("organization_id")
    own = Organization.objects.filter(pk__in=own_ids)
    if user.is_superuser and not own.exists():
        own = Organization.objects.filter(parent__isnull=True)
    own = _with_counts(own.select_related("region", "parent")).order_by("path")
    q = request.GET.get("q", "").strip()[:60]
    found = None
    if q:
        found = Paginator(
            permissions.managed_organizations(user).filter(name__icontains=q)
            .select_related("parent", "region").order_by("path"),
            PAGE_SIZE,
        ).get_page(request.GET.get("page"))
    return render(request, "organizations/console.html", {
        **_console_context(request, "organizations"), "own": own, "q": q, "page_obj": found,
        "query_string": _query_string(request),
    })


def _managed_org_or_404(user, org_id: int) -> Organization:
    return get_object_or_404(
        permissions.managed_organizations(user).select_related("parent", "region", "region__parent"),
        pk=org_id,
    )


def _ancestors(org: Organization, user) -> list[tuple[Organization, bool]]:
    ids = [int(part) for part in org.path.strip("/").split("/")[:-1] if part]
    ancestors = list(Organization.objects.filter(pk__in=ids).order_by("path"))
    district = permissions.is_district_admin(user)
    paths = permissions.staff_paths(user)
    return [(a, district or any(a.path.startswith(p) for p in paths)) for a in ancestors]


def _applications(org: Organization):
    return (Membership.objects.filter(organization=org, status=Membership.Status.PENDING)
            .select_related("user", "user__volunteer", "user__volunteer__home_community")
            .order_by("created_at", "id"))


@staff_required
def organization_detail(request, org_id: int):
    org = _managed_org_or_404(request.user, org_id)
    members = Paginator(
        Membership.objects.filter(organization=org, status=Membership.Status.ACTIVE)
        .select_related("user", "user__volunteer").order_by("role", "user__display_name", "id"),
        PAGE_SIZE,
    ).get_page(request.GET.get("page"))
    children = _with_counts(org.children.select_related("region")).order_by("kind", "name")
    return render(request, "organizations/organization_detail.html", {
        **_console_context(request, "organizations"), "org": org, "ancestors": _ancestors(org, request.user),
        "applications": _applications(org)[:200], "page_obj": members, "children": children,
        "query_string": "",
    })


@staff_required
@require_POST
def decide_application(request, membership_id: int):
    membership = get_object_or_404(
        Membership.objects.select_related("organization", "user", "user__volunteer",
                                          "user__volunteer__home_community"),
        pk=membership_id, organization__in=permissions.managed_organizations(request.user),
    )
    form = DecisionForm(request.POST)
    status, error = 200, ""
    if form.is_valid():
        try:
            membership = decide_membership(actor=request.user, membership=membership,
                                           approve=form.approve, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            status, error = exc.status, str(exc.message)
    else:
        status = 400
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    if request.htmx:
        membership.refresh_from_db(fields=["status", "decision_reason"])
        return render(request, "organizations/_application_row.html",
                      {"m": membership, "error": error, "form": form}, status=status)
    if error:
        messages.error(request, error)
    elif membership.status == Membership.Status.ACTIVE:
        messages.success(request, _("%(name)s is now a member.") % {"name": membership.user})
    else:
        messages.success(request, _("The application of %(name)s was rejected.") % {"name": membership.user})
    return redirect("organizations:organization", org_id=membership.organization_id)


@staff_required
def new_organization(request, org_id: int):
    parent = _managed_org_or_404(request.user, org_id)
    if parent.status != Organization.Status.ACTIVE:
        raise PermissionDenied(_("An organization awaiting approval cannot have sub-organizations yet."))
    form = NewOrganizationForm(request.POST if request.method == "POST" else None, parent=parent)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            data = form.cleaned_data
            try:
                org = create_organization(
                    actor=request.user, parent=parent, name=data["name"], kind=data["kind"],
                    team_type=data["team_type"], region=data["region"], credit_code=data["credit_code"],
                    address=data["address"], latitude=data["latitude"], longitude=data["longitude"],
                    description=data["description"], contact_name=data["contact_name"],
                    contact_phone=data["contact_phone"],
                )
            except DomainError as exc:
                status = exc.status
                for name, errors in exc.fields.items():
                    target = {"location": "latitude", "parent": None}.get(name, name)
                    for error in errors:
                        form.add_error(target if target in form.fields else None, str(error))
                if not exc.fields:
                    form.add_error(None, str(exc.message))
            else:
                if org.status == Organization.Status.ACTIVE:
                    messages.success(request, _("%(name)s was created.") % {"name": org.name})
                    return redirect("organizations:organization", org_id=org.pk)
                messages.success(request, _(
                    "%(name)s was proposed. The district office will review it; until then it is "
                    "listed as awaiting approval.") % {"name": org.name})
                return redirect("organizations:organization", org_id=parent.pk)
        else:
            status = 400
    return render(request, "organizations/organization_new.html", {
        **_console_context(request, "organizations"), "parent": parent, "form": form,
    }, status=status)


@staff_required
def volunteer_list(request):
    user = request.user
    q = request.GET.get("q", "").strip()[:40]
    community = request.GET.get("community", "").strip()[:12]
    qs = volunteer_selectors.search(volunteer_selectors.in_scope_for_console(user), q)
    if community:
        qs = qs.filter(home_community__code=community)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("page"))
    context = {
        **_console_context(request, "volunteers"), "page_obj": page, "q": q, "community": community,
        "query_string": _query_string(request),
    }
    if request.htmx and request.htmx.target == "volunteer-results":
        return render(request, "organizations/_volunteer_results.html", context)
    if permissions.is_district_admin(user):
        within = None
    else:
        within = list(permissions.managed_organizations(user).filter(region__isnull=False)
                      .values_list("region__path", flat=True))
    context["communities"] = community_choices(within=within)
    return render(request, "organizations/volunteer_list.html", context)


def _volunteer_in_scope_or_404(user, volunteer_id: int) -> Volunteer:
    return get_object_or_404(
        Volunteer.objects.visible_to(user).select_related("user", "home_community", "home_community__parent"),
        pk=volunteer_id,
    )


def _volunteer_context(request, volunteer: Volunteer) -> dict:
    memberships = []
    if volunteer.user_id:
        memberships = (Membership.objects.filter(
            user_id=volunteer.user_id, organization__in=permissions.managed_organizations(request.user),
        ).exclude(status=Membership.Status.LEFT).select_related("organization").order_by("-created_at"))
    return {
        **_console_context(request, "volunteers"), "volunteer": volunteer, "memberships": memberships,
        "can_reveal": volunteer_services.can_reveal(request.user, volunteer),
    }


@staff_required
def volunteer_detail(request, volunteer_id: int):
    volunteer = _volunteer_in_scope_or_404(request.user, volunteer_id)
    return render(request, "organizations/volunteer_detail.html", _volunteer_context(request, volunteer))


@staff_required
@require_POST
def volunteer_reveal(request, volunteer_id: int):
    volunteer = _volunteer_in_scope_or_404(request.user, volunteer_id)
    reason = request.POST.get("reason", "").strip()[:200]
    try:
        numbers = volunteer_services.reveal_personal_numbers(
            actor=request.user, volunteer=volunteer, reason=reason)
    except NotAllowed as exc:
        raise PermissionDenied(str(exc.message)) from exc
    for key in ("phone", "guardian_phone"):
        numbers[key] = display_mobile(numbers[key]) if numbers.get(key) else ""
    context = {**_volunteer_context(request, volunteer), "revealed": numbers}
    template = ("organizations/_revealed.html" if request.htmx
                else "organizations/volunteer_detail.html")
    response = render(request, template, context)
    response["Cache-Control"] = "no-store"
    return response


def _district_admin_required(request) -> None:
    if not permissions.is_district_admin(request.user):
        raise PermissionDenied(_("Only the district office approves new organizations."))


@staff_required
def approvals(request):
    _district_admin_required(request)
    pending = (Organization.objects.filter(status=Organization.Status.PENDING)
               .select_related("parent", "region").order_by("created_at", "id"))
    page = Paginator(pending, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(request, "organizations/approvals.html", {
        **_console_context(request, "approvals"), "page_obj": page, "query_string": "",
    })


@staff_required
@require_POST
def decide_proposal(request, org_id: int):
    _district_admin_required(request)
    org = get_object_or_404(Organization.objects.select_related("parent", "region"), pk=org_id)
    form = DecisionForm(request.POST)
    status, error = 200, ""
    if form.is_valid():
        try:
            org = decide_organization(actor=request.user, organization=org, approve=form.approve,
                                      reason=form.cleaned_data["reason"])
        except DomainError as exc:
            status = exc.status
            error = " ".join(str(e) for errors in exc.fields.values() for e in errors) or str(exc.message)
    else:
        status = 400
        error = " ".join(str(e) for errors in form.errors.values() for e in errors)
    if request.htmx:
        org.refresh_from_db(fields=["status"])
        return render(request, "organizations/_proposal_row.html",
                      {"org": org, "error": error}, status=status)
    if error:
        messages.error(request, error)
    elif org.status == Organization.Status.ACTIVE:
        messages.success(request, _("%(name)s was approved.") % {"name": org.name})
    else:
        messages.success(request, _("%(name)s was rejected.") % {"name": org.name})
    return redirect("organizations:approvals")
