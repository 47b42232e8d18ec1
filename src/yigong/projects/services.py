"""Writes on the project library (R7): propose, submit, approve or return, run, close, evaluate;
brand projects; ideas from volunteers and citizens."""

from __future__ import annotations

from datetime import date
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import pgettext_lazy

from yigong.core import audit
from yigong.core.errors import Conflict, NotAllowed, ValidationFailed
from yigong.organizations import permissions as org_permissions
from yigong.organizations.models import Organization
from yigong.projects import permissions
from yigong.projects.models import (
    Category,
    Project,
    ProjectEvaluation,
    ProjectIdea,
    ProjectTransition,
    RiskLevel,
    TargetGroup,
)

S = Project.State

# action → (states it starts from, state it leads to)
TRANSITIONS: dict[str, tuple[tuple[str, ...], str]] = {
    "submit": ((S.DRAFT, S.RETURNED), S.SUBMITTED),
    "approve": ((S.SUBMITTED,), S.APPROVED),
    "return": ((S.SUBMITTED,), S.RETURNED),
    "start": ((S.APPROVED,), S.ACTIVE),
    "close": ((S.ACTIVE,), S.CLOSED),
    "evaluate": ((S.CLOSED,), S.EVALUATED),
}
ACTION_LABELS = {
    "submit": pgettext_lazy("project transition", "submitted"),
    "approve": pgettext_lazy("project transition", "approved"),
    "return": pgettext_lazy("project transition", "returned"),
    "start": pgettext_lazy("project transition", "started"),
    "close": pgettext_lazy("project transition", "closed"),
    "evaluate": pgettext_lazy("project transition", "evaluated"),
}
EDITABLE_STATES = (S.DRAFT, S.RETURNED)


class IllegalTransition(Conflict):
    code = "illegal_transition"


def _check_transition(project: Project, action: str) -> str:
    sources, target = TRANSITIONS[action]
    if project.state not in sources:
        raise IllegalTransition(
            _("A project that is “%(state)s” cannot be %(action)s.")
            % {"state": project.get_state_display(), "action": ACTION_LABELS[action]}
        )
    return target


def _transition(*, actor, project: Project, action: str, reason: str = "") -> Project:
    target = _check_transition(project, action)
    source = project.state
    project.state = target
    project.save(update_fields=["state", "updated_at"])
    ProjectTransition.objects.create(
        project=project, from_state=source, to_state=target,
        actor=actor if getattr(actor, "pk", None) else None, reason=reason,
    )
    audit.record(actor=actor, action=f"project.{action}", target=project, organization=project.owner,
                 from_state=source, to_state=target, reason=reason)
    return project


def _locked(project: Project) -> Project:
    return Project.objects.select_for_update().select_related("owner").get(pk=project.pk)


# ---------------------------------------------------------------- proposal fields

