"""The organization console, walked through the scoping matrix.

Roles: anonymous, a volunteer, staff of this community station, staff of the sibling station,
and the district office. A community station's staff see their community's volunteers and no
one else's; outside their scope every record answers 404.
"""

from datetime import date

import pytest
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from page_world import LIANGANTIAN, SHANXIA, make_volunteer

from yigong.core.models import AuditEvent
from yigong.organizations.models import Membership, Organization
from yigong.organizations.services import apply_to_join

ROLES = ["anonymous", "volunteer", "this_staff", "sibling_staff", "district_admin"]


def user_for(world, role):
    return {
        "anonymous": None,
        "volunteer": world.volunteers["dexing"].user,
        "this_staff": world.shanxia_staff,
        "sibling_staff": world.sibling_staff,
        "district_admin": world.district_admin,
    }[role]


def as_role(client, world, role):
    user = user_for(world, role)
    if user is not None:
        client.force_login(user)
    return client


def expect(response, outcome):
    if outcome == "login":
        assert response.status_code == 302
        assert response["Location"].startswith(reverse("accounts:login"))
    else:
        assert response.status_code == outcome


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "outcome"), [
    ("anonymous", "login"), ("volunteer", 403), ("this_staff", 200), ("sibling_staff", 200),
    ("district_admin", 200),
])
def test_console_home_is_for_staff_only(client, world, role, outcome):
    response = as_role(client, world, role).get(reverse("organizations:console"))
    expect(response, outcome)
    if role == "volunteer":
        assert "管理台仅供义工组织的工作人员使用。" in response.content.decode()


@pytest.mark.django_db
def test_console_home_lists_my_organizations_with_their_pending_applications(client, world):
    apply_to_join(actor=world.volunteers["shanxia"].user, organization=world.shanxia)
    html = as_role(client, world, "this_staff").get(reverse("organizations:console")).content.decode()
    assert world.shanxia.name in html
    assert world.liangantian.name not in html
    assert '<span class="badge badge-warn">1</span>' in html


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "outcome"), [
    ("anonymous", "login"), ("volunteer", 403), ("this_staff", 200), ("sibling_staff", 404),
    ("district_admin", 200),
])
def test_organization_page_matrix(client, world, role, outcome):
    expect(as_role(client, world, role).get(reverse("organizations:organization", args=[world.shanxia.pk])),
           outcome)


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "outcome"), [
    ("anonymous", "login"), ("volunteer", 403), ("this_staff", 200), ("sibling_staff", 404),
    ("district_admin", 200),
])
def test_volunteer_detail_matrix_for_a_volunteer_of_this_community(client, world, role, outcome):
    volunteer = world.volunteers["shanxia"]
    response = as_role(client, world, role).get(reverse("organizations:volunteer", args=[volunteer.pk]))
    expect(response, outcome)
    if outcome == 200:
        html = response.content.decode()
        assert volunteer.id_masked in html
        assert volunteer.id_number not in html
        assert volunteer.user.phone[3:] not in html


@pytest.mark.django_db
def test_station_staff_get_404_for_another_communitys_volunteer(client, world):
    as_role(client, world, "this_staff")
    for key in ("liangantian", "dexing"):
        response = client.get(reverse("organizations:volunteer", args=[world.volunteers[key].pk]))
        assert response.status_code == 404


@pytest.mark.django_db
def test_volunteer_list_shows_only_the_volunteers_in_scope(client, world):
    html = as_role(client, world, "this_staff").get(reverse("organizations:volunteers")).content.decode()
    assert "张伟" in html
    assert "李娜" not in html
    assert "王芳" not in html
    district = client.get(reverse("organizations:volunteers"))
    assert district.status_code == 200
    client.force_login(world.district_admin)
    everyone = client.get(reverse("organizations:volunteers")).content.decode()
    assert all(name in everyone for name in ("张伟", "李娜", "王芳"))


@pytest.mark.django_db
def test_an_applicant_from_elsewhere_becomes_visible_to_the_station_they_apply_to(client, world):
    outsider = world.volunteers["dexing"]
    as_role(client, world, "this_staff")
    url = reverse("organizations:volunteer", args=[outsider.pk])
    assert client.get(url).status_code == 404
    apply_to_join(actor=outsider.user, organization=world.shanxia)
    assert client.get(url).status_code == 200


@pytest.mark.django_db
def test_volunteer_search_by_name_full_id_and_full_phone(client, world):
    volunteer = world.volunteers["shanxia"]
    client.force_login(world.district_admin)
    url = reverse("organizations:volunteers")
    for query in ("张", volunteer.id_number, volunteer.user.phone[3:], volunteer.registration_number):
        html = client.get(url, {"q": query}).content.decode()
        assert "张伟" in html, query
        assert "李娜" not in html, query
    by_community = client.get(url, {"community": LIANGANTIAN}).content.decode()
    assert "李娜" in by_community
    assert "张伟" not in by_community


