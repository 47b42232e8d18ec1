"""Pages of the project library: public catalogue and project page; staff propose, submit,
approve or return, run, close and evaluate; ideas from volunteers and citizens."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from yigong.accounts.api import client_ip
from yigong.core import throttle
from yigong.core.errors import DomainError, ValidationFailed
from yigong.organizations import permissions as org_permissions
from yigong.organizations.models import Organization
from yigong.projects import forms, permissions, selectors, services
from yigong.projects.models import Project, ProjectEvaluation, ProjectIdea


def _staff_required(request):
    if not org_permissions.is_staff_anywhere(request.user):
        raise Http404


def _owners(user):
    return org_permissions.managed_organizations(user).filter(status=Organization.Status.ACTIVE).exclude(
        kind=Organization.Kind.REQUESTING_UNIT)


def catalogue(request):
    form = forms.CatalogueFilter(request.GET or None)
    data = form.cleaned_data if form.is_bound and form.is_valid() else {}
    street = data.get("street")
    qs = selectors.catalogue(q=data.get("q") or "", street=street.code if street else "",
                             category=data.get("category") or "", state=data.get("state") or "")
    page = Paginator(qs, 20).get_page(request.GET.get("page"))
    query = request.GET.copy()
    query.pop("page", None)
    return render(request, "projects/project_list.html", {
        "form": form, "page": page, "query": query.urlencode(),
        "is_staff": org_permissions.is_staff_anywhere(request.user),
    })


def _visible_project(request, pk: int) -> Project:
    try:
        project = selectors.project_detail(pk)
    except Project.DoesNotExist as exc:
        raise Http404 from exc
    if project.state in (Project.State.DRAFT, Project.State.SUBMITTED, Project.State.RETURNED):
        if not (permissions.can_run(request.user, project) or permissions.can_approve(request.user, project)):
            raise Http404
    return project


def detail(request, pk: int):
    project = _visible_project(request, pk)
    user = request.user
    can_run = permissions.can_run(user, project)
    can_approve = permissions.can_approve(user, project)
    from yigong.activities.models import Activity

    activities = (project.activities.filter(status__in=[Activity.Status.PUBLISHED, Activity.Status.FINISHED])
                  .select_related("organization").order_by("-id")[:50])
    S = Project.State
    evaluation = None
    if project.state == S.EVALUATED:
        evaluation = ProjectEvaluation.objects.filter(project=project).first()
    return render(request, "projects/project_detail.html", {
        "project": project, "activities": activities,
        "can_run": can_run, "can_approve": can_approve,
        "can_edit": can_run and project.state in services.EDITABLE_STATES,
        "can_submit": can_run and project.state in (S.DRAFT, S.RETURNED),
        "can_decide": can_approve and project.state == S.SUBMITTED,
        "can_start": can_run and project.state == S.APPROVED,
        "can_close": can_run and project.state == S.ACTIVE,
        "can_evaluate": can_approve and project.state == S.CLOSED,
        "can_brand": permissions.can_grant_brand(user) and project.state in (S.APPROVED, S.ACTIVE, S.CLOSED, S.EVALUATED),
        "can_add_activity": can_run and project.state in (S.APPROVED, S.ACTIVE),
        "show_history": can_run or can_approve,
        "evaluation": evaluation,
        "evaluation_rows": [(c.value, c.label, (evaluation.scores or {}).get(c.value)) for c in
                            ProjectEvaluation.Criterion] if evaluation else [],
        "reason_form": forms.ReasonForm(),
    })


@login_required
def propose(request):
    _staff_required(request)
    owners = _owners(request.user)
    form = forms.ProjectForm(request.POST or None, owners=owners)
    if request.method == "POST" and form.is_valid():
        try:
            project = services.propose_project(actor=request.user, **form.cleaned_data)
        except ValidationFailed as exc:
            forms.apply_errors(form, exc)
        else:
            messages.success(request, _("The draft is saved. Submit it for approval when it is ready."))
            return redirect("projects:detail", pk=project.pk)
    return render(request, "projects/project_form.html", {"form": form, "project": None},
                  status=400 if form.errors else 200)


@login_required
def edit(request, pk: int):
    project = get_object_or_404(Project.objects.select_related("owner"), pk=pk)
    if not permissions.can_run(request.user, project):
        raise Http404
    fields = ["title", "category", "target_group", "description", "place", "region", "starts_on", "ends_on",
              "planned_volunteers", "budget", "risk_level"]
    initial = {name: getattr(project, name) for name in fields}
    form = forms.ProjectForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            services.update_project(actor=request.user, project=project, **form.cleaned_data)
        except ValidationFailed as exc:
            forms.apply_errors(form, exc)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("projects:detail", pk=pk)
        else:
            messages.success(request, _("Changes saved."))
            return redirect("projects:detail", pk=pk)
    return render(request, "projects/project_form.html", {"form": form, "project": project},
                  status=400 if form.errors else 200)


TRANSITION_SERVICES = {
    "submit": (services.submit_project, gettext_lazy("Submitted for approval.")),
    "approve": (services.approve_project, gettext_lazy("The project is approved.")),
    "start": (services.start_project, gettext_lazy("The project is running.")),
    "close": (services.close_project, gettext_lazy("The project is closed.")),
}


@login_required
@require_POST
def transition(request, pk: int, action: str):
    project = get_object_or_404(Project.objects.select_related("owner"), pk=pk)
    if not (permissions.can_run(request.user, project) or permissions.can_approve(request.user, project)):
        raise Http404
    form = forms.ReasonForm(request.POST)
    form.is_valid()
    note = form.cleaned_data.get("reason", "")
    try:
        if action == "return":
            services.return_project(actor=request.user, project=project, reason=note)
            messages.success(request, _("The project was returned with your reason."))
        elif action in TRANSITION_SERVICES:
            service, done = TRANSITION_SERVICES[action]
            service(actor=request.user, project=project, note=note)
            messages.success(request, str(done))
        else:
            raise Http404
    except ValidationFailed as exc:
        messages.error(request, " ".join(str(m) for msgs in exc.fields.values() for m in msgs) or str(exc.message))
    except DomainError as exc:
        messages.error(request, str(exc.message))
    if request.POST.get("next") == "manage":
        return redirect("projects:manage")
    return redirect("projects:detail", pk=pk)


@login_required
def evaluate(request, pk: int):
    project = get_object_or_404(Project.objects.select_related("owner"), pk=pk)
    if not permissions.can_approve(request.user, project):
        raise Http404
    form = forms.EvaluationForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.evaluate_project(actor=request.user, project=project, scores=form.scores(),
                                      summary=form.cleaned_data["summary"])
        except ValidationFailed as exc:
            forms.apply_errors(form, exc)
        except DomainError as exc:
            messages.error(request, exc.message)
            return redirect("projects:detail", pk=pk)
        else:
            messages.success(request, _("The evaluation is recorded."))
            return redirect("projects:detail", pk=pk)
    return render(request, "projects/project_evaluate.html", {"form": form, "project": project},
                  status=400 if form.errors else 200)


@login_required
@require_POST
def brand(request, pk: int):
    project = get_object_or_404(Project, pk=pk)
    if not permissions.can_grant_brand(request.user):
        raise Http404
    try:
        services.set_brand(actor=request.user, project=project, brand=request.POST.get("brand") == "1")
    except DomainError as exc:
        messages.error(request, exc.message)
    return redirect("projects:detail", pk=pk)


@login_required
def manage(request):
    """Staff: projects they run, and the queues of projects waiting for their approval or evaluation."""
    _staff_required(request)
    return render(request, "projects/project_manage.html", {
        "approval_queue": selectors.approval_queue(request.user)[:100],
        "evaluation_queue": selectors.evaluation_queue(request.user)[:100],
        "mine": selectors.run_by(request.user)[:200],
        "open_ideas": selectors.open_ideas().count(),
        "reason_form": forms.ReasonForm(),
    })


def idea_new(request):
    form = forms.IdeaForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            throttle.limit(f"idea:ip:{client_ip(request)}", limit=20, window=3600)
            services.submit_idea(actor=request.user, **form.cleaned_data)
        except ValidationFailed as exc:
            forms.apply_errors(form, exc)
        except DomainError as exc:
            form.add_error(None, str(exc.message))
        else:
            messages.success(request, _("Thank you! Your idea has been passed to the volunteer organizations."))
            return redirect("projects:catalogue")
    return render(request, "projects/idea_form.html", {"form": form}, status=400 if form.errors else 200)


@login_required
def ideas(request):
    _staff_required(request)
    owners = _owners(request.user)
    return render(request, "projects/idea_list.html", {
        "ideas": selectors.open_ideas()[:200], "adopt_form": forms.AdoptForm(owners=owners),
        "reason_form": forms.ReasonForm(),
    })


@login_required
@require_POST
def idea_adopt(request, pk: int):
    _staff_required(request)
    idea = get_object_or_404(ProjectIdea, pk=pk)
    form = forms.AdoptForm(request.POST, owners=_owners(request.user))
    if not form.is_valid():
        messages.error(request, " ".join(str(e) for errs in form.errors.values() for e in errs))
        return redirect("projects:ideas")
    try:
        project = services.adopt_idea(actor=request.user, idea=idea, **form.cleaned_data)
    except ValidationFailed as exc:
        messages.error(request, " ".join(str(m) for msgs in exc.fields.values() for m in msgs) or str(exc.message))
        return redirect("projects:ideas")
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("projects:ideas")
    messages.success(request, _("The idea is now a draft project. Complete it and submit it for approval."))
    return redirect("projects:detail", pk=project.pk)


@login_required
@require_POST
def idea_decline(request, pk: int):
    _staff_required(request)
    idea = get_object_or_404(ProjectIdea, pk=pk)
    try:
        services.decline_idea(actor=request.user, idea=idea, reason=request.POST.get("reason", ""))
    except ValidationFailed as exc:
        messages.error(request, " ".join(str(m) for msgs in exc.fields.values() for m in msgs))
    except DomainError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("The idea was declined."))
    return redirect("projects:ideas")
