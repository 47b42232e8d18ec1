"""Sign-up rules: eligibility with a reason for every refusal, waitlist, cancellation, review."""

from __future__ import annotations

from datetime import date, timedelta

import pytest

from tests.activities import builders as b
from yigong.activities import services
from yigong.activities.eligibility import SignUpConflict, SignUpRefused
from yigong.activities.models import Activity, InsuranceCover, Position, ShiftSlot, SignUp
from yigong.core.errors import Conflict, NotAllowed, ValidationFailed
from yigong.notifications.models import Notification
from yigong.organizations.models import Membership
from yigong.volunteers.models import Skill

pytestmark = pytest.mark.django_db

NOW = b.local(2026, 6, 1, 9)
SAT = b.local(2026, 6, 6, 9)  # a Saturday, five days later


@pytest.fixture
def d():
    return b.district()


@pytest.fixture
def act(d):
    return b.activity(d.station)


@pytest.fixture
def slot(act):
    return b.shift_with_slot(act, starts_at=SAT, places=2)


def sign(v, slot, **kw):
    return services.sign_up(actor=v.user, volunteer=v, slot=slot, now=kw.pop("now", NOW), **kw)


def refused(v, slot, **kw):
    with pytest.raises((SignUpRefused, SignUpConflict)) as exc:
        sign(v, slot, **kw)
    assert str(exc.value.message)  # every refusal says why
    return exc.value


def test_sign_up_with_free_place_is_approved_and_counted(slot):
    v = b.volunteer()
    signup = sign(v, slot)
    assert signup.status == SignUp.Status.APPROVED
    slot.refresh_from_db()
    assert slot.approved == 1
    assert (signup.starts_at, signup.ends_at) == (slot.shift.starts_at, slot.shift.ends_at)


def test_approval_is_notified_in_the_volunteers_language(slot):
    zh, en = b.volunteer("张三"), b.volunteer("Ann", language="en")
    sign(zh, slot)
    sign(en, slot)
    zh_note = Notification.objects.get(user=zh.user)
    en_note = Notification.objects.get(user=en.user)
    assert zh_note.kind == en_note.kind == Notification.Kind.SIGNUP_APPROVED
    assert "社区探访" in zh_note.title
    assert zh_note.title != en_note.title
    assert en_note.title.startswith("Sign-up approved")


def test_full_shift_puts_new_sign_up_on_waitlist_in_order(slot):
    for i in range(2):
        sign(b.volunteer(f"A{i}"), slot)
    w1 = sign(b.volunteer("W1"), slot, now=NOW)
    w2 = sign(b.volunteer("W2"), slot, now=NOW + timedelta(minutes=1))
    assert (w1.status, w2.status) == (SignUp.Status.WAITLISTED, SignUp.Status.WAITLISTED)
    assert Notification.objects.filter(user=w1.volunteer.user, kind=Notification.Kind.SIGNUP_WAITLISTED).exists()
    slot.refresh_from_db()
    assert slot.approved == 2


def test_full_shift_without_waiting_list_refuses_with_shift_full(d):
    act = b.activity(d.station, waitlist_enabled=False)
    slot = b.shift_with_slot(act, starts_at=SAT, places=1)
    sign(b.volunteer(), slot)
    err = refused(b.volunteer(), slot)
    assert err.code == "shift_full"
    assert err.status == 409


def test_cancellation_promotes_the_first_waitlisted_volunteer_and_tells_them(slot):
    first = sign(b.volunteer("A"), slot)
    sign(b.volunteer("B"), slot)
    w1 = sign(b.volunteer("W1"), slot, now=NOW)
    w2 = sign(b.volunteer("W2"), slot, now=NOW + timedelta(minutes=1))

    services.cancel_sign_up(actor=first.volunteer.user, signup=first, now=NOW + timedelta(hours=1))

    w1.refresh_from_db()
    w2.refresh_from_db()
    assert (w1.status, w2.status) == (SignUp.Status.APPROVED, SignUp.Status.WAITLISTED)
    assert Notification.objects.filter(user=w1.volunteer.user, kind=Notification.Kind.SIGNUP_PROMOTED).exists()
    slot.refresh_from_db()
    assert slot.approved == 2


