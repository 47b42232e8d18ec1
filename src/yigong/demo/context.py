"""What the demo steps share: the seeded randomness, what earlier steps made, the printed logins."""

from __future__ import annotations

import random
import sys
import time
from dataclasses import dataclass, field
from datetime import date
from typing import TextIO

from django.utils import timezone
from faker import Faker

from yigong.demo import people

DEMO_PASSWORD = "yigong2010"

# The logins printed by `yigong demo` and `yigong serve --demo`, in this order: one per role.
ROLES: list[tuple[str, str]] = [
    ("admin", "platform superuser · 平台超级管理员 (/admin/)"),
    ("district", "district office admin · 区义工办管理员"),
    ("street", "street federation staff · 街道义工联工作人员"),
    ("station", "community station staff · 社区服务站工作人员"),
    ("team", "team admin · 义工队队长"),
    ("citystation", "city station staff · 城市志愿者站点工作人员"),
    ("unit", "requesting unit contact · 服务使用单位联系人"),
    ("volunteer", "volunteer · 义工"),
    ("minor", "minor volunteer (guardian on record) · 未成年义工"),
]
ROLE_LABELS = dict(ROLES)


@dataclass
class DemoLogin:
    role: str  # e.g. "community station staff · 社区服务站工作人员"
    username: str
    password: str
    where: str = ""  # the organization (or community) the login belongs to


class Progress:
    """One line per step on the terminal; a counter for long steps. Silent without a stream."""

    def __init__(self, stream: TextIO | None = None):
        self.stream = stream
        self.tty = bool(stream is not None and getattr(stream, "isatty", lambda: False)())
        self._label = ""
        self._started = 0.0

    def _write(self, text: str) -> None:
        if self.stream is not None:
            self.stream.write(text)
            self.stream.flush()

    def start(self, index: int, total: int, label: str) -> None:
        self._label = f"  [{index}/{total}] {label}"
        self._started = time.monotonic()
        self._write(self._label + ("" if self.tty else "\n"))

    def count(self, done: int, total: int) -> None:
        if self.tty and (done == total or done % 100 == 0):
            self._write(f"\r{self._label} {done}/{total}")

    def finish(self) -> None:
        if self.tty:
            self._write(f"\r{self._label} ✓ {time.monotonic() - self._started:.1f}s\n")


@dataclass
class DemoContext:
    """Passed to every step in order. A step reads what earlier steps left here and adds its own."""

    seed: int
    volunteer_count: int
    today: date
    rng: random.Random
    fake: Faker
    progress: Progress
    # Filled in by the steps (see builder.STEPS for who fills what).
    superuser: object = None
    district_admin: object = None  # the actor for everything the district office does
    district: object = None  # Region
    streets: list = field(default_factory=list)  # Region, by code
    communities: list = field(default_factory=list)  # Region, by code
    office: object = None
    federation: object = None
    street_federations: dict = field(default_factory=dict)  # street code -> Organization
    stations: dict = field(default_factory=dict)  # community code -> Organization
    teams: list = field(default_factory=list)
    city_stations: list = field(default_factory=list)
    requesting_units: list = field(default_factory=list)
    volunteers: list = field(default_factory=list)  # the bulk volunteers, by registration date
    logins: list[DemoLogin] = field(default_factory=list)
    used_phones: set[str] = field(default_factory=set)
    used_ids: set[str] = field(default_factory=set)

    @classmethod
    def new(cls, *, seed: int, volunteers: int, progress: bool | TextIO = False) -> DemoContext:
        fake = Faker("zh_CN")
        fake.seed_instance(seed)
        stream = (sys.stderr if progress is True else progress) or None
        return cls(
            seed=seed, volunteer_count=volunteers, today=timezone.localdate(),
            rng=random.Random(seed), fake=fake, progress=Progress(stream),
        )

    # Unique personal numbers across the whole demo.
    def new_phone(self) -> str:
        while True:
            phone = people.mobile_number(self.rng)
            if phone not in self.used_phones:
                self.used_phones.add(phone)
                return phone

    def new_resident_id(self, *, birth: date, male: bool, area: str | None = None) -> str:
        area = area or people.area_code(self.rng)
        while True:
            number = people.resident_id(self.rng, area=area, birth=birth, male=male)
            if number not in self.used_ids:
                self.used_ids.add(number)
                return number

    def name(self, *, male: bool) -> str:
        given = self.fake.first_name_male() if male else self.fake.first_name_female()
        return self.fake.last_name() + given

    def login(self, user, where: str = "") -> None:
        """Record a printed login; its role is the one ROLES gives its username."""
        self.logins.append(DemoLogin(
            role=ROLE_LABELS[user.username], username=user.username, password=DEMO_PASSWORD, where=where,
        ))
