from __future__ import annotations

import pytest
from django.db import connection
from django.template import Context, RequestContext, Template
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from yigong.notifications.models import Notification

pytestmark = pytest.mark.django_db


def _message(user, title, *, read=False, url=""):
    return Notification.objects.create(user=user, kind="general", title=title, url=url,
                                       read_at=timezone.now() if read else None)


def test_anonymous_visitor_is_sent_to_log_in(client):
    response = client.get(reverse("notifications:inbox"))
    assert response.status_code == 302
    assert reverse("accounts:login") in response["Location"]


def test_inbox_shows_only_my_messages_unread_first(client, people):
    me, other = people.user(), people.user()
    _message(me, "旧的未读")
    _message(me, "已读消息", read=True)
    _message(me, "新的未读")
    _message(other, "别人的消息")
    client.force_login(me)

    html = client.get(reverse("notifications:inbox")).content.decode()

    assert "别人的消息" not in html
    assert html.index("新的未读") < html.index("旧的未读") < html.index("已读消息")
    assert "2 条未读消息" in html


def test_marking_a_message_read(client, people):
    me = people.user()
    message = _message(me, "报名成功")
    client.force_login(me)

    response = client.post(reverse("notifications:mark-read", args=[message.pk]))

    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:inbox")
    message.refresh_from_db()
    assert message.read_at is not None


def test_marking_read_by_htmx_returns_the_updated_item_and_count(client, people):
    me = people.user()
    message = _message(me, "报名成功")
    _message(me, "另一条")
    client.force_login(me)
    response = client.post(reverse("notifications:mark-read", args=[message.pk]), HTTP_HX_REQUEST="true")
    html = response.content.decode()
    assert response.status_code == 200
    assert f'id="notification-{message.pk}"' in html
    assert "is-unread" not in html
    assert 'hx-swap-oob="true"' in html
    assert "1 条未读消息" in html


def test_opening_a_message_marks_it_read_and_follows_its_link(client, people):
    me = people.user()
    message = _message(me, "时长已确认", url="/archive/")
    client.force_login(me)
    response = client.post(reverse("notifications:mark-read", args=[message.pk]), {"open": "1"})
    assert response.status_code == 302
    assert response["Location"] == "/archive/"


def test_a_message_cannot_send_the_reader_to_another_site(client, people):
    me = people.user()
    message = Notification.objects.create(user=me, kind="general", title="x", url="https://evil.example/")
    client.force_login(me)
    response = client.post(reverse("notifications:mark-read", args=[message.pk]), {"open": "1"})
    assert response["Location"] == reverse("notifications:inbox")


def test_someone_elses_message_is_not_found_and_stays_unread(client, people):
    me, other = people.user(), people.user()
    theirs = _message(other, "别人的消息")
    client.force_login(me)
    assert client.post(reverse("notifications:mark-read", args=[theirs.pk])).status_code == 404
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_marking_read_needs_a_post(client, people):
    me = people.user()
    message = _message(me, "报名成功")
    client.force_login(me)
    assert client.get(reverse("notifications:mark-read", args=[message.pk])).status_code == 405


def test_mark_all_read_touches_only_my_messages(client, people):
    me, other = people.user(), people.user()
    _message(me, "一")
    _message(me, "二")
    theirs = _message(other, "三")
    client.force_login(me)

    response = client.post(reverse("notifications:mark-all-read"))

    assert response.status_code == 302
    assert not Notification.objects.filter(user=me, read_at__isnull=True).exists()
    theirs.refresh_from_db()
    assert theirs.read_at is None


def test_inbox_in_english(client, people):
    me = people.user(language="en")
    _message(me, "Sign-up approved")
    client.force_login(me)
    client.cookies["yigong_language"] = "en"
    html = client.get(reverse("notifications:inbox")).content.decode()
    assert "Messages" in html
    assert "1 unread message" in html
    assert "Mark all as read" in html


def test_badge_shows_the_unread_count_and_reads_it_once_per_request(people):
    me = people.user()
    for i in range(3):
        _message(me, f"消息{i}")
    _message(me, "已读", read=True)
    request = RequestFactory().get("/")
    request.user = me
    template = Template("{% load notifications %}{% notification_badge %}|{% unread_notification_count as n %}{{ n }}")
    with CaptureQueriesContext(connection) as ctx:
        html = template.render(RequestContext(request, {}))
    assert len(ctx.captured_queries) == 1
    assert 'href="/notifications/"' in html
    assert ">3</span>" in html
    assert html.endswith("|3")


def test_badge_is_empty_for_anonymous_visitors():
    from django.contrib.auth.models import AnonymousUser

    html = Template("{% load notifications %}{% notification_badge %}").render(Context({"user": AnonymousUser()}))
    assert html.strip() == ""
