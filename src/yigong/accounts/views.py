from django.contrib.auth import login, logout
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.http import require_POST

from yigong.accounts.forms import LoginForm
from yigong.accounts.services import login_with_password
from yigong.core.errors import DomainError


def _safe_next(request) -> str:
    target = request.POST.get("next") or request.GET.get("next") or ""
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure(),
    ):
        return target
    return ""


def login_view(request):
    form = LoginForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            user = login_with_password(
                request=request, identifier=form.cleaned_data["username"],
                password=form.cleaned_data["password"], ip=request.META.get("REMOTE_ADDR", ""),
            )
        except DomainError as exc:
            form.add_error(None, str(exc.message))
            status = exc.status
        else:
            login(request, user)
            target = _safe_next(request)
            if not target:
                target = "volunteers:me" if hasattr(user, "volunteer") else "organizations:console"
            return redirect(target)
    elif request.method == "POST":
        status = 400
    return render(request, "accounts/login.html", {"form": form, "next": _safe_next(request)},
                  status=status)


@require_POST
def logout_view(request):
    logout(request)
    return redirect("core:home")