def test_cancelling_a_waitlisted_sign_up_promotes_nobody(slot):
    sign(b.volunteer("A"), slot)
    sign(b.volunteer("B"), slot)
    w1 = sign(b.volunteer("W1"), slot)
    w2 = sign(b.volunteer("W2"), slot, now=NOW + timedelta(minutes=1))
    services.cancel_sign_up(actor=w1.volunteer.user, signup=w1, now=NOW)
    w2.refresh_from_db()
    assert w2.status == SignUp.Status.WAITLISTED


def test_cancellation_after_the_deadline_is_refused_with_the_reason(slot):
    signup = sign(b.volunteer(), slot)
    too_late = SAT - timedelta(hours=11)  # the default deadline is 12 hours before
    with pytest.raises(Conflict) as exc:
        services.cancel_sign_up(actor=signup.volunteer.user, signup=signup, now=too_late)
    assert exc.value.code == "cancel_deadline_passed"
    assert "12" in str(exc.value.message)
    services.cancel_sign_up(actor=signup.volunteer.user, signup=signup, now=SAT - timedelta(hours=13))
    signup.refresh_from_db()
    assert signup.status == SignUp.Status.CANCELLED


def test_only_the_volunteer_cancels_their_sign_up(d, slot):
    signup = sign(b.volunteer(), slot)
    with pytest.raises(NotAllowed):
        services.cancel_sign_up(actor=d.station_staff, signup=signup, now=NOW)


def test_nobody_can_be_signed_up_by_someone_else(d, slot):
    v = b.volunteer()
    with pytest.raises(NotAllowed) as exc:
        services.sign_up(actor=d.station_staff, volunteer=v, slot=slot, now=NOW)
    assert exc.value.code == "not_your_signup"


# ---------------------------------------------------------------- every refusal code

def test_already_signed_up(slot):
    v = b.volunteer()
    sign(v, slot)
    assert refused(v, slot).code == "already_signed_up"


def test_signing_up_for_another_position_of_the_same_shift_is_already_signed_up(act, slot):
    v = b.volunteer()
    sign(v, slot)
    other = ShiftSlot.objects.create(shift=slot.shift, position=Position.objects.create(activity=act, name="摄影"),
                                     places=3)
    assert refused(v, other).code == "already_signed_up"


@pytest.mark.parametrize("status", ["approved", "pending", "waitlisted"])
def test_overlapping_shift_refused_for_every_active_status(d, status):
    act = b.activity(d.station, auto_approve=(status != "pending"))
    first = b.shift_with_slot(act, starts_at=SAT, places=1)
    if status == "waitlisted":
        sign(b.volunteer("X"), first)
    v = b.volunteer()
    assert sign(v, first).status == status
    other_act = b.activity(d.sibling_station, title="另一活动")
    clash = b.shift_with_slot(other_act, starts_at=SAT + timedelta(hours=2), places=5)
    err = refused(v, clash)
    assert err.code == "overlapping_shift"
    assert err.status == 409
    assert "社区探访" in str(err.message)


def test_back_to_back_shifts_do_not_overlap_and_cancelled_ones_do_not_count(act, slot):
    v = b.volunteer()
    first = sign(v, slot)
    after = b.shift_with_slot(act, starts_at=slot.shift.ends_at, places=1, position=slot.position)
    assert sign(v, after).status == SignUp.Status.APPROVED
    services.cancel_sign_up(actor=v.user, signup=first, now=NOW)
    same_time = b.shift_with_slot(act, starts_at=SAT, places=1, position=slot.position)
    assert sign(v, same_time).status == SignUp.Status.APPROVED


def test_too_young_and_too_old(act):
    slot = b.shift_with_slot(act, starts_at=SAT, min_age=18, max_age=60)
    assert refused(b.volunteer(birth=date(2010, 1, 1)), slot).code == "too_young"
    assert refused(b.volunteer(birth=date(1950, 1, 1)), slot).code == "too_old"
    # Age is reckoned on the shift's day: 18 on that very day is old enough.
    assert sign(b.volunteer(birth=date(2008, 6, 6)), slot).status == SignUp.Status.APPROVED


def test_high_risk_position_refuses_minors(act):
    slot = b.shift_with_slot(act, starts_at=SAT, high_risk=True)
    err = refused(b.volunteer(birth=date(2010, 1, 1)), slot)
    assert err.code == "minor_high_risk"
    assert err.status == 403
    assert sign(b.volunteer(), slot).status == SignUp.Status.APPROVED


def test_high_risk_activity_refuses_minors_on_every_position(d):
    act = b.activity(d.station, risk_level="high")
    slot = b.shift_with_slot(act, starts_at=SAT)
    assert refused(b.volunteer(birth=date(2012, 1, 1)), slot).code == "minor_high_risk"


