"""A small district for archive tests, built with the ORM (the loop's services land in parallel).

Ledger entries are created directly with a placeholder chain (prev_hash "0"*64, a unique hash):
these tests read the ledger, they do not test the chain.
"""

from __future__ import annotations

import itertools
from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from yigong.accounts.models import User
from yigong.activities.models import Activity, Position, Shift, ShiftSlot, SignUp
from yigong.attendance.models import ServiceRating, ShiftConfirmation
from yigong.ledger.models import LedgerEntry
from yigong.organizations.models import Membership, Organization
from yigong.projects.models import Project
from yigong.regions.models import Region
from yigong.volunteers.models import Volunteer

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(y, m, d, hh=0, mm=0) -> datetime:
    return datetime(y, m, d, hh, mm, tzinfo=SHANGHAI)


class District:
    """Longgang in miniature: a district office, one street, two sibling community stations."""

    at = staticmethod(local)  # district.at(2025, 12, 31, 23): a time in Asia/Shanghai

    def __init__(self):
        self._n = itertools.count(1)
        self.district_region = self._region("440307", "龙岗区", Region.Level.DISTRICT, None)
        self.street_region = self._region("440307001", "平湖街道", Region.Level.STREET, self.district_region)
        self.community_a = self._region("440307001001", "平湖社区", Region.Level.COMMUNITY, self.street_region)
        self.community_b = self._region("440307001002", "山厦社区", Region.Level.COMMUNITY, self.street_region)
        self.office = self.org("龙岗区义工联", Organization.Kind.DISTRICT_OFFICE, None, self.district_region)
        self.street = self.org("平湖街道义工联", Organization.Kind.STREET_FEDERATION, self.office, self.street_region)
        self.station_a = self.org("平湖社区义工服务站", Organization.Kind.COMMUNITY_STATION, self.street,
                                  self.community_a)
        self.station_b = self.org("山厦社区义工服务站", Organization.Kind.COMMUNITY_STATION, self.street,
                                  self.community_b)
        self.project = Project.objects.create(
            title="社区长者关爱", category="community", owner=self.station_a,
            starts_on=date(2024, 1, 1), ends_on=date(2027, 12, 31), state="active",
        )

    # --- tree -----------------------------------------------------------------------------------

    @staticmethod
    def _region(code, name, level, parent) -> Region:
        region = Region(code=code, name=name, level=level, parent=parent)
        region.path = region.compute_path()
        region.save()
        return region

    @staticmethod
    def org(name, kind, parent, region) -> Organization:
        org = Organization.objects.create(name=name, kind=kind, parent=parent, region=region,
                                          status=Organization.Status.ACTIVE)
        org.path = (parent.path if parent else "") + f"{org.pk:08d}/"
        org.save(update_fields=["path"])
        return org

    def user(self, *, name="", language="zh-hans", phone="", email="") -> User:
        n = next(self._n)
        return User.objects.create_user(
            username=f"user{n}", password="correct horse battery", display_name=name or f"用户{n}",
            phone=phone, email=email, preferred_language=language,
        )

    def staff(self, org: Organization, *, language="zh-hans") -> User:
        user = self.user(language=language)
        Membership.objects.create(user=user, organization=org, role=Membership.Role.STAFF,
                                  status=Membership.Status.ACTIVE)
        return user

    def volunteer(self, *, name="李小红", community=None, language="zh-hans", phone="", email="") -> Volunteer:
        n = next(self._n)
        user = self.user(name=name, language=language, phone=phone, email=email)
        now = timezone.now()
        return Volunteer.objects.create(
            user=user, registration_number=f"4403072026{n:06d}", district_code="440307", name=name,
            id_type="resident_id", id_masked="4403**********123X", home_community=community or self.community_a,
            registered_at=now, privacy_notice_version="2026-11", consented_at=now,
        )

    # --- the service loop -----------------------------------------------------------------------

    def activity(self, *, title="陪伴长者", org=None, place="平湖社区党群服务中心", status="published") -> Activity:
        activity = Activity.objects.create(
            project=self.project, organization=org or self.station_a, title=title, category="community",
            place=place, address="平湖街道守珍街1号", status=status,
        )
        Position.objects.create(activity=activity, name="陪伴员")
        return activity

    def slot(self, activity: Activity, starts_at: datetime, hours: int = 3, places: int = 10,
             cancelled: bool = False) -> ShiftSlot:
        shift = Shift.objects.create(activity=activity, starts_at=starts_at,
                                     ends_at=starts_at + timedelta(hours=hours), cancelled=cancelled)
        return ShiftSlot.objects.create(shift=shift, position=activity.positions.first(), places=places)

    def signup(self, volunteer: Volunteer, slot: ShiftSlot, status="approved") -> SignUp:
        return SignUp.objects.create(slot=slot, shift=slot.shift, volunteer=volunteer, status=status,
                                     starts_at=slot.shift.starts_at, ends_at=slot.shift.ends_at)

    def confirm(self, shift: Shift) -> ShiftConfirmation:
        return ShiftConfirmation.objects.create(shift=shift)

    def rate(self, signup: SignUp, stars: int, comment: str = "") -> ServiceRating:
        return ServiceRating.objects.create(signup=signup, volunteer=signup.volunteer, stars=stars, comment=comment)

    def entry(self, volunteer: Volunteer, minutes: int, *, started_at: datetime | None = None,
              service_date: date | None = None, corrects: LedgerEntry | None = None, reason: str = "",
              title: str = "陪伴长者", position: str = "陪伴员", org: Organization | None = None,
              recorded_at: datetime | None = None) -> LedgerEntry:
        org = org or self.station_a
        if service_date is None:
            service_date = (corrects.service_date if corrects is not None
                            else timezone.localdate(started_at, SHANGHAI))
        ended_at = started_at + timedelta(minutes=abs(minutes)) if started_at and not corrects else None
        n = next(self._n)
        return LedgerEntry.objects.create(
            district_code="440307", volunteer=volunteer, registration_number=volunteer.registration_number,
            organization=org, activity_title=title if not corrects else corrects.activity_title,
            position_name=position if not corrects else corrects.position_name,
            organization_name=org.name, service_date=service_date,
            started_at=started_at if not corrects else None, ended_at=ended_at, minutes=minutes,
            kind=LedgerEntry.Kind.CORRECTION if corrects else LedgerEntry.Kind.SERVICE,
            source=LedgerEntry.Source.CORRECTION if corrects else LedgerEntry.Source.CHECKIN,
            corrects=corrects, reason=reason,
            recorded_at=recorded_at or timezone.now(), prev_hash="0" * 64, hash=f"{n:064x}",
        )


@pytest.fixture
def district(db) -> District:
    return District()
