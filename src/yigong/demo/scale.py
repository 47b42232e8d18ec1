"""City-scale data for benchmarks (`yigong seed`, `manage seed_scale`): fast, reproducible, valid.

What it writes, in this order, each with bulk_create in batches:
  regions      the district, its streets (shipped CSV) and 10 generated communities per street,
               unless they exist already;
  organizations  street federations, one station per community, the rest teams (the district
               office and federation first when missing); paths set from the inserted ids;
  volunteers   a login each (unusable password: nobody logs in as a seeded volunteer), resident ID
               and phone encrypted by the model fields (AES-GCM) and found by the same keyed hashes
               as registration, registration numbers from the district counter (which is advanced),
               an active team membership each;
  projects and activities  one running project per organization; activities spread over them, each
               with one position and two shifts: a past one (what the ledger records) and an upcoming
               one with places (what the sign-up benchmarks hit);
  ledger entries  confirmed service records (source "import", i.e. history brought in), chained in
               order with the ledger's own hash function (`yigong.ledger.chain.entry_hash`) after the
               chain's current head, with explicit ids, and the head moved at the end - so
               `yigong manage ledger_verify` passes.

Everything random comes from one `random.Random(seed)`: the same numbers and seed give the same
rows (except AES-GCM nonces, which must be random, and the created/updated timestamps).
No audit events are written: this is bulk test data, not anyone's action.
"""

from __future__ import annotations

import random
import sys
import time
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from importlib import resources

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.core.management.color import no_style
from django.db import connection, transaction
from django.utils import timezone

from yigong.accounts.phone import phone_lookup_hash
from yigong.activities.models import Activity, Position, Shift, ShiftSlot
from yigong.core.masking import mask_id_number
from yigong.ledger.chain import GENESIS_HASH, HASHED_FIELDS, entry_hash
from yigong.ledger.models import LedgerEntry, LedgerHead
from yigong.organizations.models import Membership, Organization
from yigong.projects.models import Category, Project
from yigong.regions.models import Region
from yigong.volunteers.identity import IdType, resident_id_check_char
from yigong.volunteers.models import RegistrationCounter, Skill, Volunteer
from yigong.volunteers.services import id_lookup_hash

BATCH = 2000
COMMUNITIES_PER_STREET = 10
LEDGER_MONTHS = 24  # service dates spread over the two years before today
CATEGORIES = [Category.COMMUNITY, Category.ELDERLY_DISABLED, Category.EDUCATION, Category.ENVIRONMENT,
              Category.TRAFFIC, Category.CULTURE, Category.HEALTH, Category.PUBLIC_SAFETY]
SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何林罗高郑梁谢宋唐许韩冯邓曹彭曾肖田董潘袁蔡蒋余于杜叶程"
GIVEN = "伟芳娜敏静丽强磊军洋勇艳杰娟涛明超秀霞平刚桂英华玉兰萍红梅鹏飞宇浩然思雨欣怡子轩嘉"
PLACES = ["社区党群服务中心", "文化广场", "长者饭堂", "图书馆", "地铁站口", "公园", "学校", "医院门诊"]


@dataclass
class SeedResult:
    volunteers: int = 0
    organizations: int = 0
    activities: int = 0
    entries: int = 0
    seconds: dict[str, float] = field(default_factory=dict)

    @property
    def total_seconds(self) -> float:
        return sum(self.seconds.values())


