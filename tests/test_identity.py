"""Identity documents: the resident ID check (GB 11643), permits, passports, credit codes.

Published examples come from /work/shared/source/rules.md. Generated IDs are built here from
the rule itself (weights, "10X98765432"), not from the code under test.
"""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.utils.translation import override
from hypothesis import assume, given
from hypothesis import strategies as st

from yigong.core.errors import ValidationFailed
from yigong.organizations.validators import ALPHABET, validate_credit_code
from yigong.volunteers.identity import IdType, age_on, parse_identity, parse_resident_id

TODAY = date(2026, 6, 15)
RULE_WEIGHTS = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2]


def check_char(body17: str) -> str:
    """The rule as rules.md states it, written independently of the code under test."""
    return "10X98765432"[sum(int(d) * w for d, w in zip(body17, RULE_WEIGHTS, strict=True)) % 11]


def refused(value: str, **kwargs) -> str:
    with override("en"), pytest.raises(ValidationFailed) as caught:
        parse_resident_id(value, today=kwargs.get("today", TODAY))
    return str(caught.value.message)


# ---------------------------------------------------------------- published examples


@pytest.mark.parametrize(
    ("number", "birth", "sex"),
    [
        ("11010519491231002X", date(1949, 12, 31), "F"),
        ("360426199101010071", date(1991, 1, 1), "M"),
        ("120103198806018241", date(1988, 6, 1), "F"),
        # Longgang's 440307 is newer than a 1990 birth: valid all the same (the pitfall in rules.md).
        ("440307199001011232", date(1990, 1, 1), "M"),
    ],
)
def test_published_valid_ids_are_accepted_with_birth_date_and_sex(number, birth, sex):
    identity = parse_resident_id(number, today=TODAY)
    assert identity.number == number
    assert identity.birth_date == birth
    assert identity.sex == sex
    assert identity.id_type == IdType.RESIDENT_ID


def test_published_invalid_id_is_refused_for_its_check_character():
    assert refused("360426199101010072") == (
        "The last character of this ID number does not match the others; check for a typo."
    )


def test_lower_case_x_is_normalized_to_upper_case():
    assert parse_resident_id("11010519491231002x", today=TODAY).number == "11010519491231002X"


def test_full_width_digits_typed_on_a_chinese_keyboard_are_normalized():
    assert parse_resident_id("４４０３０７１９９００１０１１２３２", today=TODAY).number == "440307199001011232"
    assert parse_resident_id("11010519491231002ｘ", today=TODAY).number == "11010519491231002X"


@pytest.mark.parametrize("digit", ["\u0968", "\u0662", "\u096a"])  # Devanagari 2, Arabic-Indic 2, Devanagari 4
def test_digits_of_other_scripts_are_not_id_digits(digit):
    """They would pass int() and hash differently: a second registration of the same person."""
    number = "440307199001011232".replace("2", digit, 1)
    assert refused(number) == "A resident ID number has 17 digits and a last digit or X."


def test_spaces_around_and_inside_are_ignored():
    assert parse_resident_id(" 440307 19900101 1232 ", today=TODAY).number == "440307199001011232"


# ---------------------------------------------------------------- what is refused, and why


def test_february_30th_is_not_a_real_birth_date():
    body = "44030719900230123"
    assert refused(body + check_char(body)) == "The birth date in this ID number is not a real date."


def test_february_29th_exists_only_in_leap_years():
    leap = "44030720000229123"
    assert parse_resident_id(leap + check_char(leap), today=TODAY).birth_date == date(2000, 2, 29)
    plain = "44030719990229123"
    assert refused(plain + check_char(plain)) == "The birth date in this ID number is not a real date."


def test_month_13_is_not_a_real_birth_date():
    body = "44030719901301123"
    assert refused(body + check_char(body)) == "The birth date in this ID number is not a real date."


def test_birth_date_after_today_is_refused():
    tomorrow = TODAY + timedelta(days=1)
    body = f"440307{tomorrow:%Y%m%d}123"
    assert refused(body + check_char(body)) == "The birth date in this ID number lies in the future."


def test_birth_date_today_is_accepted():
    body = f"440307{TODAY:%Y%m%d}124"
    assert parse_resident_id(body + check_char(body), today=TODAY).birth_date == TODAY


def test_birth_before_1900_is_refused():
    body = "44030718991231123"
    assert refused(body + check_char(body)) == "The birth date in this ID number is too early."


@pytest.mark.parametrize("number", ["44030719900101123", "4403071990010112321", "440307", "1"])
def test_wrong_length_is_refused_with_the_length_found(number):
    assert refused(number) == f"A resident ID number has 18 characters; this one has {len(number)}."


def test_the_old_15_digit_format_is_refused_by_its_length():
    assert "this one has 15" in refused("440307900101123")


