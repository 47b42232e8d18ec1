"""Public pages: home, privacy notices, placeholders, the language switch, and the CSP rules."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

PUBLIC_PAGES = [
    "core:home", "core:privacy", "core:privacy-children", "activities:finder",
    "core:check-in", "certificates:verify-form", "core:request-volunteers", "accounts:login",
    "volunteers:register", "volunteers:join",
]


@pytest.mark.django_db
def test_home_shows_district_figures_and_a_way_in_for_each_kind_of_user(client, world):
    response = client.get("/")
    assert response.status_code == 200
    html = response.content.decode()
    assert "龙岗区义工服务平台" in html
    figures = re.findall(r'<li class="figure"><strong>(\d+)</strong>', html)
    assert figures == ["3", "1", "3", "0"]  # volunteers, teams, stations, city stations
    for name in ["volunteers:register", "accounts:login", "organizations:console",
                 "core:request-volunteers", "certificates:verify-form"]:
        assert f'href="{reverse(name)}"' in html


@pytest.mark.django_db
def test_home_answers_in_english_when_the_browser_asks_for_it(client, world):
    html = client.get("/", HTTP_ACCEPT_LANGUAGE="en-US,en;q=0.9").content.decode()
    assert 'lang="en"' in html
    assert "registered volunteers" in html
    assert "注册义工" not in html


@pytest.mark.django_db
def test_chinese_is_the_default_language(client, world):
    html = client.get("/").content.decode()
    assert 'lang="zh-Hans"' in html
    assert "注册义工" in html


@pytest.mark.django_db
@pytest.mark.parametrize("name", PUBLIC_PAGES)
def test_every_page_has_the_language_switch_and_no_inline_script(client, name):
    response = client.get(reverse(name))
    assert response.status_code == 200
    html = response.content.decode()
    assert f'action="{reverse("set_language")}"' in html
    assert 'name="language" value="en"' in html
    # The CSP allows only scripts from the platform: no inline code, no inline handlers.
    for tag in re.findall(r"<script\b[^>]*>", html):
        assert "src=" in tag, tag
    for body in re.findall(r"<script\b[^>]*>(.*?)</script>", html, flags=re.DOTALL):
        assert not body.strip()
    assert not re.search(r"\son[a-z]+\s*=", html)
    assert "script-src 'self'" in response["Content-Security-Policy"]


@pytest.mark.django_db
def test_language_switch_keeps_the_page_and_changes_the_language(client):
    response = client.post(reverse("set_language"), {"language": "en", "next": "/privacy/"})
    assert response.status_code == 302
    assert response["Location"] == "/privacy/"
    html = client.get("/privacy/").content.decode()
    assert "Privacy notice" in html
    assert "What we collect and why" in html
    client.post(reverse("set_language"), {"language": "zh-hans", "next": "/privacy/"})
    assert "我们收集哪些信息" in client.get("/privacy/").content.decode()


@pytest.mark.django_db
def test_privacy_notices_show_their_versions_in_both_languages(client):
    for lang in ("zh-hans", "en"):
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = lang
        assert settings.YIGONG_PRIVACY_NOTICE_VERSION in client.get("/privacy/").content.decode()
        children = client.get(reverse("core:privacy-children")).content.decode()
        assert settings.YIGONG_CHILD_PRIVACY_NOTICE_VERSION in children
    assert "Minors Protection Law" in children
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "zh-hans"
    assert "未成年人保护法" in client.get(reverse("core:privacy-children")).content.decode()


@pytest.mark.django_db
@pytest.mark.parametrize("name", ["core:request-volunteers"])
def test_placeholder_pages_say_honestly_that_they_are_not_there_yet(client, name):
    html = client.get(reverse(name)).content.decode()
    assert "尚未开放" in html


@pytest.mark.django_db
def test_bottom_bar_marks_the_current_place(client):
    html = client.get(reverse("activities:finder")).content.decode()
    bar = html[html.index('class="bottombar"'):]
    finder = re.escape(reverse("activities:finder"))
    assert re.search(rf'href="{finder}" class="place is-current" aria-current="page"', bar)


@pytest.mark.django_db
@pytest.mark.parametrize(("old", "new"), [("core:find", "activities:finder"), ("core:my-shifts", "activities:my-shifts")])
def test_old_places_lead_to_the_real_pages(client, old, new):
    response = client.get(reverse(old))
    assert response.status_code == 302
    assert response["Location"] == reverse(new)


@pytest.mark.django_db
def test_community_options_follow_the_chosen_street(client, world):
    html = client.get(reverse("regions:community-options"), {"street": "440307001"}).content.decode()
    assert "山厦社区" in html
    assert "良安田社区" in html
    assert "德兴社区" not in html
    everything = client.get(reverse("regions:community-options")).content.decode()
    assert '<optgroup label="布吉街道">' in everything
    assert "德兴社区" in everything


@pytest.mark.django_db
def test_unknown_page_is_a_translated_404(client):
    response = client.get("/no-such-page/")
    assert response.status_code == 404
    assert "页面不存在" in response.content.decode()


@pytest.mark.django_db
def test_check_in_place_explains_the_qr_code_and_lists_todays_shifts(client):
    html = client.get(reverse("core:check-in")).content.decode()
    assert "二维码" in html
    assert "尚未开放" not in html
