"""Plausible personal data for demo people: resident IDs, mobile numbers, birth dates, skills.

Everything is drawn from the random generator passed in, so a seed gives the same people.
"""

from __future__ import annotations

import random
from datetime import date, timedelta

from yigong.accounts.phone import normalize_mobile
from yigong.core.errors import ValidationFailed
from yigong.volunteers.identity import resident_id_check_char

# Where demo volunteers' IDs were issued: mostly Shenzhen (Longgang above all), then the rest of
# Guangdong and the provinces that send most people to work in Longgang. (code, weight)
AREA_CODES: list[tuple[str, int]] = [
    ("440307", 300),  # 龙岗区
    ("440303", 15), ("440304", 15), ("440305", 10), ("440306", 20),  # 罗湖 福田 南山 宝安
    ("440308", 5), ("440309", 15), ("440310", 10), ("440311", 5),  # 盐田 龙华 坪山 光明
    ("441481", 30), ("441402", 15), ("441424", 15),  # 兴宁 梅江 五华 (Hakka Meizhou)
    ("445202", 15), ("440513", 15), ("441521", 15), ("440881", 10), ("441702", 8),  # 榕城 潮阳 海丰 廉江 江城
    ("430524", 18), ("431121", 15), ("430721", 10),  # 湖南: 隆回 祁阳 安乡
    ("420984", 12), ("421127", 10),  # 湖北: 汉川 黄梅
    ("360732", 15), ("360428", 10),  # 江西: 兴国 都昌
    ("450881", 15), ("450922", 12),  # 广西: 桂平 陆川
    ("511321", 12), ("510623", 10),  # 四川: 南部 中江
    ("411522", 10), ("412726", 10),  # 河南: 光山 郸城
    ("350583", 6), ("500230", 6), ("341222", 6), ("610125", 4), ("230103", 3), ("110105", 3),
]
_AREAS = [code for code, _w in AREA_CODES]
_AREA_WEIGHTS = [w for _c, w in AREA_CODES]

# Mobile prefixes of the three carriers; phonenumbers has the final say on each number.
MOBILE_PREFIXES = [
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151", "152",
    "153", "155", "156", "157", "158", "159", "166", "177", "180", "181", "182", "183", "185",
    "186", "187", "188", "189", "198", "199",
]


def area_code(rng: random.Random) -> str:
    return rng.choices(_AREAS, weights=_AREA_WEIGHTS)[0]


def resident_id(rng: random.Random, *, area: str, birth: date, male: bool) -> str:
    """A GB 11643 resident ID: area, birth date, sequence (odd for men) and its check character."""
    sequence = rng.randrange(0, 500) * 2 + (1 if male else 0)
    first17 = f"{area}{birth:%Y%m%d}{sequence:03d}"
    return first17 + resident_id_check_char(first17)


def mobile_number(rng: random.Random) -> str:
    """A mainland mobile number in E.164 that passes the platform's own phone check."""
    while True:
        candidate = rng.choice(MOBILE_PREFIXES) + f"{rng.randrange(10**8):08d}"
        try:
            return normalize_mobile(candidate)
        except ValidationFailed:  # a number phonenumbers refuses: draw another
            continue


def birth_date(rng: random.Random, *, year: int) -> date:
    start = date(year, 1, 1)
    return start + timedelta(days=rng.randrange((date(year + 1, 1, 1) - start).days))


def some(rng: random.Random, values: list[str], *, weights: list[int] | None = None, low: int = 1,
         high: int = 3) -> list[str]:
    """A few distinct values, in the order of `values`."""
    count = min(len(values), rng.randint(low, high))
    chosen: set[str] = set()
    while len(chosen) < count:
        chosen.add(rng.choices(values, weights=weights)[0])
    return [v for v in values if v in chosen]