@pytest.mark.parametrize("number", ["4403071990010112X2", "44030719900101123Y", "A40307199001011232"])
def test_letters_other_than_a_final_x_are_refused(number):
    assert refused(number) == "A resident ID number has 17 digits and a last digit or X."


@pytest.mark.parametrize("prefix", ["00", "10", "19", "20", "39", "47", "55", "60", "70", "80", "84", "99"])
def test_area_code_with_an_unused_province_prefix_is_refused(prefix):
    body = f"{prefix}0307199001011232"[:17]
    assert refused(body + check_char(body)) == "The ID number starts with an area code that does not exist."


def test_empty_id_number_asks_for_one():
    assert refused("") == "Enter the ID number."


# ---------------------------------------------------------------- generated IDs

PROVINCES = ["11", "12", "13", "14", "15", "21", "22", "23", "31", "32", "33", "34", "35", "36", "37",
             "41", "42", "43", "44", "45", "46", "50", "51", "52", "53", "54", "61", "62", "63", "64", "65"]


@st.composite
def resident_ids(draw, prefixes=PROVINCES):
    """(number, birth date, sex): a random valid resident ID built from the published rule."""
    area = draw(st.sampled_from(prefixes)) + draw(st.text(alphabet="0123456789", min_size=4, max_size=4))
    birth = draw(st.dates(min_value=date(1900, 1, 1), max_value=TODAY))
    seq = draw(st.integers(min_value=0, max_value=999))
    body = f"{area}{birth:%Y%m%d}{seq:03d}"
    return body + check_char(body), birth, "M" if seq % 2 else "F"


@given(resident_ids())
def test_any_valid_generated_id_is_accepted_with_its_birth_date_and_sex(generated):
    number, birth, sex = generated
    identity = parse_resident_id(number, today=TODAY)
    assert (identity.number, identity.birth_date, identity.sex) == (number, birth, sex)
    assert identity.id_type == IdType.RESIDENT_ID
    assert parse_resident_id(number.lower(), today=TODAY).number == number


@given(resident_ids(), st.integers(min_value=0, max_value=17), st.sampled_from("0123456789X"))
def test_changing_any_one_character_of_a_valid_id_is_refused(generated, position, replacement):
    number = generated[0]
    assume(number[position] != replacement)
    assume(position == 17 or replacement != "X")
    typo = number[:position] + replacement + number[position + 1:]
    with pytest.raises(ValidationFailed):
        parse_resident_id(typo, today=TODAY)


@given(resident_ids(prefixes=["81", "82", "83"]))
def test_hk_macao_taiwan_residence_permits_are_checked_like_resident_ids(generated):
    number, birth, sex = generated
    identity = parse_identity(IdType.HKMO_RESIDENCE, number, today=TODAY)
    assert (identity.id_type, identity.birth_date, identity.sex) == (IdType.HKMO_RESIDENCE, birth, sex)


def test_residence_permit_number_chosen_as_resident_id_asks_for_the_permit_type():
    body = "81000019900101123"
    with override("en"), pytest.raises(ValidationFailed) as caught:
        parse_identity(IdType.RESIDENT_ID, body + check_char(body), today=TODAY)
    assert str(caught.value.message) == (
        "This is a residence permit number; choose the residence permit as the document type."
    )


def test_resident_id_chosen_as_residence_permit_is_refused():
    with override("en"), pytest.raises(ValidationFailed) as caught:
        parse_identity(IdType.HKMO_RESIDENCE, "440307199001011232", today=TODAY)
    assert str(caught.value.message) == "A residence permit number starts with 81, 82 or 83."


def test_residence_permit_with_a_wrong_check_character_is_refused():
    body = "82000019900101123"
    wrong = "0" if check_char(body) != "0" else "1"
    with pytest.raises(ValidationFailed):
        parse_identity(IdType.HKMO_RESIDENCE, body + wrong, today=TODAY)


# ---------------------------------------------------------------- other documents


@pytest.mark.parametrize(
    ("id_type", "value", "normalized"),
    [
        (IdType.HKMO_PERMIT, "H12345678", "H12345678"),
        (IdType.HKMO_PERMIT, "m1234567801", "M1234567801"),
        (IdType.TW_PERMIT, "12345678", "12345678"),
        (IdType.TW_PERMIT, "1234567890", "1234567890"),
        (IdType.PASSPORT, "e1234 5678", "E12345678"),
        (IdType.PASSPORT, "G-12345678", "G12345678"),
        (IdType.PASSPORT, "Ｅ１２３４５６７８", "E12345678"),
        (IdType.FOREIGN_PR, "USA441234567890", "USA441234567890"),
    ],
)
def test_other_documents_are_accepted_in_their_own_format(id_type, value, normalized):
    identity = parse_identity(id_type, value, today=TODAY)
    assert identity.number == normalized
    assert identity.id_type == id_type
    assert identity.birth_date is None  # these documents do not carry it: the form asks