@pytest.mark.django_db
def test_volunteer_search_with_htmx_returns_only_the_results(client, world):
    client.force_login(world.district_admin)
    response = client.get(reverse("organizations:volunteers"), {"q": "李"},
                          HTTP_HX_REQUEST="true", HTTP_HX_TARGET="volunteer-results")
    html = response.content.decode()
    assert "李娜" in html
    assert "<html" not in html


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "outcome"), [
    ("anonymous", "login"), ("volunteer", 403), ("this_staff", 403), ("sibling_staff", 404),
    ("district_admin", 200),
])
def test_reveal_matrix_and_audit(client, world, role, outcome):
    volunteer = world.volunteers["shanxia"]
    before = AuditEvent.objects.filter(action="volunteer.reveal").count()
    response = as_role(client, world, role).post(
        reverse("organizations:volunteer-reveal", args=[volunteer.pk]), {"reason": "保险投保"})
    expect(response, outcome)
    revealed = AuditEvent.objects.filter(action="volunteer.reveal").count() - before
    if outcome == 200:
        assert volunteer.id_number in response.content.decode()
        assert response["Cache-Control"] == "no-store"
        event = AuditEvent.objects.filter(action="volunteer.reveal").latest("id")
        assert event.actor == world.district_admin
        assert event.data["reason"] == "保险投保"
        assert revealed == 1
    else:
        assert revealed == 0


