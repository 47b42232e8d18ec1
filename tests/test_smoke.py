import pytest

from yigong.volunteers.identity import parse_resident_id


def test_published_valid_resident_id_gives_birth_date_and_sex():
    identity = parse_resident_id("11010519491231002X")
    assert identity.birth_date.isoformat() == "1949-12-31"
    assert identity.sex == "F"


@pytest.mark.django_db
def test_home_page_answers(client):
    assert client.get("/").status_code == 200