@pytest.mark.parametrize(
    ("id_type", "value", "message"),
    [
        (IdType.HKMO_PERMIT, "C12345678", "A home return permit number is H or M followed by 8 or 10 digits."),
        (IdType.HKMO_PERMIT, "H1234567", "A home return permit number is H or M followed by 8 or 10 digits."),
        (IdType.TW_PERMIT, "1234567", "A Taiwan travel permit number has 8 digits."),
        (IdType.PASSPORT, "E12", "A passport number has 5 to 17 letters and digits."),
        (IdType.PASSPORT, "E1234567890123456789", "A passport number has 5 to 17 letters and digits."),
        (IdType.PASSPORT, "E1234#567", "A passport number has 5 to 17 letters and digits."),
        (IdType.TW_PERMIT, "1234567\u0968", "A Taiwan travel permit number has 8 digits."),
        (IdType.FOREIGN_PR, "US441234567890",
         "A permanent residence ID has 3 letters and 12 digits, or 18 characters starting with 9."),
        (IdType.PASSPORT, "  ", "Enter the document number."),
    ],
)
def test_other_documents_in_a_wrong_format_are_refused_with_their_own_rule(id_type, value, message):
    with override("en"), pytest.raises(ValidationFailed) as caught:
        parse_identity(id_type, value, today=TODAY)
    assert str(caught.value.message) == message


@given(st.text(alphabet="0123456789", min_size=16, max_size=16).map(lambda digits: "9" + digits))
def test_new_permanent_residence_ids_carry_the_resident_id_check(body):
    number = body + check_char(body)
    assert parse_identity(IdType.FOREIGN_PR, number, today=TODAY).number == number
    wrong = "0" if check_char(body) != "0" else "1"
    with pytest.raises(ValidationFailed):
        parse_identity(IdType.FOREIGN_PR, body + wrong, today=TODAY)


def test_unknown_document_type_is_refused():
    with override("en"), pytest.raises(ValidationFailed) as caught:
        parse_identity("driving_licence", "123456", today=TODAY)
    assert str(caught.value.message) == "Choose the type of identity document."


def test_age_counts_whole_years_up_to_the_birthday():
    assert age_on(date(2012, 6, 16), TODAY) == 13
    assert age_on(date(2012, 6, 15), TODAY) == 14
    assert age_on(date(2008, 2, 29), date(2026, 2, 28)) == 17
    assert age_on(date(2008, 2, 29), date(2026, 3, 1)) == 18


# ---------------------------------------------------------------- unified social credit code

CREDIT_WEIGHTS = [1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28]


def credit_check_char(body17: str) -> str:
    return ALPHABET[(31 - sum(ALPHABET.index(c) * w for c, w in zip(body17, CREDIT_WEIGHTS, strict=True)) % 31) % 31]


def test_published_credit_code_is_accepted():
    assert validate_credit_code("91110000600037341L") == "91110000600037341L"


def test_credit_code_is_normalized_to_upper_case_and_ascii():
    assert validate_credit_code(" 91110000600037341l ") == "91110000600037341L"
    assert validate_credit_code("９１１１００００６０００３７３４１Ｌ") == "91110000600037341L"


def test_credit_code_with_a_wrong_check_character_is_refused():
    with override("en"), pytest.raises(ValidationFailed) as caught:
        validate_credit_code("91110000600037341M")
    assert str(caught.value.message) == "The check character of this unified social credit code is wrong."


@pytest.mark.parametrize(("value", "message"), [
    ("9111000060003734", "A unified social credit code has 18 characters."),
    ("91110000600037341LL", "A unified social credit code has 18 characters."),
    ("9111000060003734IL", "The character I is not used in unified social credit codes."),
    ("91110000600O37341L", "The character O is not used in unified social credit codes."),
])
def test_credit_code_with_wrong_length_or_letters_is_refused(value, message):
    with override("en"), pytest.raises(ValidationFailed) as caught:
        validate_credit_code(value)
    assert str(caught.value.message) == message


@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17))
def test_any_generated_credit_code_with_its_check_character_is_accepted(body):
    assert validate_credit_code(body + credit_check_char(body)) == body + credit_check_char(body)


@given(st.text(alphabet=ALPHABET, min_size=17, max_size=17), st.integers(0, 17), st.sampled_from(ALPHABET))
def test_changing_any_one_character_of_a_credit_code_is_refused(body, position, replacement):
    code = body + credit_check_char(body)
    assume(code[position] != replacement)
    with pytest.raises(ValidationFailed):
        validate_credit_code(code[:position] + replacement + code[position + 1:])