def _clean_fields(data: dict, *, partial: bool) -> tuple[dict, dict]:
    """Check the proposal fields; every error is reported at once, in the user's language."""
    errors: dict[str, list[str]] = {}
    out: dict = {}

    def need(name: str) -> bool:
        return not partial or name in data

    if need("title"):
        title = (data.get("title") or "").strip()
        if not title:
            errors["title"] = [_("Enter the project's title.")]
        elif len(title) > 120:
            errors["title"] = [_("The title can be at most 120 characters.")]
        out["title"] = title
    if need("category"):
        if data.get("category") not in Category.values:
            errors["category"] = [_("Choose a service category.")]
        out["category"] = data.get("category")
    if "target_group" in data:
        if data["target_group"] not in TargetGroup.values:
            errors["target_group"] = [_("Choose a target group.")]
        out["target_group"] = data["target_group"]
    if "risk_level" in data:
        if data["risk_level"] not in RiskLevel.values:
            errors["risk_level"] = [_("Choose a risk level.")]
        out["risk_level"] = data["risk_level"]
    for name in ("description", "place"):
        if name in data:
            out[name] = (data[name] or "").strip()
    if "place" in out and len(out["place"]) > 200:
        errors["place"] = [_("The place can be at most 200 characters.")]
    if "region" in data:
        out["region"] = data["region"]
    for name in ("starts_on", "ends_on"):
        if need(name):
            value = data.get(name)
            if not isinstance(value, date):
                errors[name] = [_("Enter a date as YYYY-MM-DD.")]
            out[name] = value
    if "planned_volunteers" in data:
        try:
            planned = int(data["planned_volunteers"] or 0)
            if planned < 0:
                raise ValueError
        except (TypeError, ValueError):
            errors["planned_volunteers"] = [_("Enter a whole number of volunteers, 0 or more.")]
            planned = 0
        out["planned_volunteers"] = planned
    if "budget" in data:
        try:
            budget = Decimal(str(data["budget"] if data["budget"] not in (None, "") else "0"))
            if budget < 0 or budget != budget.quantize(Decimal("0.01")) or budget >= Decimal("1e10"):
                raise InvalidOperation
        except (InvalidOperation, ValueError):
            errors["budget"] = [_("Enter the budget in yuan, 0 or more, with at most two decimals.")]
            budget = Decimal("0")
        out["budget"] = budget
    return out, errors


def _check_period(starts_on, ends_on, errors: dict) -> None:
    if isinstance(starts_on, date) and isinstance(ends_on, date) and ends_on < starts_on:
        errors.setdefault("ends_on", []).append(_("The end date cannot be before the start date."))


@transaction.atomic
def propose_project(*, actor, owner: Organization, title: str, category: str, starts_on: date,
                    ends_on: date, description: str = "", target_group: str = TargetGroup.PUBLIC,
                    place: str = "", region=None, planned_volunteers: int = 0,
                    budget: Decimal | str = Decimal("0"), risk_level: str = RiskLevel.LOW,
                    idea: ProjectIdea | None = None) -> Project:
    """Create a draft project (立项申请) owned by `owner`; its staff then submit it."""
    if not org_permissions.can_manage(actor, owner):
        raise NotAllowed(_("Only staff of the owner organization can propose its projects."))
    if owner.status != Organization.Status.ACTIVE:
        raise ValidationFailed(fields={"owner": [_("The owner organization is not active.")]})
    fields, errors = _clean_fields(
        {"title": title, "category": category, "starts_on": starts_on, "ends_on": ends_on,
         "description": description, "target_group": target_group, "place": place, "region": region,
         "planned_volunteers": planned_volunteers, "budget": budget, "risk_level": risk_level},
        partial=False,
    )
    _check_period(fields.get("starts_on"), fields.get("ends_on"), errors)
    if errors:
        raise ValidationFailed(fields=errors)
    project = Project.objects.create(
        owner=owner, created_by=actor if getattr(actor, "pk", None) else None, from_idea=idea,
        state=S.DRAFT, **fields,
    )
    audit.record(actor=actor, action="project.propose", target=project, organization=owner)
    return project


@transaction.atomic
def update_project(*, actor, project: Project, **changes) -> Project:
    """Change a draft or returned project's proposal. Approved projects are not rewritten."""
    project = _locked(project)
    if not permissions.can_run(actor, project):
        raise NotAllowed(_("Only staff of the owner organization can change this project."))
    if project.state not in EDITABLE_STATES:
        raise Conflict(_("Only a draft or a returned project can be changed."), code="not_editable")
    unknown = set(changes) - {"title", "category", "starts_on", "ends_on", "description",
                              "target_group", "place", "region", "planned_volunteers", "budget",
                              "risk_level"}
    if unknown:
        raise ValidationFailed(fields={name: [_("This field cannot be changed.")] for name in unknown})
    fields, errors = _clean_fields(changes, partial=True)
    _check_period(fields.get("starts_on", project.starts_on), fields.get("ends_on", project.ends_on),
                  errors)
    if errors:
        raise ValidationFailed(fields=errors)
    for name, value in fields.items():
        setattr(project, name, value)
    project.save(update_fields=[*fields, "updated_at"])
    audit.record(actor=actor, action="project.update", target=project, organization=project.owner,
                 fields=sorted(fields))
    return project