@pytest.mark.django_db
def test_station_admin_can_reveal_in_scope_and_sees_the_button(client, world):
    volunteer = world.volunteers["shanxia"]
    client.force_login(world.shanxia_admin)
    page = client.get(reverse("organizations:volunteer", args=[volunteer.pk])).content.decode()
    assert reverse("organizations:volunteer-reveal", args=[volunteer.pk]) in page
    response = client.post(reverse("organizations:volunteer-reveal", args=[volunteer.pk]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert volunteer.id_number in html
    assert "<html" not in html
    other = client.post(reverse("organizations:volunteer-reveal", args=[world.volunteers["liangantian"].pk]))
    assert other.status_code == 404


@pytest.mark.django_db
def test_plain_staff_do_not_see_the_reveal_button(client, world):
    volunteer = world.volunteers["shanxia"]
    client.force_login(world.shanxia_staff)
    page = client.get(reverse("organizations:volunteer", args=[volunteer.pk])).content.decode()
    assert reverse("organizations:volunteer-reveal", args=[volunteer.pk]) not in page


@pytest.fixture
def application(world):
    return apply_to_join(actor=world.volunteers["liangantian"].user, organization=world.shanxia)


@pytest.mark.django_db
@pytest.mark.parametrize(("role", "outcome"), [
    ("anonymous", "login"), ("volunteer", 403), ("this_staff", 302), ("sibling_staff", 404),
    ("district_admin", 302),
])
def test_approving_an_application_matrix(client, world, application, role, outcome):
    response = as_role(client, world, role).post(
        reverse("organizations:application-decide", args=[application.pk]), {"decision": "approve"})
    expect(response, outcome)
    application.refresh_from_db()
    expected = Membership.Status.ACTIVE if outcome == 302 else Membership.Status.PENDING
    assert application.status == expected


@pytest.mark.django_db
def test_rejecting_needs_a_reason_the_applicant_then_sees(client, world, application):
    client.force_login(world.shanxia_staff)
    url = reverse("organizations:application-decide", args=[application.pk])
    missing = client.post(url, {"decision": "reject", "reason": "  "}, HTTP_HX_REQUEST="true")
    assert missing.status_code == 400
    assert "请填写不通过的原因，申请人将看到此原因。" in missing.content.decode()
    application.refresh_from_db()
    assert application.status == Membership.Status.PENDING
    done = client.post(url, {"decision": "reject", "reason": "本站名额已满"}, HTTP_HX_REQUEST="true")
    assert done.status_code == 200
    assert "未通过" in done.content.decode()
    application.refresh_from_db()
    assert application.status == Membership.Status.REJECTED
    client.force_login(world.volunteers["liangantian"].user)
    assert "本站名额已满" in client.get(reverse("volunteers:me")).content.decode()


@pytest.mark.django_db
def test_deciding_twice_says_it_was_already_decided(client, world, application):
    client.force_login(world.shanxia_staff)
    url = reverse("organizations:application-decide", args=[application.pk])
    client.post(url, {"decision": "approve"})
    again = client.post(url, {"decision": "approve"}, HTTP_HX_REQUEST="true")
    assert again.status_code == 409
    assert "该申请已审核过。" in again.content.decode()


@pytest.mark.django_db
def test_team_applications_can_be_decided_by_the_station_above_but_not_by_the_sibling(client, world):
    membership = apply_to_join(actor=world.volunteers["shanxia"].user, organization=world.team)
    url = reverse("organizations:application-decide", args=[membership.pk])
    client.force_login(world.sibling_staff)
    assert client.post(url, {"decision": "approve"}).status_code == 404
    client.force_login(world.shanxia_staff)
    assert client.post(url, {"decision": "approve"}).status_code == 302


@pytest.mark.django_db
def test_staff_propose_a_team_and_the_district_office_approves_it(client, world):
    client.force_login(world.shanxia_staff)
    url = reverse("organizations:organization-new", args=[world.shanxia.pk])
    bad = client.post(url, {"name": "", "kind": "team", "team_type": "", "credit_code": "91110000600037341X"})
    assert bad.status_code == 400
    html = bad.content.decode()
    assert "请填写组织名称。" in html
    assert "请选择队伍类型。" in html
    assert "校验码不正确" in html
    assert not Organization.objects.filter(name="山厦助残队").exists()
    ok = client.post(url, {"name": "山厦助残队", "kind": "team", "team_type": "society",
                           "credit_code": "91110000600037341L"})
    assert ok.status_code == 302
    team = Organization.objects.get(name="山厦助残队")
    assert team.status == Organization.Status.PENDING
    assert team.parent == world.shanxia

    assert client.get(reverse("organizations:approvals")).status_code == 403
    client.force_login(world.district_admin)
    queue = client.get(reverse("organizations:approvals")).content.decode()
    assert "山厦助残队" in queue
    decide = reverse("organizations:proposal-decide", args=[team.pk])
    no_reason = client.post(decide, {"decision": "reject"}, HTTP_HX_REQUEST="true")
    assert no_reason.status_code == 400
    assert client.post(decide, {"decision": "approve"}).status_code == 302
    team.refresh_from_db()
    assert team.status == Organization.Status.ACTIVE


@pytest.mark.django_db
def test_only_kinds_allowed_under_the_parent_are_offered(client, world):
    client.force_login(world.shanxia_staff)
    html = client.get(reverse("organizations:organization-new", args=[world.shanxia.pk])).content.decode()
    assert 'value="team"' in html
    assert 'value="requesting_unit"' in html
    assert 'value="street_federation"' not in html


@pytest.mark.django_db
def test_sibling_staff_cannot_propose_under_another_station(client, world):
    client.force_login(world.sibling_staff)
    response = client.post(reverse("organizations:organization-new", args=[world.shanxia.pk]),
                           {"name": "冒名队", "kind": "team", "team_type": "society"})
    assert response.status_code == 404
    assert not Organization.objects.filter(name="冒名队").exists()


def _add_volunteers(n, start):
    for i in range(n):
        make_volunteer(name=f"义工{start + i}", community=SHANXIA, birth=date(1980, 1, 1), seq=start + i)


def _queries(client, url):
    with CaptureQueriesContext(__import__("django.db", fromlist=["connection"]).connection) as ctx:
        response = client.get(url)
    assert response.status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.django_db
def test_volunteer_list_uses_the_same_number_of_queries_for_5_and_50_volunteers(client, world):
    client.force_login(world.shanxia_admin)
    url = reverse("organizations:volunteers")
    _add_volunteers(4, 300)
    few = _queries(client, url)
    _add_volunteers(45, 400)
    many = _queries(client, url)
    assert few == many


@pytest.mark.django_db
def test_organization_page_uses_the_same_number_of_queries_for_few_and_many_members(client, world):
    client.force_login(world.shanxia_admin)
    url = reverse("organizations:organization", args=[world.shanxia.pk])

    def grow(n, start):
        for i in range(n):
            v = make_volunteer(name=f"成员{start + i}", community=SHANXIA, birth=date(1985, 1, 1), seq=start + i)
            apply_to_join(actor=v.user, organization=world.shanxia)

    grow(2, 500)
    few = _queries(client, url)
    grow(30, 600)
    many = _queries(client, url)
    assert few == many


@pytest.mark.django_db
def test_join_page_uses_the_same_number_of_queries_for_few_and_many_teams(client, world):
    from yigong.organizations.services import create_organization

    client.force_login(world.volunteers["shanxia"].user)
    url = reverse("volunteers:join")
    few = _queries(client, url)
    for i in range(15):
        create_organization(actor=world.root, name=f"第{i}义工队", kind="team", parent=world.shanxia,
                            team_type="society")
    many = _queries(client, url)
    assert few == many


@pytest.mark.django_db
def test_city_station_without_a_location_gets_the_message_next_to_the_latitude(client, world):
    client.force_login(world.district_admin)
    response = client.post(reverse("organizations:organization-new", args=[world.pinghu.pk]),
                           {"name": "平湖地铁站城市志愿者站点", "kind": "city_station"})
    assert response.status_code == 400
    html = response.content.decode()
    block = html[html.index('id="field-latitude"'):][:1500]
    assert "城市志愿者站点须填写位置（纬度和经度）。" in block
    assert not Organization.objects.filter(name="平湖地铁站城市志愿者站点").exists()