def test_missing_skill_and_language_name_what_is_missing(act):
    slot = b.shift_with_slot(act, starts_at=SAT, required_skills=["first_aid"], required_languages=["english"])
    err = refused(b.volunteer(skills=["driving"]), slot)
    assert err.code == "missing_skill"
    assert str(Skill.FIRST_AID.label) in str(err.message)  # named in the user's language
    err = refused(b.volunteer(skills=["first_aid"], languages=["mandarin"]), slot)
    assert err.code == "missing_language"
    assert sign(b.volunteer(skills=["first_aid"], languages=["english"]), slot).status == "approved"


def test_minimum_stars_refuse_until_star_levels_exist(act):
    slot = b.shift_with_slot(act, starts_at=SAT, min_stars=1)
    assert refused(b.volunteer(), slot).code == "stars_too_low"


def test_insurance_required_refuses_without_cover_valid_on_the_shift_day(d):
    act = b.activity(d.station, insurance_required=True)
    slot = b.shift_with_slot(act, starts_at=SAT)
    v = b.volunteer(home=d.community)
    err = refused(v, slot)
    assert err.code == "insurance_missing"
    assert "2026" in str(err.message)
    InsuranceCover.objects.create(volunteer=v, policy_number="P-1", valid_from=date(2026, 1, 1),
                                  valid_until=date(2026, 6, 5))
    assert refused(v, slot).code == "insurance_missing"  # ends the day before
    services.record_insurance(actor=d.station_staff, volunteer=v, organization=d.station, policy_number="P-2",
                              valid_from=date(2026, 6, 6), valid_until=date(2026, 12, 31))
    assert sign(v, slot).status == SignUp.Status.APPROVED


def test_signup_closed_after_deadline_or_once_the_shift_started(d):
    act = b.activity(d.station, signup_deadline=NOW - timedelta(minutes=1))
    slot = b.shift_with_slot(act, starts_at=SAT)
    assert refused(b.volunteer(), slot).code == "signup_closed"
    act2 = b.activity(d.station)
    started = b.shift_with_slot(act2, starts_at=NOW - timedelta(minutes=5))
    assert refused(b.volunteer(), started).code == "signup_closed"


def test_invitation_code_is_needed_and_checked(d):
    act = b.activity(d.station, recruitment=Activity.Recruitment.INVITATION, invitation_code="LG2026")
    slot = b.shift_with_slot(act, starts_at=SAT)
    assert refused(b.volunteer(), slot).code == "not_invited"
    assert refused(b.volunteer(), slot, invitation_code="WRONG").code == "not_invited"
    assert sign(b.volunteer(), slot, invitation_code=" lg2026 ").status == "approved"


def test_named_teams_only_take_their_members(d):
    act = b.activity(d.station, recruitment=Activity.Recruitment.TEAMS)
    act.teams.set([d.team])
    slot = b.shift_with_slot(act, starts_at=SAT)
    outsider = b.volunteer()
    assert refused(outsider, slot).code == "not_team_member"
    member = b.volunteer()
    Membership.objects.create(user=member.user, organization=d.team, status=Membership.Status.ACTIVE)
    assert sign(member, slot).status == "approved"


@pytest.mark.parametrize("status", [Activity.Status.DRAFT, Activity.Status.CANCELLED])
def test_activity_not_open(d, status):
    act = b.activity(d.station, status=status)
    slot = b.shift_with_slot(act, starts_at=SAT)
    assert refused(b.volunteer(), slot).code == "activity_not_open"


def test_cancelled_shift_is_not_open(d, act, slot):
    services.cancel_shift(actor=d.station_staff, shift=slot.shift, reason="台风", now=NOW)
    assert refused(b.volunteer(), slot).code == "activity_not_open"


def test_inactive_volunteer_is_refused(slot):
    v = b.volunteer()
    v.status = v.Status.SUSPENDED
    v.save(update_fields=["status"])
    assert refused(v, slot).code == "volunteer_inactive"


# ---------------------------------------------------------------- review, no-shows, cancelling shifts

@pytest.fixture
def reviewed(d):
    act = b.activity(d.station, auto_approve=False)
    return b.shift_with_slot(act, starts_at=SAT, places=1)


def test_manual_review_leaves_sign_up_pending_without_taking_a_place(reviewed):
    s = sign(b.volunteer(), reviewed)
    assert s.status == SignUp.Status.PENDING
    reviewed.refresh_from_db()
    assert reviewed.approved == 0


