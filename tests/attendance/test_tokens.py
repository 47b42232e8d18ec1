"""Check-in tokens: signed, expiring, bound to one shift, one day and one action."""

from datetime import timedelta

import pytest
from django.core import signing

from tests.attendance.factories import local, make_shift
from yigong.attendance import services
from yigong.attendance.tokens import (
    Action,
    Display,
    TokenExpired,
    TokenInvalid,
    make_token,
    read_token,
)
from yigong.core import settings_store

NOW = local(2026, 11, 28, 8, 55)


def test_screen_token_carries_shift_action_and_local_date(shift):
    token, expires_at = make_token(shift=shift, action="in", now=NOW)
    payload = read_token(token, action="in", now=NOW)
    assert payload.shift_id == shift.pk
    assert payload.action == Action.IN
    assert payload.shift_date.isoformat() == "2026-11-28"
    assert expires_at == NOW + timedelta(minutes=5)


def test_two_tokens_for_the_same_shift_differ_by_their_nonce(shift):
    first, _ = make_token(shift=shift, action="in", now=NOW)
    second, _ = make_token(shift=shift, action="in", now=NOW)
    assert first != second


def test_screen_token_expires_after_the_configured_minutes(shift):
    token, _ = make_token(shift=shift, action="in", now=NOW)
    read_token(token, action="in", now=NOW + timedelta(minutes=5))
    with pytest.raises(TokenExpired) as exc:
        read_token(token, action="in", now=NOW + timedelta(minutes=5, seconds=1))
    assert exc.value.code == "token_expired"
    assert exc.value.status == 410


def test_screen_token_lifetime_is_a_district_setting(shift):
    settings_store.put(key="qr_screen_minutes", value=2)
    token, expires_at = make_token(shift=shift, action="in", now=NOW)
    assert expires_at == NOW + timedelta(minutes=2)
    with pytest.raises(TokenExpired):
        read_token(token, action="in", now=NOW + timedelta(minutes=3))


def test_printed_token_lasts_until_the_shift_end_plus_late_margin(shift):
    token, expires_at = make_token(shift=shift, action="out", display=Display.PRINT, now=NOW - timedelta(days=2))
    assert expires_at == shift.ends_at + timedelta(minutes=30)
    read_token(token, action="out", now=shift.ends_at + timedelta(minutes=30))
    with pytest.raises(TokenExpired):
        read_token(token, action="out", now=shift.ends_at + timedelta(minutes=31))


def test_check_out_token_is_refused_for_check_in_with_a_specific_message(shift):
    token, _ = make_token(shift=shift, action="out", now=NOW)
    with pytest.raises(TokenInvalid) as exc:
        read_token(token, action="in", now=NOW)
    assert exc.value.code == "token_invalid"
    assert "签退" in str(exc.value.message)


@pytest.mark.parametrize("mangle", [
    lambda t: t[:-1] + ("A" if t[-1] != "A" else "B"),  # signature changed
    lambda t: "x" + t,  # payload changed
    lambda t: "",
    lambda t: "not-a-token",
    lambda t: t.split(":")[0],  # signature removed
])
def test_tampered_or_garbled_token_is_invalid(shift, mangle):
    token, _ = make_token(shift=shift, action="in", now=NOW)
    with pytest.raises(TokenInvalid):
        read_token(mangle(token), action="in", now=NOW)


def test_token_signed_for_another_shift_cannot_be_edited_to_name_this_one(world, shift):
    other = make_shift(world, local(2026, 11, 29, 9, 0))
    token, _ = make_token(shift=other, action="in", now=NOW)
    payload = signing.Signer(salt="yigong.attendance.check-in").unsign_object(token)
    payload["s"] = shift.pk
    forged = signing.Signer(salt="yigong.attendance.check-in", key="guessed key").sign_object(payload)
    with pytest.raises(TokenInvalid):
        read_token(forged, action="in", now=NOW)


def test_token_of_a_shift_that_moved_to_another_day_is_invalid(shift, carol, carol_signup):
    token, _ = make_token(shift=shift, action="in", display=Display.PRINT, now=NOW)
    shift.starts_at += timedelta(days=1)
    shift.ends_at += timedelta(days=1)
    shift.save(update_fields=["starts_at", "ends_at"])
    with pytest.raises(TokenInvalid) as exc:
        services.check_in(actor=carol.user, token=token, now=NOW)
    assert "另一天" in str(exc.value.message)
