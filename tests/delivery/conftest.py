from __future__ import annotations

from itertools import count

import pytest

from ducha.celery import app
from ducha.notices import hooks
from ducha.notices.models import Notification
from tests.delivery.servers import HttpServer, SmtpServer

_keys = count()


@pytest.fixture
def smtp():
    with SmtpServer() as server:
        yield server


@pytest.fixture
def http():
    with HttpServer() as server:
        yield server


@pytest.fixture(autouse=True)
def delivery_settings(settings, smtp, http):
    settings.DUCHA_DELIVERY_CHANNELS = ["email", "sms", "wecom", "dingtalk"]
    settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
    settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", smtp.port
    settings.EMAIL_TIMEOUT = 5
    settings.DUCHA_DELIVERY_TIMEOUT = 5
    settings.DUCHA_DELIVERY_ATTEMPTS = 3
    # Retries are due at once, so the eager worker runs them all within one call.
    settings.DUCHA_DELIVERY_BACKOFF_SECONDS = 0
    settings.DUCHA_SMS_URL = f"{http.url}/sms"
    settings.DUCHA_SITE_URL = "https://ducha.example.gov.cn"
    return settings


@pytest.fixture(autouse=True)
def eager():
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


def make_notification(user, *, title: str = "问题已交办", **kwargs) -> Notification:
    kwargs.setdefault("kind", "assigned")
    kwargs.setdefault("body", "双桥区高速卡口未登记过往车辆，请于三日内整改。")
    kwargs.setdefault("next_step", "请签收并整改")
    kwargs.setdefault("url", "/problems/1/")
    return Notification.objects.create(
        recipient=user, title=title, source_key=f"test:{next(_keys)}", **kwargs
    )


def notify(user, **kwargs) -> Notification:
    """What do_notify does once its transaction commits: the hooks get the new ids."""
    notification = make_notification(user, **kwargs)
    for hook in hooks.AFTER_NOTIFIED:
        hook([notification.pk])
    return notification
