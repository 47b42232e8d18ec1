"""Demo step: who belongs where. Most volunteers serve in a team or their community's station;
some applications wait for a decision; local volunteers run the stations and teams."""

from __future__ import annotations

from datetime import timedelta

from yigong.organizations.models import Membership, Organization
from yigong.volunteers.identity import age_on

Role, Status = Membership.Role, Membership.Status

APPLICATION_MESSAGES = [
    "周末有空，希望加入。", "我住在附近，想为社区出一份力。", "有急救证，可以参加应急服务。",
    "想和同事一起做义工。", "退休在家，时间比较多。", "",
]


def build(ctx) -> None:
    rng = ctx.rng
    rows: dict[tuple[int, int], Membership] = {}

    def join(volunteer, organization, *, status=Status.ACTIVE, message=""):
        key = (volunteer.user_id, organization.pk)
        if key in rows:
            return
        decided = volunteer.registered_at + timedelta(days=rng.randint(1, 20))
        rows[key] = Membership(
            user_id=volunteer.user_id, organization=organization, role=Role.MEMBER, status=status,
            message=message, decided_at=decided if status == Status.ACTIVE else None,
        )

    school_teams = [t for t in ctx.teams if t.team_type == Organization.TeamType.SCHOOL]
    # Teams a volunteer would join: the district's own and those of their street.
    nearby_teams = {
        street.code: [t for t in ctx.teams if t.region == ctx.district or t.region.path.startswith(street.path)]
        for street in ctx.streets
    }
    for done, volunteer in enumerate(ctx.volunteers, 1):
        ctx.progress.count(done, len(ctx.volunteers))
        home = volunteer.home_community
        nearby = nearby_teams[home.parent.code]
        if rng.random() < 0.5:
            join(volunteer, ctx.stations[home.code])
        young = age_on(volunteer.birth_date, ctx.today) < 19  # still at school
        for _ in range(rng.choices([0, 1, 2], weights=[30, 55, 15])[0]):
            pool = school_teams if young and rng.random() < 0.7 else nearby
            join(volunteer, rng.choice(pool))
        if rng.random() < 0.08:
            join(volunteer, rng.choice(ctx.city_stations))
        if rng.random() < 0.05:
            join(volunteer, rng.choice(nearby), status=Status.PENDING, message=rng.choice(APPLICATION_MESSAGES))

    # Local adult volunteers run things: the first two adult members of a station are its admin
    # and staff, the first of a team or city station its admin or staff; each street federation
    # takes one staff member from its street.
    adults = {v.user_id for v in ctx.volunteers if age_on(v.birth_date, ctx.today) >= 18}
    by_org: dict[int, list[Membership]] = {}
    for membership in rows.values():
        if membership.status == Status.ACTIVE and membership.user_id in adults:
            by_org.setdefault(membership.organization.pk, []).append(membership)
    for station in ctx.stations.values():
        for membership, role in zip(by_org.get(station.pk, []), [Role.ADMIN, Role.STAFF], strict=False):
            membership.role = role
    for organization in [*ctx.teams, *ctx.city_stations]:
        members = by_org.get(organization.pk, [])
        if members:
            members[0].role = Role.ADMIN if organization.kind == Organization.Kind.TEAM else Role.STAFF
    for street_code, federation in ctx.street_federations.items():
        local = [v for v in ctx.volunteers if v.user_id in adults and v.home_community.parent.code == street_code]
        if local:
            volunteer = rng.choice(local)
            join(volunteer, federation)
            rows[(volunteer.user_id, federation.pk)].role = Role.STAFF
    Membership.objects.bulk_create(rows.values(), batch_size=1000)