# ---------------------------------------------------------------- the life cycle

@transaction.atomic
def submit_project(*, actor, project: Project, note: str = "") -> Project:
    """Draft or returned → submitted for approval by the parent organization."""
    project = _locked(project)
    if not permissions.can_run(actor, project):
        raise NotAllowed(_("Only staff of the owner organization can submit this project."))
    return _transition(actor=actor, project=project, action="submit", reason=note.strip())


@transaction.atomic
def approve_project(*, actor, project: Project, note: str = "") -> Project:
    project = _locked(project)
    if not permissions.can_approve(actor, project):
        raise NotAllowed(_("Only the parent organization (or the district office) approves this project."))
    return _transition(actor=actor, project=project, action="approve", reason=note.strip())


@transaction.atomic
def return_project(*, actor, project: Project, reason: str) -> Project:
    """Send a submitted project back for changes; the reason is required and shown to the owner."""
    project = _locked(project)
    if not permissions.can_approve(actor, project):
        raise NotAllowed(_("Only the parent organization (or the district office) approves this project."))
    _check_transition(project, "return")
    reason = (reason or "").strip()
    if not reason:
        raise ValidationFailed(fields={"reason": [_("Say what must change before the project can be approved.")]})
    return _transition(actor=actor, project=project, action="return", reason=reason)


@transaction.atomic
def start_project(*, actor, project: Project, note: str = "") -> Project:
    project = _locked(project)
    if not permissions.can_run(actor, project):
        raise NotAllowed(_("Only staff of the owner organization can start this project."))
    return _transition(actor=actor, project=project, action="start", reason=note.strip())


@transaction.atomic
def close_project(*, actor, project: Project, note: str = "") -> Project:
    project = _locked(project)
    if not permissions.can_run(actor, project):
        raise NotAllowed(_("Only staff of the owner organization can close this project."))
    return _transition(actor=actor, project=project, action="close", reason=note.strip())


@transaction.atomic
def evaluate_project(*, actor, project: Project, scores: dict[str, int], summary: str) -> ProjectEvaluation:
    """Closed → evaluated: a score of 1–5 on every criterion and a written summary.

    The approving organization evaluates (the owner does not grade itself)."""
    project = _locked(project)
    if not permissions.can_approve(actor, project):
        raise NotAllowed(_("Only the parent organization (or the district office) evaluates this project."))
    _check_transition(project, "evaluate")
    errors: dict[str, list[str]] = {}
    clean: dict[str, int] = {}
    for criterion in ProjectEvaluation.Criterion:
        value = (scores or {}).get(criterion.value)
        try:
            number = int(value)
        except (TypeError, ValueError):
            number = 0
        if str(value).strip() != str(number) or not 1 <= number <= 5:
            errors[f"scores.{criterion.value}"] = [
                _("Give “%(criterion)s” a score from 1 to 5.") % {"criterion": criterion.label}
            ]
        clean[criterion.value] = number
    unknown = set(scores or {}) - set(ProjectEvaluation.Criterion.values)
    for name in unknown:
        errors[f"scores.{name}"] = [_("Unknown criterion.")]
    summary = (summary or "").strip()
    if not summary:
        errors["summary"] = [_("Write a short summary of the evaluation.")]
    if errors:
        raise ValidationFailed(fields=errors)
    evaluation = ProjectEvaluation.objects.create(
        project=project, scores=clean, summary=summary,
        evaluator=actor if getattr(actor, "pk", None) else None,
    )
    _transition(actor=actor, project=project, action="evaluate", reason=summary[:300])
    return evaluation