class _Progress:
    """Plain-text progress: one line per step, a bar that redraws on a terminal, dots elsewhere."""

    def __init__(self, stream):
        self.stream = stream
        self.tty = bool(stream is not None and getattr(stream, "isatty", lambda: False)())
        self.label, self.total, self.started, self.shown = "", 0, 0.0, -1

    def start(self, label: str, total: int) -> None:
        self.label, self.total, self.started, self.shown = label, total, time.monotonic(), -1
        self.update(0)

    def update(self, done: int) -> None:
        if self.stream is None:
            return
        tenth = (done * 10 // self.total) if self.total else 10
        if self.tty:
            bar = "#" * (done * 30 // max(self.total, 1))
            self.stream.write(f"\r  {self.label:<14} [{bar:<30}] {done:>9,}/{self.total:,}")
        elif tenth != self.shown:
            self.stream.write(f"  {self.label:<14} {done:>9,}/{self.total:,}\n")
            self.shown = tenth
        self.stream.flush()

    def finish(self) -> float:
        seconds = time.monotonic() - self.started
        if self.stream is not None:
            self.stream.write(("\r" if self.tty else "") + f"  {self.label:<14} {self.total:>9,} done in "
                              f"{seconds:.1f}s{' ' * 30}\n")
            self.stream.flush()
        return seconds


def _batches(total: int, size: int = BATCH):
    for start in range(0, total, size):
        yield start, min(size, total - start)


def _name(rng: random.Random) -> str:
    return rng.choice(SURNAMES) + "".join(rng.choice(GIVEN) for _ in range(rng.randint(1, 2)))


def _regions(rng: random.Random) -> tuple[Region, list[Region], list[Region]]:
    """The district, its streets and communities: existing ones, or loaded/generated now."""
    code = settings.YIGONG_DISTRICT_CODE
    district = Region.objects.filter(code=code).first()
    if district is None:
        text = (resources.files("yigong.regions") / "data" / "longgang-streets-2016.csv").read_text("utf-8-sig")
        rows = [line.split(",") for line in text.splitlines()[1:] if line.strip()]
        if not rows or rows[0][0] != code:  # another district: generate its streets
            rows = [[code, f"{code}区", ""]] + [[f"{code}{i:03d}", f"第{i}街道", code] for i in range(1, 12)]
        district = Region.objects.create(code=rows[0][0], name=rows[0][1], level=Region.Level.DISTRICT,
                                         path=rows[0][0] + "/")
        Region.objects.bulk_create([
            Region(code=c, name=n, level=Region.Level.STREET, parent=district, path=f"{district.path}{c}/")
            for c, n, _p in rows[1:]
        ])
    streets = list(Region.objects.streets().within(district).order_by("code"))
    communities = list(Region.objects.communities().within(district).order_by("code"))
    if not communities:
        Region.objects.bulk_create([
            Region(code=f"{s.code}{i:03d}", name=f"{s.name.removesuffix('街道')}第{i}社区",
                   level=Region.Level.COMMUNITY, parent=s, path=f"{s.path}{s.code}{i:03d}/")
            for s in streets for i in range(1, COMMUNITIES_PER_STREET + 1)
        ])
        communities = list(Region.objects.communities().within(district).order_by("code"))
    return district, streets, communities


def _organizations(n: int, streets, communities, rng, progress) -> list[Organization]:
    """n new organizations: the office and federation when missing, street federations and
    community stations when missing, teams for the rest. Returns those that may run activities."""
    now = timezone.now()
    K = Organization.Kind
    office = Organization.objects.filter(kind=K.DISTRICT_OFFICE).first()
    federation = Organization.objects.filter(kind=K.DISTRICT_FEDERATION).first()
    progress.start("organizations", n)
    made: list[Organization] = []

    def add(objs: list[Organization], parent_of) -> list[Organization]:
        objs = objs[: max(0, n - len(made))]
        Organization.objects.bulk_create(objs, batch_size=BATCH)
        for obj in objs:
            parent = parent_of(obj)
            obj.path = (parent.path if parent else "") + f"{obj.pk:08d}/"
        Organization.objects.bulk_update(objs, ["path"], batch_size=BATCH)
        made.extend(objs)
        progress.update(len(made))
        return objs

    def org(name, kind, parent, region, team_type=""):
        return Organization(name=name[:120], kind=kind, parent=parent, region=region, team_type=team_type,
                            status=Organization.Status.ACTIVE, approved_at=now)

    district = communities[0].parent.parent if communities else None
    if office is None:
        office = add([org("区义工工作领导小组办公室", K.DISTRICT_OFFICE, None, district)], lambda o: None)[0]
    if federation is None:
        federation = add([org("区义工联", K.DISTRICT_FEDERATION, office, district)], lambda o: office)[0]
    by_street = {o.region_id: o for o in Organization.objects.filter(kind=K.STREET_FEDERATION)}
    missing = [s for s in streets if s.pk not in by_street]
    for o in add([org(f"{s.name}义工联", K.STREET_FEDERATION, federation, s) for s in missing], lambda o: federation):
        by_street[o.region_id] = o
    stations = {o.region_id for o in Organization.objects.filter(kind=K.COMMUNITY_STATION)}
    street_of = {c.pk: c.parent_id for c in communities}
    add([org(f"{c.name}义工服务站", K.COMMUNITY_STATION, by_street[c.parent_id], c)
         for c in communities if c.pk not in stations and c.parent_id in by_street],
        lambda o: by_street[street_of[o.region_id]])
    team_types = [t for t in Organization.TeamType.values if t]
    teams = []
    for i in range(n - len(made)):
        community = rng.choice(communities)
        parent = by_street.get(community.parent_id, federation)
        teams.append(org(f"{community.name}第{i + 1}义工队", K.TEAM, parent, community, rng.choice(team_types)))
    add(teams, lambda o: o.parent)
    progress.finish()
    return [o for o in made if o.kind not in (K.DISTRICT_OFFICE,)]


def _resident_id(rng: random.Random, used: set[str]) -> tuple[str, date, str]:
    """A valid resident ID not yet in `used` (keyed hashes of the IDs already held), with its hash."""
    while True:
        birth = date(1955, 1, 1) + timedelta(days=rng.randrange(365 * 50))  # 18 to 70 years old
        first17 = f"440307{birth:%Y%m%d}{rng.randrange(1000):03d}"
        number = first17 + resident_id_check_char(first17)
        digest = id_lookup_hash(IdType.RESIDENT_ID, number)
        if digest not in used:
            used.add(digest)
            return number, birth, digest


def _volunteers(n: int, communities, teams, rng, progress) -> list[tuple[int, str]]:
    User = get_user_model()
    district = settings.YIGONG_DISTRICT_CODE
    year = timezone.localdate().year - 1
    counter, _c = RegistrationCounter.objects.get_or_create(district_code=district, year=year)
    first = counter.last + 1
    counter.last += n
    counter.save(update_fields=["last"])
    unusable = make_password(None)
    used = set(Volunteer.objects.exclude(id_hash=None).values_list("id_hash", flat=True))
    phones = set(User.objects.exclude(phone_hash=None).values_list("phone_hash", flat=True))
    phone_base = rng.randrange(10**7)
    notice = settings.YIGONG_PRIVACY_NOTICE_VERSION
    skills = Skill.values
    start = datetime(year, 1, 1, tzinfo=UTC)
    made: list[tuple[int, str]] = []
    progress.start("volunteers", n)
    for offset, size in _batches(n):
        users, vols, members = [], [], []
        for i in range(offset, offset + size):
            number = f"{district}{year}{first + i:06d}"
            k = 0
            while True:  # a number nobody holds yet (the demo's people may hold any)
                phone = f"+86139{(phone_base + first + i + k * 7_919_113) % 10**8:08d}"
                phone_hash = phone_lookup_hash(phone)
                if phone_hash not in phones:
                    phones.add(phone_hash)
                    break
                k += 1
            id_number, birth, id_hash = _resident_id(rng, used)
            name = _name(rng)
            at = start + timedelta(seconds=rng.randrange(365 * 86400))
            users.append(User(username=number, display_name=name, phone=phone, phone_hash=phone_hash,
                              password=unusable, date_joined=at))
            vols.append(Volunteer(
                registration_number=number, district_code=district, name=name, id_type=IdType.RESIDENT_ID,
                id_number=id_number, id_hash=id_hash,
                id_masked=mask_id_number(id_number), birth_date=birth, sex="M" if int(id_number[16]) % 2 else "F",
                home_community=rng.choice(communities), skills=rng.sample(skills, rng.randint(1, 3)),
                languages=["mandarin"], availability=["weekend_morning"], registered_at=at,
                privacy_notice_version=notice, consented_at=at,
            ))
        with transaction.atomic():
            User.objects.bulk_create(users, batch_size=BATCH)
            for user, vol in zip(users, vols, strict=True):
                vol.user = user
            Volunteer.objects.bulk_create(vols, batch_size=BATCH)
            if teams:
                members = [Membership(user=u, organization=rng.choice(teams), role=Membership.Role.MEMBER,
                                      status=Membership.Status.ACTIVE, decided_at=u.date_joined) for u in users]
                Membership.objects.bulk_create(members, batch_size=BATCH)
        made.extend((v.pk, v.registration_number) for v in vols)
        progress.update(offset + size)
    progress.finish()
    return made


def _activities(n: int, organizations, communities, rng, progress) -> list[tuple]:
    """n published activities with one position and a past and an upcoming shift each.
    Returns (activity id, organization id, organization name, title, past shift id, its date, start, end)."""
    today = timezone.localdate()
    now = timezone.now()
    projects = {}
    progress.start("activities", n)
    with transaction.atomic():
        owners = organizations[: max(1, min(len(organizations), n))]
        objs = [Project(title=f"{o.name[:100]}服务项目", category=rng.choice(CATEGORIES), owner=o,
                        region=o.region, starts_on=today - timedelta(days=LEDGER_MONTHS * 31),
                        ends_on=today + timedelta(days=365), state=Project.State.ACTIVE) for o in owners]
        Project.objects.bulk_create(objs, batch_size=BATCH)
        projects = {p.owner_id: p for p in objs}
    rows = []
    for offset, size in _batches(n):
        acts, positions, shifts, slots = [], [], [], []
        for i in range(offset, offset + size):
            org = owners[i % len(owners)]
            project = projects[org.pk]
            region = org.region if org.region and org.region.level == Region.Level.COMMUNITY else rng.choice(communities)
            acts.append(Activity(project=project, organization=org, title=f"{rng.choice(PLACES)}志愿服务 {i + 1}",
                                 category=project.category, place=f"{region.name}{rng.choice(PLACES)}", region=region,
                                 status=Activity.Status.PUBLISHED, auto_approve=True))
        with transaction.atomic():
            Activity.objects.bulk_create(acts, batch_size=BATCH)
            for act in acts:
                positions.append(Position(activity=act, name="志愿者"))
                past = today - timedelta(days=rng.randrange(1, LEDGER_MONTHS * 30))
                hour = rng.choice([8, 9, 14, 15])
                starts = datetime(past.year, past.month, past.day, hour, tzinfo=UTC) - timedelta(hours=8)
                upcoming = now + timedelta(days=rng.randint(3, 60), hours=rng.randint(0, 8))
                upcoming = upcoming.replace(minute=0, second=0, microsecond=0)
                shifts.append(Shift(activity=act, starts_at=starts, ends_at=starts + timedelta(hours=4)))
                shifts.append(Shift(activity=act, starts_at=upcoming, ends_at=upcoming + timedelta(hours=3)))
            Position.objects.bulk_create(positions, batch_size=BATCH)
            Shift.objects.bulk_create(shifts, batch_size=BATCH)
            for k, pos in enumerate(positions):
                for shift in shifts[2 * k: 2 * k + 2]:
                    slots.append(ShiftSlot(shift=shift, position=pos, places=rng.choice([10, 20, 30, 50])))
            ShiftSlot.objects.bulk_create(slots, batch_size=BATCH)
        for k, act in enumerate(acts):
            past_shift = shifts[2 * k]
            rows.append((act.pk, act.organization_id, act.organization.name, act.title, past_shift.pk,
                         timezone.localtime(past_shift.starts_at).date(), past_shift.starts_at, past_shift.ends_at))
        progress.update(offset + size)
    progress.finish()
    return rows


def _insert_rows(model, columns: list[str], rows: list[tuple]) -> None:
    """Insert ready-made rows fast: COPY on PostgreSQL, executemany elsewhere. Values must already be
    in database form (see connection.ops.adapt_*); used for the ledger, whose million rows would
    spend most of their time in bulk_create's SQL compiler."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(c) for c in columns)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            with cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
                for row in rows:
                    copy.write_row(row)
        else:
            marks = ", ".join(["%s"] * len(columns))
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})", rows)  # noqa: S608 (model names, quoted)


def _ledger(n: int, volunteers: list[tuple[int, str]], activity_rows: list[tuple], rng, progress) -> None:
    """n confirmed entries appended to the district chain, hashed in order like append_entry does."""
    district = settings.YIGONG_DISTRICT_CODE
    ops = connection.ops
    columns = ["id", "prev_hash", "hash", *HASHED_FIELDS]
    progress.start("ledger", n)
    with transaction.atomic():
        head = LedgerHead.objects.select_for_update().filter(district_code=district).first()
        if head is None:
            head = LedgerHead.objects.create(district_code=district, last_entry_id=None,
                                             last_hash=GENESIS_HASH, count=0)
        next_id = (LedgerEntry.objects.order_by("-id").values_list("id", flat=True).first() or 0) + 1
        prev, seq = head.last_hash, head.count
        recorded_at = timezone.now() - timedelta(days=1)
        for offset, size in _batches(n, 5000):
            batch = []
            for _i in range(size):
                act_id, org_id, org_name, title, shift_id, day, starts, ends = rng.choice(activity_rows)
                volunteer_id, number = rng.choice(volunteers)
                seq += 1
                fields = {
                    "district_code": district, "seq": seq, "volunteer_id": volunteer_id,
                    "registration_number": number,
                    "organization_id": org_id, "organization_name": org_name[:120], "activity_id": act_id,
                    "activity_title": title[:120], "shift_id": shift_id, "signup_id": None, "position_name": "志愿者",
                    "service_date": day, "started_at": starts, "ended_at": ends,
                    "minutes": rng.choice([60, 90, 120, 180, 240]), "kind": LedgerEntry.Kind.SERVICE,
                    "source": LedgerEntry.Source.IMPORT, "corrects_id": None, "reason": "",
                    "recorded_by_id": None, "recorded_at": recorded_at + timedelta(microseconds=seq),
                }
                digest = entry_hash(prev, fields)
                fields.update(id=next_id, prev_hash=prev, hash=digest,
                              service_date=ops.adapt_datefield_value(day),
                              started_at=ops.adapt_datetimefield_value(starts),
                              ended_at=ops.adapt_datetimefield_value(ends),
                              recorded_at=ops.adapt_datetimefield_value(fields["recorded_at"]))
                batch.append(tuple(fields[c] for c in columns))
                prev = digest
                next_id += 1
            _insert_rows(LedgerEntry, columns, batch)
            progress.update(offset + size)
        head.last_entry_id, head.last_hash, head.count = next_id - 1, prev, seq
        head.save(update_fields=["last_entry_id", "last_hash", "count"])
        for sql in connection.ops.sequence_reset_sql(no_style(), [LedgerEntry]):  # explicit ids: move the sequence
            with connection.cursor() as cursor:
                cursor.execute(sql)
    progress.finish()


def seed_scale(*, volunteers: int, organizations: int, activities: int, entries: int, seed: int = 2010,
               stream=sys.stderr) -> SeedResult:
    """Add city-scale data to the database (see the module docstring). Returns counts and timings."""
    if entries and not (volunteers and activities):
        raise ValueError("ledger entries need at least one volunteer and one activity")
    if activities and not organizations:
        raise ValueError("activities need at least one organization")
    rng = random.Random(seed)
    progress = _Progress(stream)
    result = SeedResult()
    t = time.monotonic()
    _district, streets, communities = _regions(rng)
    result.seconds["regions"] = time.monotonic() - t
    orgs = _organizations(organizations, streets, communities, rng, progress) if organizations else []
    result.seconds["organizations"] = time.monotonic() - t - result.seconds["regions"]
    teams = [o for o in orgs if o.kind == Organization.Kind.TEAM] or orgs
    people = _volunteers(volunteers, communities, teams, rng, progress) if volunteers else []
    result.seconds["volunteers"] = time.monotonic() - t - sum(result.seconds.values())
    rows = _activities(activities, orgs, communities, rng, progress) if activities else []
    result.seconds["activities"] = time.monotonic() - t - sum(result.seconds.values())
    if entries:
        _ledger(entries, people, rows, rng, progress)
    result.seconds["ledger"] = time.monotonic() - t - sum(result.seconds.values())
    with connection.cursor() as cursor:  # fresh planner statistics for the benchmarks that follow
        cursor.execute("ANALYZE")
    result.seconds["analyze"] = time.monotonic() - t - sum(result.seconds.values())
    result.volunteers, result.organizations, result.activities, result.entries = (
        len(people), len(orgs), len(rows), entries)
    return result
