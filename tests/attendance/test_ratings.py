"""The organizer rates each volunteer's service; the volunteer may rate the activity after serving."""

from datetime import timedelta

import pytest

from tests.attendance.factories import local
from yigong.attendance import services
from yigong.attendance.models import ActivityRating, ServiceRating
from yigong.core.errors import NotAllowed, ValidationFailed

START = local(2026, 11, 28, 9, 0)


@pytest.fixture
def attended(world, carol_signup):
    services.check_in_by_hand(actor=world.staff_a, signup=carol_signup, reason="现场", at=START,
                              now=START + timedelta(minutes=5))
    return carol_signup


def test_organizer_rates_a_volunteers_service_and_can_change_it(world, attended):
    services.rate_service(actor=world.staff_a, signup=attended, stars=4, comment="认真负责")
    rating = services.rate_service(actor=world.staff_a, signup=attended, stars=5)
    assert ServiceRating.objects.count() == 1
    assert (rating.stars, rating.comment, rating.rated_by) == (5, "", world.staff_a)


@pytest.mark.parametrize(("stars", "comment", "field", "words"), [
    (0, "", "stars", "1"), (6, "", "stars", "5"), (None, "", "stars", "1"), ("abc", "", "stars", "1"),
    (3.5, "", "stars", "1"), (4, "好" * 301, "comment", "301"),
])
def test_invalid_rating_says_what_is_wrong(world, attended, stars, comment, field, words):
    with pytest.raises(ValidationFailed) as exc:
        services.rate_service(actor=world.staff_a, signup=attended, stars=stars, comment=comment)
    assert list(exc.value.fields) == [field]
    assert words in str(exc.value.fields[field][0])
    assert not ServiceRating.objects.exists()


def test_a_volunteer_who_did_not_serve_cannot_be_rated(world, carol_signup):
    with pytest.raises(services.Conflict) as exc:
        services.rate_service(actor=world.staff_a, signup=carol_signup, stars=3)
    assert exc.value.code == "not_served"


def test_staff_of_another_station_cannot_rate(world, attended):
    with pytest.raises(NotAllowed):
        services.rate_service(actor=world.staff_b, signup=attended, stars=1)


def test_volunteer_rates_the_activity_after_serving(world, carol, attended):
    services.check_out_by_hand(actor=world.staff_a, signup=attended, reason="结束", at=START + timedelta(hours=3),
                               now=START + timedelta(hours=3, minutes=5))
    services.rate_activity(actor=carol.user, activity=world.activity, stars=5, comment="很有意义")
    rating = services.rate_activity(actor=carol.user, activity=world.activity, stars=4)
    assert ActivityRating.objects.count() == 1
    assert rating.stars == 4


def test_volunteer_cannot_rate_an_activity_before_serving(world, carol, attended):
    with pytest.raises(NotAllowed) as exc:
        services.rate_activity(actor=carol.user, activity=world.activity, stars=5)
    assert exc.value.code == "not_served"


def test_invalid_activity_rating_names_the_field(world, carol):
    with pytest.raises(ValidationFailed) as exc:
        services.rate_activity(actor=carol.user, activity=world.activity, stars=9)
    assert "stars" in exc.value.fields
