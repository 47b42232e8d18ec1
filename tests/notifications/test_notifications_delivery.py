from __future__ import annotations

import pytest
from django.core import mail
from django.core.management import call_command

from yigong.notifications import channels
from yigong.notifications.models import Notification
from yigong.notifications.services import in_language_of, notify
from yigong.notifications.tasks import deliver

pytestmark = pytest.mark.django_db


def test_same_key_notifies_once(people, django_capture_on_commit_callbacks, sms):
    user = people.user()
    with django_capture_on_commit_callbacks(execute=True):
        first = notify(user=user, kind="signup_approved", title="报名成功", key="signup:approved:7")
        second = notify(user=user, kind="signup_approved", title="报名成功", key="signup:approved:7")
    assert first is not None
    assert second is None
    assert Notification.objects.filter(user=user).count() == 1
    assert len(sms) == 1


def test_the_same_key_for_another_person_is_another_message(people):
    a, b = people.user(), people.user(phone="")
    assert notify(user=a, kind="general", title="x", key="k") is not None
    assert notify(user=b, kind="general", title="x", key="k") is not None


def test_nothing_is_sent_before_the_callers_transaction_commits(people, django_capture_on_commit_callbacks, sms):
    user = people.user(email="li@example.cn")
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        notify(user=user, kind="general", title="你好")
    assert sms == []
    assert mail.outbox == []
    for callback in callbacks:
        callback()
    assert len(sms) == 1
    assert len(mail.outbox) == 1


def test_task_sends_sms_and_email_in_the_recipients_language(people, django_capture_on_commit_callbacks, sms,
                                                             settings):
    settings.YIGONG_SITE_URL = "https://yigong.example.cn"
    english = people.user(language="en", phone="+8613912345678", email="anna@example.com")
    with in_language_of(english), django_capture_on_commit_callbacks(execute=True):
        notify(user=english, kind="hours_confirmed", title="Hours confirmed", body="3:00 were added.",
               url="/archive/")
    [text] = sms
    assert text.phone == "+8613912345678"
    assert text.kind == "hours_confirmed"
    assert text.language == "en"
    assert text.text == "[Yigong]Hours confirmed 3:00 were added. https://yigong.example.cn/archive/"
    [email] = mail.outbox
    assert email.to == ["anna@example.com"]
    assert email.subject == "[Yigong] Hours confirmed"
    assert "https://yigong.example.cn/archive/" in email.body
    assert "Sent by the Yigong" in email.body

    chinese = people.user(phone="+8613712345678", email="wang@example.cn")
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=chinese, kind="hours_confirmed", title="服务时长已确认")
    assert sms[-1].text.startswith("【义工】服务时长已确认")
    assert mail.outbox[-1].subject == "【义工】服务时长已确认"


def test_someone_without_phone_or_email_gets_only_the_inbox_message(people, django_capture_on_commit_callbacks,
                                                                      sms):
    user = people.user(phone="", email="")
    with django_capture_on_commit_callbacks(execute=True):
        notify(user=user, kind="general", title="你好")
    assert sms == []
    assert mail.outbox == []
    assert Notification.objects.get(user=user).sms_sent_at is None


def test_running_the_task_twice_sends_once(people, sms):
    user = people.user(email="li@example.cn")
    notification = Notification.objects.create(user=user, kind="general", title="你好")
    assert deliver.call(notification.pk) == {"email": True, "sms": True}
    assert deliver.call(notification.pk) == {"email": False, "sms": False}
    assert len(sms) == 1
    assert len(mail.outbox) == 1


class BrokenGateway(channels.BaseSmsBackend):
    def send_messages(self, messages):
        raise ConnectionError("gateway down")


def test_a_failed_sms_is_released_so_that_a_rerun_sends_it(people, settings, sms):
    user = people.user()
    notification = Notification.objects.create(user=user, kind="general", title="你好")
    settings.YIGONG_SMS_BACKEND = f"{__name__}.BrokenGateway"
    with pytest.raises(ConnectionError):
        deliver.call(notification.pk)
    notification.refresh_from_db()
    assert notification.sms_sent_at is None
    settings.YIGONG_SMS_BACKEND = "yigong.notifications.channels.MemorySmsBackend"
    assert deliver.call(notification.pk)["sms"] is True
    assert len(sms) == 1


def test_console_backend_writes_the_message_with_the_phone_masked(people, capsys):
    channels.ConsoleSmsBackend().send_messages([channels.SmsMessage(phone="+8613812345678", text="【义工】你好")])
    out = capsys.readouterr().out
    assert "【义工】你好" in out
    assert "13812345678" not in out


def test_an_inactive_account_gets_nothing_outside_the_inbox(people, sms):
    user = people.user(active=False)
    notification = Notification.objects.create(user=user, kind="general", title="你好")
    assert deliver.call(notification.pk) == {"email": False, "sms": False}
    assert sms == []


@pytest.mark.django_db(transaction=True)
def test_with_the_database_backend_a_worker_delivers_the_queued_task(people, settings, sms):
    settings.TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
    from django_tasks_db.models import DBTaskResult

    user = people.user()
    notify(user=user, kind="general", title="排队发送")
    assert sms == []
    assert DBTaskResult.objects.filter(status="READY").count() == 1

    call_command("db_worker", "--batch", "--no-startup-delay", "--no-reload", verbosity=0)

    assert [m.text for m in sms] == ["【义工】排队发送"]
    assert DBTaskResult.objects.get().status == "SUCCESSFUL"
