"""Demo step: projects in every category, activities and shifts over the past three months and the
next month, and sign-ups (approved, waitlisted) — the service loop's first half (R3–R5).

Projects, activities, positions and shifts go through the real services (they check the rules
that matter: approvals, the project's subtree, places). Sign-ups of the printed volunteer and a
sample of others go through `sign_up` (eligibility, overlap, capacity, waitlist order), dated just
before each shift with its `now`; the bulk of the other sign-ups are written in one go with the
places they take counted on the slots, as `sign_up` would have left them.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta

from django.contrib.auth import get_user_model
from django.db.models import Count, Q

from yigong.activities import eligibility
from yigong.activities import services as activity_services
from yigong.activities.eligibility import local_zone
from yigong.activities.models import Activity, Shift, ShiftSlot, SignUp
from yigong.core.errors import DomainError
from yigong.organizations.models import Membership
from yigong.projects import services as project_services
from yigong.projects.models import Category, Project
from yigong.volunteers.models import Volunteer

S = Project.State
SATURDAY, SUNDAY = 5, 6
PAST_DAYS, FUTURE_DAYS = 91, 30

# Project titles per category; the owner is picked in `_owner` below.
TITLES: dict[str, str] = {
    Category.COMMUNITY: "邻里守望·社区关爱行动",
    Category.POVERTY: "对口帮扶爱心助学",
    Category.EDUCATION: "四点半课堂课业辅导",
    Category.HEALTH: "社区义诊与健康讲座",
    Category.LEGAL: "法律服务进社区",
    Category.ENVIRONMENT: "龙岗河清洁护河行动",
    Category.SCIENCE: "青少年科普进校园",
    Category.CULTURE: "客家文化讲解服务",
    Category.PUBLIC_SAFETY: "平安社区夜间巡防",
    Category.CIVILITY: "文明礼让宣传引导",
    Category.TRAFFIC: "路口文明交通劝导",
    Category.FIRE: "社区消防安全宣传",
    Category.EMERGENCY: "应急救护培训与演练",
    Category.ANTI_DRUG: "禁毒宣传进企业",
    Category.SPORTS: "全民健身赛事服务",
    Category.TOURISM: "大运公园游客咨询",
    Category.SPECIAL_GROUPS: "特殊儿童陪伴成长",
    Category.LARGE_EVENT: "龙岗国际马拉松赛事服务",
    Category.OVERSEAS: "海外青年交流接待",
    Category.ELDERLY_DISABLED: "长者探访与助残服务",
    Category.YOUTH_COUNSELLING: "青少年成长守护",
    Category.PSYCHOLOGICAL: "心理热线陪伴服务",
    Category.YOUNG_WORKERS: "新市民青工关爱",
    Category.COMMUNITY_CORRECTION: "社区矫正帮教",
    Category.OPINION: "民生微实事意见收集",
    Category.OTHER: "城市志愿者站点服务",
}
# Categories whose project is left in another state than running (the rest run).
OTHER_STATES = {
    Category.OVERSEAS: S.SUBMITTED, Category.OPINION: S.SUBMITTED,
    Category.YOUNG_WORKERS: S.RETURNED, Category.COMMUNITY_CORRECTION: S.APPROVED,
    Category.POVERTY: S.CLOSED, Category.SCIENCE: S.EVALUATED,
}
BRAND = Category.ELDERLY_DISABLED


def _user(username: str):
    return get_user_model().objects.get(username=username)


def _organization_of(username: str):
    """The organization a printed staff login works for."""
    return Membership.objects.select_related("organization__region").get(
        user__username=username, status=Membership.Status.ACTIVE).organization


def build(ctx) -> None:
    today = ctx.today
    station = _organization_of("station")
    city_station = _organization_of("citystation")
    actor = ctx.district_admin
    first, last = today - timedelta(days=PAST_DAYS), today + timedelta(days=FUTURE_DAYS)

    projects: dict[str, Project] = {}
    for category, title in TITLES.items():
        owner = _owner(ctx, category, station=station, city_station=city_station)
        state = OTHER_STATES.get(category, S.ACTIVE)
        ends = today - timedelta(days=20) if state in (S.CLOSED, S.EVALUATED) else last + timedelta(days=150)
        project = project_services.propose_project(
            actor=actor, owner=owner, title=title, category=category, starts_on=first - timedelta(days=30),
            ends_on=ends, description=f"{title}：{owner.name}组织的常态化义工服务项目。",
            place=owner.region.name if owner.region_id else "龙岗区", region=owner.region,
            planned_volunteers=ctx.rng.choice([20, 30, 50, 80, 120]),
            budget=str(ctx.rng.choice([0, 2000, 5000, 12000])),
        )
        project = project_services.submit_project(actor=actor, project=project)
        if state == S.RETURNED:
            project_services.return_project(actor=actor, project=project,
                                            reason="请补充服务对象人数和安全保障措施。")
        elif state != S.SUBMITTED:
            project = project_services.approve_project(actor=actor, project=project, note="同意立项。")
            if state != S.APPROVED:
                project = project_services.start_project(actor=actor, project=project)
            if state in (S.CLOSED, S.EVALUATED):
                project = project_services.close_project(actor=actor, project=project, note="项目周期结束。")
            if state == S.EVALUATED:
                project_services.evaluate_project(
                    actor=actor, project=project, summary="服务按计划完成，受益群众反馈良好。",
                    scores={c: ctx.rng.choice([4, 5]) for c in _criteria()})
        projects[category] = project
    project_services.set_brand(actor=actor, project=projects[BRAND], brand=True, reason="连续三年服务长者，口碑良好。")

    shifts = _activities(ctx, projects, station=station, city_station=city_station, first=first, last=last)
    _signups(ctx, shifts)


def _criteria():
    from yigong.projects.models import ProjectEvaluation

    return ProjectEvaluation.Criterion.values


def _owner(ctx, category, *, station, city_station):
    if category in (Category.COMMUNITY, Category.ELDERLY_DISABLED, Category.HEALTH, Category.EDUCATION):
        return station
    if category == Category.OTHER:
        return city_station
    if category in (Category.LARGE_EVENT, Category.SPORTS, Category.TOURISM, Category.OVERSEAS):
        return ctx.federation
    streets = list(ctx.street_federations.values())
    return streets[sorted(Category.values).index(category) % len(streets)]


# ---------------------------------------------------------------- activities and shifts

def _activity(actor, project, organization, title, place, positions, **fields) -> tuple[Activity, list]:
    activity = activity_services.create_activity(
        actor=actor, project=project, organization=organization, title=title, place=place,
        description=f"{title}。请按时到岗，穿着义工马甲，服务结束后找组织者签退。",
        contact_name="陈老师", contact_phone="0755-28900000", **fields)
    made = [activity_services.add_position(actor=actor, activity=activity, name=name, **extra)
            for name, extra in positions]
    return activity, made


def _activities(ctx, projects, *, station, city_station, first, last) -> dict[str, list[Shift]]:
    """Returns the shifts by role: "station" (the weekend series), "visits", "today", "event", "other"."""
    zone = local_zone()
    staff = _user("station")
    city_staff = _user("citystation")
    out: dict[str, list[Shift]] = {}

    # The city station: every weekend morning and afternoon, past three months and next month.
    activity, (guide, aid) = _activity(
        city_staff, projects[Category.OTHER], city_station, "站点咨询引导（周末）", city_station.name,
        [("咨询引导", {}), ("应急救护", {"required_skills": ["first_aid"], "min_age": 18})])
    places = {guide.pk: 6, aid.pk: 2}
    out["station"] = [
        *activity_services.add_shift_series(actor=city_staff, activity=activity, first_day=first, last_day=last,
                                            start_time=time(9), end_time=time(12), places=places,
                                            weekdays=[SATURDAY, SUNDAY]),
        *activity_services.add_shift_series(actor=city_staff, activity=activity, first_day=first, last_day=last,
                                            start_time=time(14), end_time=time(17), places=places,
                                            weekdays=[SATURDAY, SUNDAY]),
    ]
    activity_services.publish_activity(actor=city_staff, activity=activity)

    # The community station: visits to elderly residents every Wednesday, and a shift running today.
    activity, (visitor,) = _activity(
        staff, projects[Category.ELDERLY_DISABLED], station, "独居长者上门探访", f"{station.region.name}党群服务中心",
        [("探访义工", {"description": "两人一组上门陪伴聊天、检查家中安全隐患。"})])
    out["visits"] = activity_services.add_shift_series(
        actor=staff, activity=activity, first_day=first, last_day=last, start_time=time(15), end_time=time(17),
        places={visitor.pk: 8}, weekdays=[2])
    activity_services.publish_activity(actor=staff, activity=activity)

    now = datetime.now(zone).replace(minute=0, second=0, microsecond=0)
    activity, (helper,) = _activity(
        staff, projects[Category.COMMUNITY], station, "社区服务站日常值守", f"{station.region.name}社区服务站",
        [("值班义工", {})])
    # Running now (from an hour ago, but not before midnight), so the loop can be tried at once.
    today_start = max(now - timedelta(hours=1), datetime.combine(ctx.today, time(0), tzinfo=zone))
    out["today"] = [activity_services.add_shift(
        actor=staff, activity=activity, starts_at=today_start, ends_at=today_start + timedelta(hours=4),
        places={helper.pk: 6}, note="今日值守：到站后扫描组织者出示的签到码。")]
    for days in (-14, -7, 7, 14):
        start = datetime.combine(ctx.today + timedelta(days=days), time(9), tzinfo=zone)
        out["today"].append(activity_services.add_shift(
            actor=staff, activity=activity, starts_at=start, ends_at=start + timedelta(hours=3), places={helper.pk: 6}))
    activity_services.publish_activity(actor=staff, activity=activity)

    # One large event: many positions and places, a morning and a long day shift.
    fed_actor = ctx.district_admin
    activity, positions = _activity(
        fed_actor, projects[Category.LARGE_EVENT], ctx.federation, "龙岗国际马拉松赛道服务", "龙岗大运中心及沿线赛道",
        [("起终点引导", {}), ("补给站服务", {}), ("赛道秩序维护", {"min_age": 18}),
         ("医疗救护协助", {"required_skills": ["first_aid"], "min_age": 18}), ("物资发放", {}),
         ("外语翻译", {"required_languages": ["english"]}), ("摄影记录", {"required_skills": ["photography"]}),
         ("存衣服务", {})],
        insurance_required=False)
    day = ctx.today + timedelta(days=21)
    start = datetime.combine(day, time(6), tzinfo=zone)
    out["event"] = [
        activity_services.add_shift(actor=fed_actor, activity=activity, starts_at=start,
                                    ends_at=start + timedelta(hours=6),
                                    places={p.pk: n for p, n in zip(positions, (60, 120, 200, 30, 80, 20, 10, 40), strict=True)}),
        activity_services.add_shift(actor=fed_actor, activity=activity, starts_at=start - timedelta(days=1, hours=-3),
                                    ends_at=start - timedelta(days=1, hours=-8),
                                    places={positions[4].pk: 50, positions[7].pk: 20}, note="赛前物资分装"),
    ]
    activity_services.publish_activity(actor=fed_actor, activity=activity)

    # One activity (a past and a coming shift) for every other running or approved project.
    out["other"] = []
    for category, project in projects.items():
        if category in (Category.OTHER, Category.ELDERLY_DISABLED, Category.COMMUNITY, Category.LARGE_EVENT):
            continue
        if project.state not in (S.ACTIVE, S.APPROVED):
            continue
        organization = project.owner
        activity, (position,) = _activity(fed_actor, project, organization, project.title, project.place or "龙岗区",
                                          [("服务义工", {})])
        for days in (-ctx.rng.randint(10, 80), ctx.rng.randint(3, 28)):
            start = datetime.combine(ctx.today + timedelta(days=days), time(ctx.rng.choice([9, 14, 19])), tzinfo=zone)
            out["other"].append(activity_services.add_shift(
                actor=fed_actor, activity=activity, starts_at=start, ends_at=start + timedelta(hours=2, minutes=30),
                places={position.pk: ctx.rng.choice([5, 8, 10, 15])}))
        activity_services.publish_activity(actor=fed_actor, activity=activity)
    return out


# ---------------------------------------------------------------- sign-ups

def _serviced(actor, volunteer, slot, when) -> SignUp | None:
    try:
        return activity_services.sign_up(actor=actor, volunteer=volunteer, slot=slot, now=when)
    except DomainError:
        return None  # e.g. a sample volunteer who is too young for the duty: a real refusal, skipped


def _signups(ctx, by_role: dict[str, list[Shift]]) -> None:
    volunteer = Volunteer.objects.select_related("user").get(user__username="volunteer")
    slots = {s.pk: s for s in ShiftSlot.objects.select_related("shift__activity", "position")
             .filter(shift__in=[s for shifts in by_role.values() for s in shifts])}
    slots_of: dict[int, list[ShiftSlot]] = {}
    for slot in slots.values():
        slots_of.setdefault(slot.shift_id, []).append(slot)
    for group in slots_of.values():
        group.sort(key=lambda s: s.position_id)
    now = datetime.now(local_zone())

    def before(shift: Shift) -> datetime:
        return shift.starts_at - timedelta(days=3)

    # The printed volunteer: past weekend and visit shifts (hours to confirm), today's shift, and
    # the coming weekends.
    mine = [s for s in by_role["station"] if s.starts_at.astimezone(local_zone()).hour == 9][::3]
    mine += by_role["visits"][:: 4]
    mine += by_role["today"][:1]
    mine += [s for s in by_role["station"] if s.starts_at > now][:3]
    mine += by_role["event"][:1]
    for shift in mine:
        _serviced(volunteer.user, volunteer, slots_of[shift.pk][0], before(shift))

    # A sample of others through the service too; the rest in bulk.
    pool = [v for v in ctx.volunteers if v.status == Volunteer.Status.ACTIVE]
    sample = pool[:12]
    for index, shift in enumerate(by_role["today"][:1] + by_role["station"][:6]):
        for v in sample[index % 3::3]:
            _serviced(v.user, v, slots_of[shift.pk][0], before(shift))

    bulk: list[SignUp] = []
    taken = {(s.shift_id, s.volunteer_id) for s in SignUp.objects.filter(shift_id__in=slots_of).only("shift_id", "volunteer_id")}
    busy: dict[int, list] = {}
    for s in SignUp.objects.filter(status__in=SignUp.ACTIVE_STATUSES).values("volunteer_id", "starts_at", "ends_at"):
        busy.setdefault(s["volunteer_id"], []).append((s["starts_at"], s["ends_at"]))
    counts = dict(ShiftSlot.objects.filter(pk__in=slots).values_list("pk", "approved"))
    rest = pool[12:]
    if not rest:
        return
    for shift_list, share in ((by_role["station"], 0.8), (by_role["visits"], 0.7), (by_role["other"], 0.6),
                              (by_role["event"], 0.35), (by_role["today"][1:], 0.7)):
        for shift in shift_list:
            for slot in slots_of[shift.pk]:
                want = min(int(slot.places * share + 0.5), slot.places - counts[slot.pk])
                for v in ctx.rng.sample(rest, min(want * 2, len(rest))):
                    if want <= 0:
                        break
                    if (shift.pk, v.pk) in taken or _busy(busy, v.pk, shift) or eligibility.check(
                            v, slot, now=before(shift)) is not None:
                        continue
                    want -= 1
                    busy.setdefault(v.pk, []).append((shift.starts_at, shift.ends_at))
                    taken.add((shift.pk, v.pk))
                    counts[slot.pk] += 1
                    bulk.append(SignUp(slot=slot, shift=shift, volunteer=v, status=SignUp.Status.APPROVED,
                                       starts_at=shift.starts_at, ends_at=shift.ends_at, decided_at=before(shift)))
    SignUp.objects.bulk_create(bulk, batch_size=500)
    for pk, approved in _approved_counts(slots):
        ShiftSlot.objects.filter(pk=pk).update(approved=approved)

    # A full coming weekend shift with a waiting list (through the service, in order).
    coming = next(s for s in by_role["station"] if s.starts_at > now + timedelta(days=1))
    slot = slots_of[coming.pk][0]
    slot.refresh_from_db()
    fill = [v for v in rest if (coming.pk, v.pk) not in taken][: slot.places - slot.approved + 3]
    for v in fill:
        _serviced(v.user, v, slot, before(coming))


def _busy(busy: dict, volunteer_id: int, shift: Shift) -> bool:
    return any(start < shift.ends_at and end > shift.starts_at for start, end in busy.get(volunteer_id, ()))


def _approved_counts(slot_ids) -> list[tuple[int, int]]:
    return list(ShiftSlot.objects.filter(pk__in=slot_ids)
                .annotate(n=Count("signups", filter=Q(signups__status=SignUp.Status.APPROVED)))
                .values_list("pk", "n"))
