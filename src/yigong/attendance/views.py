"""Attendance pages: the organizer's shift board, the QR screen and print-out, the volunteer's
check-in/out page reached from the QR code, and rating an activity. Views load and authorize,
validate with a form, call one service and respond; htmx requests get the fragment."""

from __future__ import annotations

import segno
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from yigong.activities.models import Activity, SignUp
from yigong.attendance import selectors, services
from yigong.attendance.formatting import format_minutes
from yigong.attendance.forms import CheckOutEveryoneForm, HandCheckForm, MinutesForm, RatingForm
from yigong.attendance.models import ActivityRating
from yigong.attendance.tokens import Action, Display, make_token, read_token
from yigong.core.errors import DomainError
from yigong.volunteers.models import Volunteer

# ---------------------------------------------------------------- organizer


@login_required
def shift_list(request):
    shifts = list(selectors.staff_shifts(request.user, now=timezone.now())[:200])
    return render(request, "attendance/shift_list.html", {"shifts": shifts, "now": timezone.now()})


def _board_context(request, shift, **extra) -> dict:
    board = selectors.board_for(shift)
    return {"shift": shift, "board": board, "now": timezone.now(),
            "everyone_form": extra.pop("everyone_form", None) or CheckOutEveryoneForm(), **extra}


@login_required
def shift_board(request, shift_id: int):
    shift = selectors.shift_for_staff(request.user, shift_id)
    return render(request, "attendance/shift_board.html", _board_context(request, shift))


_ROW_FORMS = {"check-in": HandCheckForm, "check-out": HandCheckForm, "minutes": MinutesForm, "rating": RatingForm}


def _row_response(request, shift, signup_id: int, *, forms=None, error: str = "", status: int = 200):
    board = selectors.board_for(shift)
    line = next((line for line in board.lines if line.signup.pk == signup_id), None)
    if line is None:
        raise Http404
    return render(request, "attendance/_board_row.html", {
        "shift": shift, "board": board, "line": line, "rating": board.ratings.get(signup_id),
        "forms": forms or {}, "row_error": error, "oob": True, "now": timezone.now(),
    }, status=status)


@login_required
@require_POST
def signup_action(request, shift_id: int, signup_id: int, op: str):
    """A row action of the shift board: check in/out by hand, enter minutes, rate."""
    shift = selectors.shift_for_staff(request.user, shift_id)
    if op not in _ROW_FORMS:
        raise Http404
    signup = get_object_or_404(SignUp, pk=signup_id, shift=shift)
    form = _ROW_FORMS[op](request.POST)
    error, status = "", 200
    if form.is_valid():
        data = form.cleaned_data
        try:
            if op == "check-in":
                services.check_in_by_hand(actor=request.user, signup=signup, reason=data["reason"], at=form.at(shift))
                done = _("%(name)s is checked in.")
            elif op == "check-out":
                services.check_out_by_hand(actor=request.user, signup=signup, reason=data["reason"], at=form.at(shift))
                done = _("%(name)s is checked out.")
            elif op == "minutes":
                services.set_minutes(actor=request.user, signup=signup, minutes=data["minutes"], reason=data["reason"])
                done = _("Minutes of %(name)s saved.")
            else:
                services.rate_service(actor=request.user, signup=signup, stars=data["stars"], comment=data["comment"])
                done = _("Rating of %(name)s saved.")
        except DomainError as exc:
            for field, errors in exc.fields.items():
                form.add_error(field if field in form.fields else None, errors)
            if not exc.fields:
                error = str(exc.message)
            status = exc.status
        else:
            if not request.htmx:
                messages.success(request, done % {"name": signup.volunteer.name})
                return redirect("attendance:shift-board", shift.pk)
            return _row_response(request, shift, signup.pk)
    else:
        status = 400
    if request.htmx:
        return _row_response(request, shift, signup.pk, forms={op.replace("-", "_"): form}, error=error,
                             status=status)
    messages.error(request, error or _("%(name)s: %(errors)s") % {
        "name": signup.volunteer.name,
        "errors": " ".join(str(e) for errors in form.errors.values() for e in errors)})
    return redirect("attendance:shift-board", shift.pk)


@login_required
@require_POST
def check_out_everyone(request, shift_id: int):
    shift = selectors.shift_for_staff(request.user, shift_id)
    form = CheckOutEveryoneForm(request.POST)
    if form.is_valid():
        try:
            done = services.check_out_everyone(actor=request.user, shift=shift, reason=form.cleaned_data["reason"])
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, ngettext("%(count)d volunteer checked out.", "%(count)d volunteers checked out.",
                                               done) % {"count": done})
            return redirect("attendance:shift-board", shift.pk)
    return render(request, "attendance/shift_board.html", _board_context(request, shift, everyone_form=form),
                  status=400)


@login_required
@require_POST
def confirm(request, shift_id: int):
    shift = selectors.shift_for_staff(request.user, shift_id)
    try:
        confirmation = services.confirm_shift_hours(actor=request.user, shift=shift)
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, ngettext(
            "Hours confirmed: %(entries)d service record, %(hours)s in all.",
            "Hours confirmed: %(entries)d service records, %(hours)s in all.", confirmation.entries,
        ) % {"entries": confirmation.entries, "hours": format_minutes(confirmation.minutes)})
    return redirect("attendance:shift-board", shift.pk)


