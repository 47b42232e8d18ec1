"""Fixtures for notification tests: people with languages and phones, shifts to be reminded of."""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from yigong.accounts.models import User
from yigong.activities.models import Activity, Position, Shift, ShiftSlot, SignUp
from yigong.notifications.channels import MemorySmsBackend
from yigong.organizations.models import Organization
from yigong.projects.models import Project
from yigong.volunteers.models import Volunteer

SHANGHAI = ZoneInfo("Asia/Shanghai")


class People:
    def __init__(self):
        self._n = itertools.count(1)
        self.station = Organization.objects.create(name="平湖社区义工服务站", kind="community_station",
                                                   status="active")
        self.station.path = f"{self.station.pk:08d}/"
        self.station.save(update_fields=["path"])
        self.project = Project.objects.create(title="平安志愿", category="community", owner=self.station,
                                              starts_on=date(2024, 1, 1), ends_on=date(2030, 1, 1))
        self.activity = Activity.objects.create(
            project=self.project, organization=self.station, title="地铁站引导", category="community",
            place="大运地铁站", address="龙岗大道8288号", status="published",
        )
        self.position = Position.objects.create(activity=self.activity, name="引导员")

    @staticmethod
    def at(y, m, d, hh=0, mm=0) -> datetime:
        return datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)

    def user(self, *, language="zh-hans", phone="+8613800138000", email="", active=True) -> User:
        n = next(self._n)
        return User.objects.create_user(username=f"person{n}", password="correct horse battery",
                                        display_name=f"义工{n}", phone=phone, email=email,
                                        preferred_language=language, is_active=active)

    def volunteer(self, **kwargs) -> Volunteer:
        user = self.user(**kwargs)
        n = next(self._n)
        now = timezone.now()
        return Volunteer.objects.create(
            user=user, registration_number=f"4403072026{n:06d}", district_code="440307", name=user.display_name,
            id_type="resident_id", registered_at=now, privacy_notice_version="2026-11", consented_at=now,
        )

    def signup(self, volunteer: Volunteer, starts_at: datetime, *, status="approved", cancelled=False,
               activity: Activity | None = None) -> SignUp:
        activity = activity or self.activity
        shift = Shift.objects.create(activity=activity, starts_at=starts_at,
                                     ends_at=starts_at + timedelta(hours=3), cancelled=cancelled)
        slot = ShiftSlot.objects.create(shift=shift, position=activity.positions.first(), places=5)
        return SignUp.objects.create(slot=slot, shift=shift, volunteer=volunteer, status=status,
                                     starts_at=shift.starts_at, ends_at=shift.ends_at)


@pytest.fixture
def people(db) -> People:
    return People()


@pytest.fixture
def sms(settings):
    """Text messages go to the in-memory SMS backend for the test."""
    settings.YIGONG_SMS_BACKEND = "yigong.notifications.channels.MemorySmsBackend"
    MemorySmsBackend.outbox = []
    yield MemorySmsBackend.outbox
    MemorySmsBackend.outbox = []
