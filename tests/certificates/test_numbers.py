import pytest

from yigong.certificates import numbers


def test_new_numbers_have_the_shape_and_a_valid_check_character():
    for _ in range(200):
        number = numbers.new_number(2026)
        assert len(number) == numbers.LENGTH
        assert number.startswith("YG2026")
        assert numbers.is_valid(number)


def test_every_single_character_change_is_refused():
    number = numbers.new_number(2026)
    for i in range(2, len(number)):
        for ch in numbers.ALPHABET:
            if ch != number[i]:
                altered = number[:i] + ch + number[i + 1:]
                assert not numbers.is_valid(altered), altered


def test_swapping_two_different_neighbours_is_refused():
    caught = total = 0
    for _ in range(50):
        number = numbers.new_number(2026)
        for i in range(6, len(number) - 1):
            if number[i] != number[i + 1]:
                total += 1
                swapped = number[:i] + number[i + 1] + number[i] + number[i + 2:]
                caught += not numbers.is_valid(swapped)
    assert caught / total > 0.95  # Luhn mod N misses only a few pairs


def test_display_groups_and_normalize_reads_it_back_with_look_alikes():
    number = "YG2026" + "0123456789A"
    number += numbers.check_char(number)
    shown = numbers.display(number)
    assert shown == f"YG2026-0123-4567-89A{number[-1]}"
    typed = shown.lower().replace("0", "o").replace("1", "l")
    assert numbers.normalize(typed) == number
    assert numbers.normalize(" yg2026 0123 4567 89a" + number[-1].lower() + " ") == number
    full_width = "".join(chr(ord(c) + 0xFEE0) for c in number)  # typed with a Chinese input method
    assert numbers.normalize(full_width) == number
    assert numbers.normalize("YG2026/../" + number[6:]) == number


@pytest.mark.parametrize("raw", ["", "YG", "XX2026ABCDEFGHJKM0", "YG20261234567890123", "YG26ABCDEFGHJKMNP",
                                 "YG2026ABCDEFGHJK!"])
def test_malformed_numbers_are_not_valid(raw):
    assert not numbers.is_valid(numbers.normalize(raw))
