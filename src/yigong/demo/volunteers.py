"""Demo step: the bulk volunteers, written with bulk_create for speed.

They are stored exactly as registration stores them: ID and phone numbers encrypted by the model
fields, found by the same keyed hashes, masked the same way, and numbered through the same
registration counter (so a number is never reused by a later registration). Their passwords are
unusable (they are demo data; only the printed logins can log in), which spares 2,000 Argon2 hashes.
"""

from __future__ import annotations

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password

from yigong.accounts.phone import phone_lookup_hash
from yigong.core.masking import mask_id_number
from yigong.demo import people
from yigong.volunteers.identity import IdType, age_on
from yigong.volunteers.models import Availability, Language, Skill, Volunteer
from yigong.volunteers.services import _next_registration_number, id_lookup_hash

# Age on 1 January of this year: (lowest, highest, weight). Today's age is that or one more: 14–75.
AGE_BANDS = [(14, 17, 8), (18, 25, 22), (26, 40, 35), (41, 60, 25), (61, 74, 10)]
REGISTRATION_YEARS = 5  # demo volunteers registered over the five years before this one
YOUTH_SKILLS = ["tutoring", "arts", "sports", "environment", "photography", "it", "events", "translation"]
SKILL_WEIGHTS = {
    "first_aid": 12, "medical": 5, "elder_care": 14, "tutoring": 12, "counselling": 4, "legal": 3,
    "translation": 4, "it": 7, "driving": 8, "photography": 7, "arts": 7, "sports": 6, "traffic": 10,
    "fire_safety": 5, "social_work": 5, "events": 10, "sign_language": 1, "environment": 10,
}


def _languages(ctx, *, area: str, age: int) -> list[str]:
    rng = ctx.rng
    chosen = {"mandarin"}
    if rng.random() < (0.6 if area.startswith(("44", "81", "82")) else 0.15):
        chosen.add("cantonese")
    if area.startswith("4414") or (area == "440307" and rng.random() < 0.3):
        chosen.add("hakka")
    if area.startswith(("4452", "4405", "4415")):
        chosen.add("teochew")
    if rng.random() < (0.5 if age < 35 else 0.15):
        chosen.add("english")
    for other in ("japanese", "korean", "french", "spanish", "russian", "sign"):
        if rng.random() < 0.015:
            chosen.add(other)
    return [value for value in Language.values if value in chosen]


def _person(ctx) -> dict:
    rng, today = ctx.rng, ctx.today
    low, high, _w = rng.choices(AGE_BANDS, weights=[band[2] for band in AGE_BANDS])[0]
    age_now = rng.randint(low, high)
    male = rng.random() < 0.45
    birth = people.birth_date(rng, year=today.year - age_now - 1)

    # Registered at 12 or older, in the years before this one.
    earliest = max(date(today.year - REGISTRATION_YEARS, 1, 1), date(birth.year + 13, 1, 1))
    latest = date(today.year - 1, 12, 31)
    day = earliest + timedelta(days=rng.randrange((latest - earliest).days + 1))
    registered_at = datetime.combine(
        day, time(rng.randint(8, 21), rng.randrange(60), rng.randrange(60)), tzinfo=ZoneInfo(settings.TIME_ZONE),
    )
    age_then = age_on(birth, day)

    if rng.random() < 0.02:
        id_type, area = IdType.HKMO_RESIDENCE, rng.choice(["810000", "820000"])
    else:
        id_type, area = IdType.RESIDENT_ID, people.area_code(rng)
    surname = ctx.fake.last_name()
    name = surname + (ctx.fake.first_name_male() if male else ctx.fake.first_name_female())
    minor_then = age_then < 18
    if age_now < 18:
        skills = people.some(rng, YOUTH_SKILLS, low=1, high=2)
    else:
        skills = people.some(rng, list(SKILL_WEIGHTS), weights=list(SKILL_WEIGHTS.values()), low=1, high=3)
    return {
        "name": name, "male": male, "birth": birth, "id_type": id_type,
        "id_number": ctx.new_resident_id(birth=birth, male=male, area=area),
        "phone": ctx.new_phone(), "registered_at": registered_at,
        "home_community": rng.choice(ctx.communities),
        "skills": skills,
        "languages": _languages(ctx, area=area, age=age_now),
        "availability": people.some(rng, Availability.values, low=1, high=4),
        "guardian_name": surname + ctx.fake.first_name_male() if minor_then else "",
        "guardian_phone": ctx.new_phone() if minor_then else "",
        "minor_then": minor_then, "child_then": age_then < 14,
        "language": "en" if rng.random() < 0.03 else settings.LANGUAGE_CODE,
    }


def build(ctx) -> None:
    User = get_user_model()
    district = settings.YIGONG_DISTRICT_CODE
    persons = sorted((_person(ctx) for _ in range(ctx.volunteer_count)), key=lambda p: p["registered_at"])
    unusable = make_password(None)  # one unusable password (it starts with "!") for all of them
    numbers, users = [], []
    for person in persons:
        number = _next_registration_number(district, person["registered_at"].year)  # local time
        numbers.append(number)
        users.append(User(
            username=number, display_name=person["name"], phone=person["phone"],
            phone_hash=phone_lookup_hash(person["phone"]), password=unusable,
            date_joined=person["registered_at"], preferred_language=person["language"],
        ))
    User.objects.bulk_create(users, batch_size=500)

    volunteers = []
    for done, (person, number, user) in enumerate(zip(persons, numbers, users, strict=True), 1):
        ctx.progress.count(done, len(persons))
        at = person["registered_at"]
        volunteers.append(Volunteer(
            user=user, registration_number=number, district_code=district, name=person["name"],
            id_type=person["id_type"], id_number=person["id_number"],
            id_hash=id_lookup_hash(person["id_type"], person["id_number"]),
            id_masked=mask_id_number(person["id_number"]), birth_date=person["birth"],
            sex="M" if person["male"] else "F", home_community=person["home_community"],
            skills=[s for s in Skill.values if s in person["skills"]],
            languages=person["languages"], availability=person["availability"],
            registered_at=at, privacy_notice_version=settings.YIGONG_PRIVACY_NOTICE_VERSION,
            consented_at=at, guardian_name=person["guardian_name"], guardian_phone=person["guardian_phone"],
            guardian_consent_at=at if person["minor_then"] else None,
            child_privacy_notice_version=(
                settings.YIGONG_CHILD_PRIVACY_NOTICE_VERSION if person["child_then"] else ""
            ),
            guardian_data_consent_at=at if person["child_then"] else None,
        ))
    Volunteer.objects.bulk_create(volunteers, batch_size=500)
    ctx.volunteers = volunteers
