"""When a message leaves: quiet hours, the daily digest, opt-outs; and that it leaves once."""

from __future__ import annotations

from datetime import datetime, time, timedelta

import pytest
from django.utils import timezone, translation

from ducha.notices import hooks
from ducha.notices.delivery import planning, tasks, worker
from ducha.notices.delivery.models import Delivery, DeliveryPreference, OrgChannel
from tests.delivery.conftest import make_notification, notify


@pytest.fixture
def office(world):
    user = world.users["county_office"]
    user.email = "office@example.gov.cn"
    user.save()
    return user


def _quiet_now(user, **kwargs):
    """Quiet hours from an hour ago to an hour from now (local time; may span midnight)."""
    local = timezone.localtime()
    return DeliveryPreference.objects.create(
        user=user,
        quiet_start=(local - timedelta(hours=1)).time().replace(second=0, microsecond=0),
        quiet_end=(local + timedelta(hours=1)).time().replace(second=0, microsecond=0),
        **kwargs,
    )


def test_quiet_hours_hold_the_message_until_they_end(office, smtp):
    pref = _quiet_now(office)
    notify(office)
    delivery = Delivery.objects.get(channel="email")
    assert delivery.status == "pending" and not smtp.messages
    end = delivery.next_attempt_at
    assert timezone.localtime(end).time() == pref.quiet_end
    assert timedelta(minutes=58) < end - timezone.now() <= timedelta(hours=1)
    # Before the end the sweep finds nothing due; after it, the message goes.
    assert worker.sweep(end - timedelta(seconds=1)).singles == []
    due = worker.sweep(end + timedelta(seconds=1)).singles
    assert due == [delivery.pk]
    assert worker.run_delivery(delivery.pk, now=end + timedelta(seconds=1)).status == "sent"
    assert len(smtp.messages) == 1


def test_quiet_hours_do_not_hold_group_robots(office, http, world):
    _quiet_now(office)
    OrgChannel.objects.create(
        org=world.orgs["county_office"],
        channel="wecom",
        label="群",
        webhook_url=f"{http.url}/wecom",
    )
    notify(office)
    assert len(http.requests) == 1
    assert Delivery.objects.get(channel="email").status == "pending"


def test_the_digest_collects_the_days_notifications_into_one_message(office, smtp):
    DeliveryPreference.objects.create(user=office, digest=True, digest_hour=7)
    for title in ("第一条", "第二条", "第三条"):
        notify(office, title=title)
    rows = Delivery.objects.filter(channel="email")
    assert {r.status for r in rows} == {"pending"} and all(r.digest for r in rows)
    at = rows[0].next_attempt_at
    assert timezone.localtime(at).hour == 7 and at > timezone.now()
    assert not smtp.messages
    found = worker.sweep(at)
    assert found.singles == [] and found.digests == [(office.pk, "email", office.email)]
    outcome = worker.run_digest(office.pk, "email", office.email, now=at)
    assert outcome.status == "sent"
    (mail,) = smtp.messages
    text = mail.get_body(("plain",)).get_content()
    assert all(title in text for title in ("第一条", "第二条", "第三条"))
    assert "3" in mail["Subject"]
    assert {r.status for r in rows.all()} == {"sent"}
    # Sent once: the next sweep and a second run find nothing.
    assert worker.sweep(at).digests == []
    assert worker.run_digest(office.pk, "email", office.email, now=at) is None


def test_opting_out_skips_the_channel_and_says_so(office, smtp):
    DeliveryPreference.objects.create(user=office, email=False)
    notify(office)
    delivery = Delivery.objects.get(channel="email")
    assert delivery.status == "skipped" and delivery.last_error
    assert not smtp.messages


def test_the_task_run_twice_sends_one_message(office, smtp):
    notification = make_notification(office)
    (pk,) = planning.plan([notification.pk])
    assert tasks.send_delivery(pk) == "sent"
    assert tasks.send_delivery(pk) is None
    assert len(smtp.messages) == 1
    # Notified twice (a retried hook): the same row, nothing more sent.
    assert planning.plan([notification.pk]) == []
    planning.after_notified([notification.pk])
    assert Delivery.objects.filter(notification=notification).count() == 1
    assert len(smtp.messages) == 1


