"""Demo steps: the district office and the organization tree under it (R2, R8, R11, R12)."""

from __future__ import annotations

from decimal import Decimal

from django.contrib.auth import get_user_model

from yigong.accounts.phone import phone_lookup_hash
from yigong.demo.context import DEMO_PASSWORD
from yigong.organizations.models import Membership, Organization
from yigong.organizations.services import add_member, create_organization
from yigong.organizations.validators import ALPHABET, credit_code_check_char

Kind = Organization.Kind
TeamType = Organization.TeamType

# Teams: (name, type, where). `where` is None for the district federation, a street name for its
# street federation, or (street name, n) for the n-th community station of that street;
# "{place}" in a name becomes the community's name without 社区.
TEAMS: list[tuple[str, str, object]] = [
    ("坂田电子信息产业园青工义工队", TeamType.COMPANY, "坂田"),
    ("天安云谷科技企业义工队", TeamType.COMPANY, "坂田"),
    ("平湖物流园企业义工队", TeamType.COMPANY, "平湖"),
    ("华南城商户联合义工队", TeamType.COMPANY, "平湖"),
    ("横岗眼镜产业园义工队", TeamType.COMPANY, "横岗"),
    ("宝龙新能源汽车产业园义工队", TeamType.COMPANY, "宝龙"),
    ("布吉农批市场商户义工队", TeamType.COMPANY, "布吉"),
    ("龙岗区实验学校学生义工队", TeamType.SCHOOL, "龙城"),
    ("龙城高级中学红棉义工队", TeamType.SCHOOL, "龙城"),
    ("平湖中学青年义工队", TeamType.SCHOOL, "平湖"),
    ("布吉中学学生义工队", TeamType.SCHOOL, "布吉"),
    ("龙岗职业技术学校青年义工队", TeamType.SCHOOL, "龙岗"),
    ("坪地中学学生义工队", TeamType.SCHOOL, "坪地"),
    ("龙岗区卫生健康局党员义工队", TeamType.GOVERNMENT, None),
    ("龙岗区司法局法律服务义工队", TeamType.GOVERNMENT, None),
    ("龙岗区应急管理局应急救援义工队", TeamType.GOVERNMENT, None),
    ("龙岗区文化广电旅游体育局文体义工队", TeamType.GOVERNMENT, None),
    ("龙岗区城市管理和综合执法局环保义工队", TeamType.GOVERNMENT, None),
    ("龙岗区人武部民兵应急义工队", TeamType.ARMY, None),
    ("驻龙岗某部官兵学雷锋义工队", TeamType.ARMY, None),
    ("龙岗区红十字会救护义工队", TeamType.NGO, None),
    ("龙岗区心理卫生协会心理疏导义工队", TeamType.NGO, None),
    ("龙岗区青少年发展促进会义工队", TeamType.NGO, None),
    ("龙岗区助残服务社义工队", TeamType.NGO, None),
    ("龙岗区社会工作者协会义工队", TeamType.NGO, None),
    ("{place}邻里守望义工队", TeamType.SOCIETY, ("平湖", 1)),
    ("横岗客家文化义工队", TeamType.SOCIETY, "横岗"),
    ("龙城摄影义工队", TeamType.SOCIETY, "龙城"),
    ("吉华交通劝导义工队", TeamType.SOCIETY, "吉华"),
    ("园山森林防火义工队", TeamType.SOCIETY, "园山"),
]
# The team whose admin is the printed "team admin" login (a community team, so that the
# volunteer logins live in the community of its station).
LOGIN_TEAM = 25

# City volunteer stations (城市志愿者站点, R8): where people arrive, shop, seek care or visit.
CITY_STATIONS: list[tuple[str, str, str, str, str]] = [
    ("深圳东站城市志愿者服务站", "布吉", "深圳东站进站广场", "22.602900", "114.119800"),
    ("大运中心城市志愿者服务站", "龙城", "龙翔大道大运中心南广场", "22.697100", "114.213600"),
    ("龙城广场城市志愿者服务站", "龙城", "龙城广场地铁站C出口", "22.720700", "114.246500"),
    ("龙岗中心医院城市志愿者服务站", "龙岗", "龙岗大道龙岗中心医院门诊大厅", "22.729000", "114.278400"),
    ("华南城城市志愿者服务站", "平湖", "华南城环球物流中心一期", "22.667200", "114.107500"),
    ("横岗地铁站城市志愿者服务站", "横岗", "横岗地铁站A出口", "22.645200", "114.208800"),
    ("坂田地铁站城市志愿者服务站", "坂田", "坂田地铁站B出口", "22.627500", "114.064000"),
    ("甘坑客家小镇城市志愿者服务站", "吉华", "甘坑客家小镇游客中心", "22.655400", "114.134900"),
    ("国际低碳城城市志愿者服务站", "坪地", "国际低碳城会展中心", "22.765500", "114.318500"),
    ("丹竹头地铁站城市志愿者服务站", "南湾", "丹竹头地铁站D出口", "22.610500", "114.138000"),
]

# Units that ask for volunteers (服务使用单位): (name, where, credit-code kind) as for TEAMS.
REQUESTING_UNITS: list[tuple[str, object, str]] = [
    ("龙岗区社会福利中心", None, "12"),
    ("龙岗区图书馆", None, "12"),
    ("平湖街道长者服务中心", "平湖", "12"),
    ("{place}社区党群服务中心", ("平湖", 2), ""),
]


