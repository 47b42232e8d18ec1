import pytest

from tests.attendance.factories import local, make_shift, make_volunteer, make_world, sign_up


@pytest.fixture
def world(db):
    return make_world()


@pytest.fixture
def shift(world):
    """Saturday 2026-11-28, 09:00–12:00 Beijing time."""
    return make_shift(world, local(2026, 11, 28, 9, 0), hours=3)


@pytest.fixture
def carol(db):
    return make_volunteer("陈卡罗", username="carol")


@pytest.fixture
def dave(db):
    return make_volunteer("丁大卫", username="dave", language="en")


@pytest.fixture
def carol_signup(shift, carol):
    return sign_up(shift, carol)
