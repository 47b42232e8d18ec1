"""The in-app inbox: unread first; open, mark read, mark all read. Only ever the owner's messages."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from yigong.core.errors import NotFound
from yigong.notifications import services
from yigong.notifications.models import Notification

PER_PAGE = 30


@login_required
def inbox(request):
    qs = Notification.objects.for_user(request.user).inbox_order()
    page = Paginator(qs, PER_PAGE).get_page(request.GET.get("page"))
    unread = Notification.objects.for_user(request.user).unread().count()
    return render(request, "notifications/inbox.html", {"page": page, "unread": unread})


def _safe_next(request, target: str) -> str | None:
    if target and url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()},
                                                   require_https=request.is_secure()):
        return target
    return None


@login_required
@require_POST
def mark_read(request, notification_id: int):
    try:
        notification = services.mark_read(actor=request.user, notification_id=notification_id)
    except NotFound as exc:
        raise Http404(str(exc.message)) from exc
    if request.POST.get("open") and _safe_next(request, notification.url):
        return redirect(notification.url)
    if request.htmx:
        unread = Notification.objects.for_user(request.user).unread().count()
        return render(request, "notifications/_notification.html", {"n": notification, "oob_unread": unread})
    return redirect(_safe_next(request, request.POST.get("next", "")) or "notifications:inbox")


@login_required
@require_POST
def mark_all_read(request):
    count = services.mark_all_read(actor=request.user)
    if count:
        messages.success(request, _("All messages marked as read."))
    return redirect("notifications:inbox")
