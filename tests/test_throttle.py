"""Login throttling: per account (however it is named) and per IP, kept in the database."""

from __future__ import annotations

import threading
from datetime import timedelta

import pytest
from django.db import connection
from django.utils import timezone
from django.utils.translation import override

from tests.factories import PASSWORD, UserFactory
from yigong.accounts.services import LoginFailed, login_with_password
from yigong.core import throttle
from yigong.core.errors import Throttled
from yigong.core.models import ThrottleBucket

pytestmark = pytest.mark.django_db

WINDOW = 15 * 60


def login(identifier, password=PASSWORD, ip="10.0.0.1"):
    return login_with_password(request=None, identifier=identifier, password=password, ip=ip)


def fail(identifier, times, ip="10.0.0.1"):
    for _ in range(times):
        with pytest.raises(LoginFailed):
            login(identifier, "wrong password", ip=ip)


def test_login_works_by_username_and_by_phone_in_any_format():
    user = UserFactory(username="meimei", phone="+8613812345678")
    for identifier in ("meimei", "MeiMei", "13812345678", "138 1234 5678", "+86 138-1234-5678"):
        assert login(identifier) == user


def test_wrong_password_is_refused_with_one_message_for_every_cause():
    UserFactory(username="meimei")
    with override("en"), pytest.raises(LoginFailed) as wrong_password:
        login("meimei", "wrong password")
    with override("en"), pytest.raises(LoginFailed) as unknown_user:
        login("nobody-here", "wrong password")
    assert str(wrong_password.value.message) == str(unknown_user.value.message) == (
        "The phone number, username or password is wrong."
    )
    assert wrong_password.value.status == 401
    assert wrong_password.value.code == "login_failed"


def test_five_failures_lock_the_account_even_for_the_right_password():
    UserFactory(username="meimei")
    fail("meimei", 5)
    with override("en"), pytest.raises(Throttled) as caught:
        login("meimei")
    assert str(caught.value.message) == "Too many failed logins. Try again in 15 minutes."
    assert 0 < caught.value.retry_after <= WINDOW
    assert caught.value.status == 429


def test_four_failures_do_not_lock_and_a_success_starts_the_count_again():
    user = UserFactory(username="meimei")
    fail("meimei", 4)
    assert login("meimei") == user
    fail("meimei", 4)
    assert login("meimei") == user


def test_the_lock_counts_the_account_whether_named_by_username_or_phone():
    UserFactory(username="meimei", phone="+8613812345678")
    fail("meimei", 3)
    fail("138 1234 5678", 2)
    with pytest.raises(Throttled):
        login("+8613812345678")


def test_the_lock_ends_with_its_window():
    user = UserFactory(username="meimei")
    fail("meimei", 5)
    with pytest.raises(Throttled):
        login("meimei")
    ThrottleBucket.objects.update(window_start=timezone.now() - timedelta(seconds=WINDOW + 1))
    assert login("meimei") == user


def test_locking_one_account_leaves_the_others_alone():
    UserFactory(username="meimei")
    other = UserFactory(username="lilei")
    fail("meimei", 5)
    assert login("lilei") == other


def test_one_ip_is_stopped_after_twenty_failures_across_accounts():
    victim = UserFactory(username="victim")
    for n in range(5):
        fail(f"guess{n}", 4, ip="10.6.6.6")
    with pytest.raises(Throttled):
        login("victim", ip="10.6.6.6")
    assert login("victim", ip="10.7.7.7") == victim


def test_the_throttle_table_never_holds_a_phone_number():
    UserFactory(phone="+8613812345678")
    fail("13812345678", 2)
    fail("13987654321", 2)  # nobody's number
    keys = " ".join(ThrottleBucket.objects.values_list("key", flat=True))
    for digits in ("13812345678", "13987654321", "12345678", "87654321"):
        assert digits not in keys


@pytest.mark.django_db(transaction=True)
def test_parallel_guesses_cannot_get_past_the_limit():
    UserFactory(username="meimei")
    outcomes: list = []
    barrier = threading.Barrier(10)

    def guess():
        try:
            barrier.wait()
            login("meimei", "wrong password")
        except Exception as exc:  # noqa: BLE001 - the test sorts every outcome
            outcomes.append(type(exc))
        finally:
            connection.close()

    threads = [threading.Thread(target=guess) for _ in range(10)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert sorted(o.__name__ for o in outcomes) == ["LoginFailed"] * 5 + ["Throttled"] * 5
    with pytest.raises(Throttled):
        login("meimei")


def test_limit_counts_every_call_and_refuses_past_the_limit():
    for _ in range(3):
        throttle.limit("verify:ip:10.0.0.1", limit=3, window=60)
    with pytest.raises(Throttled) as caught:
        throttle.limit("verify:ip:10.0.0.1", limit=3, window=60)
    assert 0 < caught.value.retry_after <= 60
    assert ThrottleBucket.objects.get(key="verify:ip:10.0.0.1").count == 3