def test_organizer_approval_respects_capacity_and_overflows_to_the_waitlist(d, reviewed):
    a, c = sign(b.volunteer("A"), reviewed), sign(b.volunteer("C"), reviewed)
    assert services.approve_sign_up(actor=d.station_staff, signup=a).status == SignUp.Status.APPROVED
    assert services.approve_sign_up(actor=d.station_staff, signup=c).status == SignUp.Status.WAITLISTED
    reviewed.refresh_from_db()
    assert reviewed.approved == 1
    with pytest.raises(SignUpConflict) as exc:
        services.approve_sign_up(actor=d.station_staff, signup=c)
    assert exc.value.code == "shift_full"


def test_in_manual_review_a_freed_place_sends_the_first_waitlisted_to_review(d, reviewed):
    a = sign(b.volunteer("A"), reviewed)
    services.approve_sign_up(actor=d.station_staff, signup=a)
    w = sign(b.volunteer("W"), reviewed)
    assert w.status == SignUp.Status.WAITLISTED
    services.cancel_sign_up(actor=a.volunteer.user, signup=a, now=NOW)
    w.refresh_from_db()
    assert w.status == SignUp.Status.PENDING


def test_reject_needs_a_reason_and_tells_the_volunteer(d, reviewed):
    s = sign(b.volunteer(), reviewed)
    with pytest.raises(ValidationFailed):
        services.reject_sign_up(actor=d.station_staff, signup=s, reason=" ")
    services.reject_sign_up(actor=d.station_staff, signup=s, reason="名额已满")
    s.refresh_from_db()
    assert s.status == SignUp.Status.REJECTED
    note = Notification.objects.get(user=s.volunteer.user, kind=Notification.Kind.SIGNUP_REJECTED)
    assert "名额已满" in note.body


def test_staff_of_a_sibling_organization_cannot_review(d, reviewed):
    s = sign(b.volunteer(), reviewed)
    with pytest.raises(NotAllowed):
        services.approve_sign_up(actor=d.sibling_staff, signup=s)
    with pytest.raises(NotAllowed):
        services.reject_sign_up(actor=d.sibling_staff, signup=s, reason="x")
    # Staff of the parent (street federation) may.
    assert services.approve_sign_up(actor=d.street_staff, signup=s).status == "approved"


def test_no_show_only_after_the_shift_started_and_releases_the_counter(d, slot):
    s = sign(b.volunteer(), slot)
    with pytest.raises(Conflict) as exc:
        services.mark_no_show(actor=d.station_staff, signup=s, now=SAT - timedelta(minutes=1))
    assert exc.value.code == "shift_not_started"
    services.mark_no_show(actor=d.station_staff, signup=s, now=SAT + timedelta(minutes=30))
    s.refresh_from_db()
    slot.refresh_from_db()
    assert s.status == SignUp.Status.NO_SHOW
    assert slot.approved == 0


def test_cancelling_a_shift_cancels_its_sign_ups_and_notifies_the_volunteers(d, slot):
    a, w = sign(b.volunteer("A"), slot), sign(b.volunteer("B"), slot)
    services.cancel_shift(actor=d.station_staff, shift=slot.shift, reason="台风预警", now=NOW)
    for s in (a, w):
        s.refresh_from_db()
        assert s.status == SignUp.Status.CANCELLED
        note = Notification.objects.get(user=s.volunteer.user, kind=Notification.Kind.SHIFT_CANCELLED)
        assert "台风预警" in note.body
    slot.refresh_from_db()
    assert slot.approved == 0
    assert slot.shift.cancelled


def test_cancelling_a_shift_needs_staff_of_the_organizer_and_a_reason(d, slot):
    with pytest.raises(NotAllowed):
        services.cancel_shift(actor=d.sibling_staff, shift=slot.shift, reason="x", now=NOW)
    with pytest.raises(ValidationFailed):
        services.cancel_shift(actor=d.station_staff, shift=slot.shift, reason="", now=NOW)


def test_cancelling_the_activity_cancels_its_shifts(d, act, slot):
    s = sign(b.volunteer(), slot)
    services.cancel_activity(actor=d.station_staff, activity=act, reason="场地取消", now=NOW)
    s.refresh_from_db()
    act.refresh_from_db()
    assert act.status == Activity.Status.CANCELLED
    assert s.status == SignUp.Status.CANCELLED