def test_two_claims_of_one_row_the_second_gets_nothing(office):
    notification = make_notification(office)
    (pk,) = planning.plan([notification.pk])
    now = timezone.now()
    assert worker.claim_one(pk, now) is not None
    assert worker.claim_one(pk, now) is None


def test_a_robot_claim_past_its_lease_is_failed_not_sent_again(office, http, world, settings):
    OrgChannel.objects.create(
        org=world.orgs["county_office"],
        channel="wecom",
        label="群",
        webhook_url=f"{http.url}/wecom",
    )
    notification = make_notification(office)
    planning.plan([notification.pk])
    robot_row = Delivery.objects.get(channel="wecom")
    mail_row = Delivery.objects.get(channel="email")
    now = timezone.now()
    # A worker claimed both and died before it recorded anything.
    for row in (robot_row, mail_row):
        assert worker.claim_one(row.pk, now) is not None
    later = now + timedelta(seconds=settings.DUCHA_DELIVERY_LEASE_SECONDS + 1)
    assert worker.sweep(now + timedelta(seconds=10)).abandoned == 0  # still within the lease
    with translation.override("en"):
        found = worker.sweep(later)
    assert found.abandoned == 1 and found.retried == 1
    robot_row.refresh_from_db()
    assert robot_row.status == "failed" and "may or may not" in robot_row.last_error
    # E-mail is at least once: sent again, with the same Message-ID.
    assert found.singles == [mail_row.pk]
    assert not http.requests


def test_a_failing_planner_never_raises_into_the_caller(office, monkeypatch, smtp):
    def broken(ids, now=None):
        raise RuntimeError("database went away")

    monkeypatch.setattr(planning, "plan", broken)
    notification = make_notification(office)
    planning.after_notified([notification.pk])  # no exception
    assert not smtp.messages


def test_a_failing_queue_leaves_the_row_for_the_sweep(office, monkeypatch, smtp):
    def down(*args, **kwargs):
        raise ConnectionError("broker down")

    monkeypatch.setattr(tasks.send_delivery, "delay", down)
    notify(office)
    delivery = Delivery.objects.get(channel="email")
    assert delivery.status == "pending" and not smtp.messages
    assert worker.sweep().singles == [delivery.pk]


def test_nothing_leaves_when_the_deployment_names_no_channel(office, settings, smtp):
    settings.DUCHA_DELIVERY_CHANNELS = []
    notify(office)
    assert not Delivery.objects.exists() and not smtp.messages


def test_the_app_registers_its_planner_once():
    assert hooks.AFTER_NOTIFIED.count(planning.after_notified) == 1


def test_quiet_hours_across_midnight(office):
    pref = DeliveryPreference(
        user=office, quiet_start=time(22, 0), quiet_end=time(7, 30), digest_hour=23
    )

    def at(day, hour, minute=0):
        return timezone.make_aware(datetime(2026, 12, day, hour, minute))

    assert planning.quiet_until(pref, at(5, 21, 59)) is None
    assert planning.quiet_until(pref, at(5, 22, 0)) == at(6, 7, 30)
    assert planning.quiet_until(pref, at(6, 3, 0)) == at(6, 7, 30)
    assert planning.quiet_until(pref, at(6, 7, 30)) is None
    # A digest hour inside the quiet hours waits for their end.
    assert planning.next_digest(pref, at(5, 12, 0)) == at(6, 7, 30)


def test_retries_back_off_exponentially(office, smtp, settings):
    settings.DUCHA_DELIVERY_BACKOFF_SECONDS = 60
    smtp.mailbox.refuse_with = "421 4.7.0 try later"
    notification = make_notification(office)
    (pk,) = planning.plan([notification.pk])
    now = timezone.now()
    waits = []
    for _ in range(2):
        outcome = worker.run_delivery(pk, now=now)
        waits.append(outcome.retry_in)
        row = Delivery.objects.get(pk=pk)
        assert row.status == "pending" and row.next_attempt_at == now + timedelta(
            seconds=outcome.retry_in
        )
        assert worker.run_delivery(pk, now=now) is None  # not due yet
        now = row.next_attempt_at
    assert waits == [60.0, 120.0]
    smtp.mailbox.refuse_with = None
    assert worker.run_delivery(pk, now=now).status == "sent" and len(smtp.messages) == 1