@transaction.atomic
def set_brand(*, actor, project: Project, brand: bool, reason: str = "") -> Project:
    """The district office grants (or withdraws) the brand-project title (品牌项目)."""
    if not permissions.can_grant_brand(actor):
        raise NotAllowed(_("Only the district office grants the brand-project title."))
    project = _locked(project)
    if brand and project.state not in (S.APPROVED, S.ACTIVE, S.CLOSED, S.EVALUATED):
        raise Conflict(_("Only an approved project can become a brand project."), code="not_approved")
    project.is_brand = brand
    project.save(update_fields=["is_brand", "updated_at"])
    audit.record(actor=actor, action="project.brand" if brand else "project.unbrand", target=project,
                 organization=project.owner, reason=reason)
    return project


# ---------------------------------------------------------------- ideas

@transaction.atomic
def submit_idea(*, actor, title: str, description: str, category: str = Category.OTHER,
                region=None, contact: str = "") -> ProjectIdea:
    """A volunteer or a citizen suggests a project. Anonymous ideas must leave a contact."""
    errors: dict[str, list[str]] = {}
    title, description, contact = (title or "").strip(), (description or "").strip(), (contact or "").strip()
    if not title:
        errors["title"] = [_("Give your idea a short title.")]
    elif len(title) > 120:
        errors["title"] = [_("The title can be at most 120 characters.")]
    if not description:
        errors["description"] = [_("Describe the need and who would benefit.")]
    if category not in Category.values:
        errors["category"] = [_("Choose a service category.")]
    signed_in = getattr(actor, "is_authenticated", False)
    if not signed_in and not contact:
        errors["contact"] = [_("Leave a phone number or email so the organization can reach you.")]
    if len(contact) > 100:
        errors["contact"] = [_("The contact can be at most 100 characters.")]
    if errors:
        raise ValidationFailed(fields=errors)
    idea = ProjectIdea.objects.create(
        title=title, description=description, category=category, region=region, contact=contact,
        submitted_by=actor if signed_in else None,
    )
    audit.record(actor=actor if signed_in else None, action="idea.submit", target=idea)
    return idea


@transaction.atomic
def adopt_idea(*, actor, idea: ProjectIdea, owner: Organization, starts_on: date, ends_on: date,
               title: str = "") -> Project:
    """An organization takes up an idea: a draft project is created from it."""
    idea = ProjectIdea.objects.select_for_update().get(pk=idea.pk)
    if not org_permissions.can_manage(actor, owner):
        raise NotAllowed(_("Only staff of the organization can adopt ideas for it."))
    if idea.state != ProjectIdea.State.OPEN:
        raise Conflict(_("This idea has already been adopted or declined."), code="idea_closed")
    project = propose_project(
        actor=actor, owner=owner, title=title or idea.title, category=idea.category,
        starts_on=starts_on, ends_on=ends_on, description=idea.description, region=idea.region,
        idea=idea,
    )
    idea.state, idea.adopted_by = ProjectIdea.State.ADOPTED, owner
    idea.save(update_fields=["state", "adopted_by", "updated_at"])
    audit.record(actor=actor, action="idea.adopt", target=idea, organization=owner, project=project.pk)
    return project


@transaction.atomic
def decline_idea(*, actor, idea: ProjectIdea, reason: str) -> ProjectIdea:
    if not org_permissions.is_staff_anywhere(actor):
        raise NotAllowed(_("Only organization staff can decline ideas."))
    idea = ProjectIdea.objects.select_for_update().get(pk=idea.pk)
    if idea.state != ProjectIdea.State.OPEN:
        raise Conflict(_("This idea has already been adopted or declined."), code="idea_closed")
    if not (reason or "").strip():
        raise ValidationFailed(fields={"reason": [_("Give a reason for declining the idea.")]})
    idea.state = ProjectIdea.State.DECLINED
    idea.save(update_fields=["state", "updated_at"])
    audit.record(actor=actor, action="idea.decline", target=idea, reason=reason.strip())
    return idea