def _street_name(region) -> str:
    return region.name.removesuffix("街道")


def _place(region) -> str:
    return region.name.removesuffix("社区")


def credit_code(ctx, kind: str) -> str:
    """A unified social credit code with a correct check character, registered in Longgang."""
    body = "".join(ctx.rng.choice(ALPHABET) for _ in range(9))
    first17 = f"{kind}440307{body}"
    return first17 + credit_code_check_char(first17)


def _office_phone(ctx) -> str:
    return f"0755-{ctx.rng.choice('2389')}{ctx.rng.randrange(10**7):07d}"


def make_user(ctx, *, username: str, name: str, superuser: bool = False):
    """A login with the demo password and a (unique, valid) mobile phone."""
    User = get_user_model()
    phone = ctx.new_phone()
    create = User.objects.create_superuser if superuser else User.objects.create_user
    return create(
        username=username, password=DEMO_PASSWORD, display_name=name,
        phone=phone, phone_hash=phone_lookup_hash(phone),
    )


def build_office(ctx) -> None:
    """The platform superuser, the district office (the root of the tree) and its administrator."""
    ctx.superuser = make_user(ctx, username="admin", name="平台管理员", superuser=True)
    ctx.login(ctx.superuser)


def build_tree(ctx) -> None:
    office = create_organization(
        actor=ctx.superuser, name="龙岗区义工工作领导小组办公室", kind=Kind.DISTRICT_OFFICE, parent=None,
        region=ctx.district, address="深圳市龙岗区龙城街道龙福路团区委", contact_phone=_office_phone(ctx),
        description="设在共青团龙岗区委员会，统筹全区义工工作。",
    )
    ctx.office = office
    ctx.district_admin = make_user(ctx, username="district", name=ctx.name(male=False))
    add_member(actor=ctx.superuser, organization=office, user=ctx.district_admin, role=Membership.Role.ADMIN)
    ctx.login(ctx.district_admin, office.name)
    actor = ctx.district_admin

    ctx.federation = create_organization(
        actor=actor, name="龙岗区义工联合会", kind=Kind.DISTRICT_FEDERATION, parent=office,
        region=ctx.district, credit_code=credit_code(ctx, "51"), address="深圳市龙岗区龙城街道龙福路",
        contact_phone=_office_phone(ctx), description="全区义工组织的枢纽，在团区委指导下开展工作。",
    )
    streets_by_name = {}
    for street in ctx.streets:
        streets_by_name[_street_name(street)] = street
        ctx.street_federations[street.code] = create_organization(
            actor=actor, name=f"{street.name}义工联合会", kind=Kind.STREET_FEDERATION,
            parent=ctx.federation, region=street, credit_code=credit_code(ctx, "51"),
            address=f"深圳市龙岗区{street.name}办事处", contact_phone=_office_phone(ctx),
        )
    for community in ctx.communities:
        ctx.progress.count(len(ctx.stations), len(ctx.communities))
        ctx.stations[community.code] = create_organization(
            actor=actor, name=f"{community.name}义工服务站", kind=Kind.COMMUNITY_STATION,
            parent=ctx.street_federations[community.parent.code], region=community,
            address=f"深圳市龙岗区{community.parent.name}{community.name}党群服务中心",
            contact_phone=_office_phone(ctx),
        )

    def locate(where):
        """(parent organization, region, community or None) for a `where` of the tables above."""
        if where is None:
            return ctx.federation, ctx.district, None
        if isinstance(where, str):
            street = streets_by_name[where]
            return ctx.street_federations[street.code], street, None
        street_name, n = where
        community = [c for c in ctx.communities if c.parent.code == streets_by_name[street_name].code][n - 1]
        return ctx.stations[community.code], community, community

    for name, team_type, where in TEAMS:
        parent, region, community = locate(where)
        code_kind = {TeamType.COMPANY: "91", TeamType.NGO: "52"}.get(team_type, "")
        ctx.teams.append(create_organization(
            actor=actor, name=name.format(place=_place(community) if community else ""),
            kind=Kind.TEAM, team_type=team_type, parent=parent, region=region,
            credit_code=credit_code(ctx, code_kind) if code_kind else "",
            contact_name=ctx.name(male=ctx.rng.random() < 0.5), contact_phone=_office_phone(ctx),
        ))
    for name, street_name, address, latitude, longitude in CITY_STATIONS:
        parent, region, _community = locate(street_name)
        ctx.city_stations.append(create_organization(
            actor=actor, name=name, kind=Kind.CITY_STATION, parent=parent, region=region,
            address=f"深圳市龙岗区{region.name}{address}",
            latitude=Decimal(latitude), longitude=Decimal(longitude),
            description="为市民和旅客提供问询指引、应急救助和文明宣传服务。",
        ))
    for name, where, code_kind in REQUESTING_UNITS:
        parent, region, community = locate(where)
        ctx.requesting_units.append(create_organization(
            actor=actor, name=name.format(place=_place(community) if community else ""),
            kind=Kind.REQUESTING_UNIT, parent=parent, region=region,
            credit_code=credit_code(ctx, code_kind) if code_kind else "",
            contact_name=ctx.name(male=ctx.rng.random() < 0.5), contact_phone=_office_phone(ctx),
        ))
