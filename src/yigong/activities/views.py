"""Pages: the activity finder, the activity page with one-tap sign-up, my shifts; organizer pages to
create and run activities, positions and shifts, and to review sign-ups."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yigong.activities import forms, selectors, services
from yigong.activities.models import Activity, Shift, ShiftSlot, SignUp
from yigong.core.errors import DomainError, ValidationFailed
from yigong.organizations import permissions as org_permissions
from yigong.projects.models import Project
from yigong.volunteers.models import Volunteer


def _volunteer(user) -> Volunteer | None:
    if not getattr(user, "is_authenticated", False):
        return None
    return Volunteer.objects.select_related("home_community__parent").filter(user=user).first()


def _error_text(exc: DomainError) -> str:
    if isinstance(exc, ValidationFailed) and exc.fields:
        return " ".join(str(m) for msgs in exc.fields.values() for m in msgs)
    return str(exc.message)


# ---------------------------------------------------------------- volunteers

def finder(request):
    form = forms.FinderForm(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    volunteer = _volunteer(request.user)
    street = data.get("street")
    qs = selectors.find_activities(
        q=data.get("q") or "", street=street.code if street else "", category=data.get("category") or "",
        date_from=data.get("date_from"), date_to=data.get("date_to"), open_only=bool(data.get("open_only")),
        volunteer=volunteer,
    )
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "activities/activity_finder.html", {
        "form": form, "page": page, "query": query.urlencode(), "volunteer": volunteer,
        "current_place": "find",
    })


def _with_my_signups(activity: Activity, volunteer: Volunteer | None) -> None:
    mine = {}
    if volunteer is not None:
        mine = {s.shift_id: s for s in SignUp.objects.filter(
            volunteer=volunteer, shift__activity=activity, status__in=SignUp.ACTIVE_STATUSES)}
    for shift in activity.shift_list:
        shift.my_signup = mine.get(shift.pk)
        shift.local_day = timezone.localtime(shift.starts_at).date()


def detail(request, pk: int):
    if selectors.visible_activity(request.user, pk) is None:
        raise Http404
    activity = selectors.activity_detail(pk)
    volunteer = _volunteer(request.user)
    _with_my_signups(activity, volunteer)
    return render(request, "activities/activity_detail.html", {
        "activity": activity, "volunteer": volunteer, "now": timezone.now(),
        "can_manage": org_permissions.can_manage(request.user, activity.organization),
        "is_open": activity.status == Activity.Status.PUBLISHED,
        "needs_code": activity.recruitment == Activity.Recruitment.INVITATION,
    })


@require_POST
def signup(request, slot_id: int):
    """One-tap sign-up. With htmx the button is replaced by the result or the reason for a refusal."""
    slot = get_object_or_404(ShiftSlot.objects.select_related("shift__activity", "position"), pk=slot_id)
    if selectors.visible_activity(request.user, slot.shift.activity_id) is None:
        raise Http404
    context = {"slot": slot, "shift": slot.shift, "activity": slot.shift.activity}
    status = 200
    volunteer = _volunteer(request.user)
    if not request.user.is_authenticated:
        context["error"] = _("Log in to sign up.")
        context["login"] = True
        status = 401
    elif volunteer is None:
        context["error"] = _("Only registered volunteers can sign up.")
        status = 403
    else:
        try:
            context["signup"] = services.sign_up(actor=request.user, volunteer=volunteer, slot=slot,
                                                 invitation_code=request.POST.get("invitation_code", ""))
        except DomainError as exc:
            context["error"], context["code"] = _error_text(exc), exc.code
            status = exc.status
    if request.htmx:
        return render(request, "activities/_signup_result.html", context, status=status)
    if "error" in context:
        messages.error(request, context["error"])
        if context.get("login"):
            return redirect(f"{_login_url()}?next={request.path.replace('/signup/', '/')}")
    else:
        messages.success(request, _signup_message(context["signup"]))
    return redirect("activities:detail", pk=slot.shift.activity_id)


def _login_url() -> str:
    from django.conf import settings
    from django.shortcuts import resolve_url

    return resolve_url(settings.LOGIN_URL)


def _signup_message(signup: SignUp) -> str:
    if signup.status == SignUp.Status.APPROVED:
        return _("You are signed up. See you there!")
    if signup.status == SignUp.Status.WAITLISTED:
        return _("The shift is full; you are on the waiting list and will be told if a place frees up.")
    return _("Sign-up received; the organizer will review it.")


@login_required
def my_shifts(request):
    volunteer = _volunteer(request.user)
    if volunteer is None:
        return render(request, "activities/my_shifts.html", {"volunteer": None, "current_place": "shifts"})
    now = timezone.now()
    upcoming = list(selectors.my_signups(volunteer, now=now)[:200])
    for s in upcoming:
        s.cancel_until = services.cancel_deadline(s.shift)
        s.can_cancel = s.status in SignUp.ACTIVE_STATUSES and now < s.cancel_until
    past = selectors.my_signups(volunteer, now=now, past=True)[:100]
    return render(request, "activities/my_shifts.html", {
        "volunteer": volunteer, "upcoming": upcoming, "past": past, "current_place": "shifts",
    })


@login_required
@require_POST
def cancel_signup(request, pk: int):
    signup = get_object_or_404(SignUp, pk=pk, volunteer__user=request.user)
    try:
        services.cancel_sign_up(actor=request.user, signup=signup)
    except DomainError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("Your sign-up is cancelled."))
    return redirect("activities:my-shifts")


# ---------------------------------------------------------------- organizers

def _managed(request, pk: int) -> Activity:
    activity = get_object_or_404(Activity.objects.select_related("organization", "project"), pk=pk)
    if not org_permissions.can_manage(request.user, activity.organization):
        raise Http404
    return activity


def _staff_required(request) -> None:
    if not org_permissions.is_staff_anywhere(request.user):
        raise Http404


@login_required
def manage(request):
    _staff_required(request)
    activities = selectors.managed_activities(request.user)[:200]
    projects = (Project.objects.filter(owner__in=org_permissions.managed_organizations(request.user),
                                       state__in=services.ACTIVITY_PROJECT_STATES)
                .select_related("owner").order_by("-starts_on")[:100])
    return render(request, "activities/activity_manage_list.html", {
        "activities": activities, "projects": projects,
        "pending": selectors.pending_signups(request.user).filter(status=SignUp.Status.PENDING).count(),
    })


def _activity_kwargs(data: dict) -> dict:
    data = dict(data)
    for name in ("project", "organization", "teams"):
        data.pop(name, None)
    return data


@login_required
def activity_new(request):
    _staff_required(request)
    orgs = org_permissions.managed_organizations(request.user).active()
    projects = Project.objects.filter(
        owner__in=org_permissions.managed_organizations(request.user),
        state__in=services.ACTIVITY_PROJECT_STATES).select_related("owner")
    initial = {}
    chosen = projects.filter(pk=request.GET.get("project") or 0).first()
    if chosen is not None:
        initial = {"project": chosen, "organization": chosen.owner, "risk_level": chosen.risk_level,
                   "region": chosen.region, "place": chosen.place, "title": chosen.title}
    form = forms.ActivityForm(request.POST or None, initial=initial, projects=projects, organizations=orgs)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            activity = services.create_activity(
                actor=request.user, project=data["project"], organization=data["organization"],
                teams=list(data["teams"]), **_activity_kwargs(data))
        except ValidationFailed as exc:
            forms.apply_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("The activity is saved as a draft. Add positions and shifts, then publish it."))
            return redirect("activities:activity-manage", pk=activity.pk)
    return render(request, "activities/activity_form.html", {"form": form, "activity": None},
                  status=400 if form.errors else 200)


@login_required
def activity_edit(request, pk: int):
    activity = _managed(request, pk)
    fields = [n for n in forms.ActivityForm.base_fields if n not in ("project", "organization", "teams")]
    initial = {n: getattr(activity, n) for n in fields}
    initial["teams"] = list(activity.teams.all())
    if activity.signup_deadline:
        initial["signup_deadline"] = timezone.localtime(activity.signup_deadline)
    form = forms.ActivityForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_activity(actor=request.user, activity=activity, teams=list(form.cleaned_data["teams"]),
                                     **_activity_kwargs(form.cleaned_data))
        except ValidationFailed as exc:
            forms.apply_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Changes saved."))
            return redirect("activities:activity-manage", pk=pk)
    return render(request, "activities/activity_form.html", {"form": form, "activity": activity},
                  status=400 if form.errors else 200)


def _manage_context(activity: Activity, *, position_form=None, shift_form=None) -> dict:
    positions = list(activity.positions.all())
    shifts = (Shift.objects.filter(activity=activity, ends_at__gt=timezone.now())
              .prefetch_related(Prefetch("slots", queryset=ShiftSlot.objects.select_related("position")))
              .order_by("starts_at")[:200])
    return {
        "activity": activity, "positions": positions, "shifts": shifts,
        "position_form": position_form or forms.PositionForm(),
        "shift_form": shift_form or forms.ShiftForm(positions=positions),
        "pending": SignUp.objects.filter(shift__activity=activity, status=SignUp.Status.PENDING).count(),
        "editable": activity.status in (Activity.Status.DRAFT, Activity.Status.PUBLISHED),
    }


@login_required
def activity_manage(request, pk: int):
    activity = _managed(request, pk)
    return render(request, "activities/activity_manage.html", _manage_context(activity))


@login_required
@require_POST
def position_new(request, pk: int):
    activity = _managed(request, pk)
    form = forms.PositionForm(request.POST)
    if form.is_valid():
        try:
            services.add_position(actor=request.user, activity=activity, **form.cleaned_data)
        except ValidationFailed as exc:
            forms.apply_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Position added."))
            return redirect("activities:activity-manage", pk=pk)
    return render(request, "activities/activity_manage.html", _manage_context(activity, position_form=form),
                  status=400)


@login_required
@require_POST
def shift_new(request, pk: int):
    activity = _managed(request, pk)
    form = forms.ShiftForm(request.POST, positions=activity.positions.all())
    if form.is_valid():
        data = form.cleaned_data
        try:
            if data["repeat"] == "once":
                end_day = data["first_day"]
                if data["end_time"] <= data["start_time"]:
                    end_day = end_day + timedelta(days=1)
                shifts = [services.add_shift(
                    actor=request.user, activity=activity, places=form.places(), note=data["note"],
                    starts_at=datetime.combine(data["first_day"], data["start_time"]),
                    ends_at=datetime.combine(end_day, data["end_time"]))]
            else:
                shifts = services.add_shift_series(
                    actor=request.user, activity=activity, frequency=data["repeat"], first_day=data["first_day"],
                    last_day=data["last_day"], weekdays=data["weekdays"], start_time=data["start_time"],
                    end_time=data["end_time"], places=form.places(), note=data["note"])
        except ValidationFailed as exc:
            forms.apply_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("%(n)d shift(s) added.") % {"n": len(shifts)})
            return redirect("activities:activity-manage", pk=pk)
    return render(request, "activities/activity_manage.html", _manage_context(activity, shift_form=form),
                  status=400)


@login_required
@require_POST
def activity_action(request, pk: int, action: str):
    activity = _managed(request, pk)
    try:
        if action == "publish":
            services.publish_activity(actor=request.user, activity=activity)
            messages.success(request, _("The activity is published; volunteers can sign up."))
        elif action == "cancel":
            services.cancel_activity(actor=request.user, activity=activity, reason=request.POST.get("reason", ""))
            messages.success(request, _("The activity is cancelled; the volunteers have been told."))
        else:
            raise Http404
    except DomainError as exc:
        messages.error(request, _error_text(exc))
    return redirect("activities:activity-manage", pk=pk)


@login_required
@require_POST
def shift_cancel(request, pk: int):
    shift = get_object_or_404(Shift.objects.select_related("activity__organization"), pk=pk)
    if not org_permissions.can_manage(request.user, shift.activity.organization):
        raise Http404
    try:
        services.cancel_shift(actor=request.user, shift=shift, reason=request.POST.get("reason", ""))
    except DomainError as exc:
        messages.error(request, _error_text(exc))
    else:
        messages.success(request, _("The shift is cancelled; the volunteers have been told."))
    return redirect("activities:activity-manage", pk=shift.activity_id)


@login_required
def review(request):
    """Sign-ups waiting for review (and waiting lists) in the activities the user's organizations run."""
    _staff_required(request)
    activity = None
    if request.GET.get("activity"):
        activity = _managed(request, int(request.GET["activity"]) if request.GET["activity"].isdigit() else 0)
    signups = list(selectors.pending_signups(request.user, activity=activity)[:300])
    return render(request, "activities/signup_review.html", {"signups": signups, "activity": activity})


@login_required
@require_POST
def decide(request, pk: int, action: str):
    signup = get_object_or_404(SignUp.objects.select_related("shift__activity__organization"), pk=pk)
    if not org_permissions.can_manage(request.user, signup.shift.activity.organization):
        raise Http404
    status, error = 200, ""
    try:
        if action == "approve":
            services.approve_sign_up(actor=request.user, signup=signup)
        elif action == "reject":
            services.reject_sign_up(actor=request.user, signup=signup, reason=request.POST.get("reason", ""))
        elif action == "no-show":
            services.mark_no_show(actor=request.user, signup=signup)
        else:
            raise Http404
    except DomainError as exc:
        error, status = _error_text(exc), exc.status
    signup = SignUp.objects.select_related("volunteer", "slot__position", "shift__activity").get(pk=pk)
    if request.htmx:
        return render(request, "activities/_review_row.html", {"s": signup, "error": error}, status=status)
    if error:
        messages.error(request, error)
    else:
        messages.success(request, _("%(name)s: %(status)s") % {"name": signup.volunteer.name,
                                                               "status": signup.get_status_display()})
    return redirect("activities:review")
