"""Certificate numbers: prefix + year + random Crockford base32 + a Luhn mod 32 check character.

`YG2026-7KQM-3XH9-D2TC`: 11 random characters (55 bits) make numbers unguessable, so nobody can walk
through them, and the check character refuses a mistyped or altered number before any database
look-up (every single-character error and almost every swap of neighbours is caught).
"""

from __future__ import annotations

import re
import secrets
import unicodedata

ALPHABET = "0123456789ABCDEFGHJKMNPQRSTVWXYZ"  # Crockford: no I, L, O, U
PREFIX = "YG"
RANDOM_LENGTH = 11
LENGTH = len(PREFIX) + 4 + RANDOM_LENGTH + 1
_SHAPE = re.compile(rf"^{PREFIX}(\d{{4}})[{ALPHABET}]{{{RANDOM_LENGTH + 1}}}$")
# Crockford's reading of look-alike characters.
_TRANSLATE = str.maketrans({"O": "0", "I": "1", "L": "1"})


def check_char(body: str) -> str:
    """The Luhn mod N check character of `body` over the Crockford alphabet."""
    n = len(ALPHABET)
    factor, total = 2, 0
    for ch in reversed(body):
        addend = factor * ALPHABET.index(ch)
        factor = 1 if factor == 2 else 2
        total += addend // n + addend % n
    return ALPHABET[(n - total % n) % n]


def new_number(year: int) -> str:
    body = PREFIX + f"{year:04d}" + "".join(secrets.choice(ALPHABET) for _ in range(RANDOM_LENGTH))
    return body + check_char(body)


def normalize(raw: str) -> str:
    """Full-width to ASCII, upper-case, keep only letters and digits, read O as 0 and I/L as 1."""
    text = re.sub(r"[^0-9A-Z]", "", unicodedata.normalize("NFKC", raw or "").upper())
    if text.startswith(PREFIX):
        text = PREFIX + text[len(PREFIX):].translate(_TRANSLATE)
    return text


def is_valid(number: str) -> bool:
    """True if `number` (normalized) has the right shape and check character."""
    if len(number) != LENGTH or not _SHAPE.match(number):
        return False
    return check_char(number[:-1]) == number[-1]


def display(number: str) -> str:
    """YG2026 7KQM 3XH9 D2TC, grouped for reading aloud and typing."""
    if len(number) != LENGTH:
        return number
    head, rest = number[:6], number[6:]
    return "-".join([head] + [rest[i:i + 4] for i in range(0, len(rest), 4)])