def _qr_svg(url: str, label: str) -> str:
    return segno.make(url, error="m").svg_inline(
        omitsize=True, border=4, dark="#1d2330", light="#ffffff", svgclass="qr", title=label,
    )


def _scan_url(request, action: Action, token: str) -> str:
    name = "checkin:in" if action == Action.IN else "checkin:out"
    return request.build_absolute_uri(reverse(name, args=[token]))


def _action_param(request) -> Action:
    try:
        return Action(request.GET.get("action", "in"))
    except ValueError:
        raise Http404 from None


@login_required
def shift_qr(request, shift_id: int):
    """The QR code on the organizer's screen; htmx swaps in a fresh code every minute."""
    shift = selectors.shift_for_staff(request.user, shift_id)
    action = _action_param(request)
    token, expires_at = make_token(shift=shift, action=action, display=Display.SCREEN)
    label = _("Scan to check in") if action == Action.IN else _("Scan to check out")
    context = {"shift": shift, "action": action.value, "label": label, "expires_at": expires_at,
               "qr": _qr_svg(_scan_url(request, action, token), label), "refresh_seconds": 60}
    template = "attendance/_qr_code.html" if request.htmx else "attendance/shift_qr.html"
    response = render(request, template, context)
    response["Cache-Control"] = "no-store"
    return response


@login_required
def shift_print(request, shift_id: int):
    """Both codes on one page to print; valid until the shift's end plus the late margin."""
    shift = selectors.shift_for_staff(request.user, shift_id)
    codes = []
    for action, label in ((Action.IN, _("Check in")), (Action.OUT, _("Check out"))):
        token, expires_at = make_token(shift=shift, action=action, display=Display.PRINT)
        codes.append({"action": action.value, "label": label, "expires_at": expires_at,
                      "qr": _qr_svg(_scan_url(request, action, token), label)})
    response = render(request, "attendance/shift_print.html", {"shift": shift, "codes": codes})
    response["Cache-Control"] = "no-store"
    return response


# ---------------------------------------------------------------- volunteer


def scan(request, token: str, action: str):
    """The page a phone opens from the QR code: the shift, and one button to confirm."""
    action = Action(action)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    now = timezone.now()
    context = {"action": action.value, "token": token, "shift": None, "attendance": None, "error": "",
               "done": False}
    status = 200
    try:
        payload = read_token(token, action=action, now=now)
        shift = services.shift_of_token(payload)
        context["shift"] = shift
        if request.method == "POST":
            service = services.check_in if action == Action.IN else services.check_out
            context["attendance"] = service(actor=request.user, token=token, now=now)
            context["done"] = True
            if action == Action.OUT:
                context.update(_after_service(request.user, shift, context["attendance"]))
        else:
            _shift, context["attendance"] = services.check_scan(actor=request.user, token=token, action=action,
                                                                now=now)
    except DomainError as exc:
        context["error"], context["error_code"], status = str(exc.message), exc.code, exc.status
    response = render(request, "attendance/scan.html", context, status=status)
    response["Cache-Control"] = "no-store"
    return response


def _after_service(user, shift, attendance) -> dict:
    from yigong.attendance.hours import counted_interval
    from yigong.core import settings_store

    counted = counted_interval(
        starts_at=shift.starts_at, ends_at=shift.ends_at, checked_in_at=attendance.checked_in_at,
        checked_out_at=attendance.checked_out_at, grace_minutes=settings_store.get("hours_grace_minutes"))
    rating = ActivityRating.objects.filter(activity=shift.activity, volunteer__user=user).first()
    return {"counted_minutes": counted.minutes, "rating_form": RatingForm(
        initial={"stars": rating.stars, "comment": rating.comment} if rating else None)}


@login_required
def activity_rate(request, activity_id: int):
    """A volunteer rates an activity they served in."""
    activity = get_object_or_404(Activity.objects.select_related("organization"), pk=activity_id)
    volunteer = Volunteer.objects.filter(user=request.user).first()
    existing = ActivityRating.objects.filter(activity=activity, volunteer=volunteer).first() if volunteer else None
    form = RatingForm(request.POST or None,
                      initial={"stars": existing.stars, "comment": existing.comment} if existing else None)
    status, error = 200, ""
    if request.method == "POST":
        if form.is_valid():
            try:
                services.rate_activity(actor=request.user, activity=activity, stars=form.cleaned_data["stars"],
                                       comment=form.cleaned_data["comment"])
            except DomainError as exc:
                for field, errors in exc.fields.items():
                    form.add_error(field if field in form.fields else None, errors)
                error, status = ("" if exc.fields else str(exc.message)), exc.status
            else:
                messages.success(request, _("Thank you! Your rating of %(activity)s is saved.")
                                 % {"activity": activity.title})
                target = request.POST.get("next", "")
                if not url_has_allowed_host_and_scheme(target, {request.get_host()}):
                    target = reverse("attendance:activity-rate", args=[activity.pk])
                return redirect(target)
        else:
            status = 400
    elif volunteer is None or not services.has_served(volunteer, activity):
        error, status = _("You can rate an activity after you have served in it."), 403
    return render(request, "attendance/activity_rate.html",
                  {"activity": activity, "form": form, "error": error, "existing": existing,
                   "next": request.GET.get("next", "")}, status=status)
