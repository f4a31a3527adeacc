"""From new notifications to Delivery rows, and their hand-over to the worker.

`after_notified` is what `do_notify` calls once its transaction has committed (it is in
`notices.hooks.AFTER_NOTIFIED`). It writes one row per notification, channel and target and
queues those due now; it never raises: a broken channel or queue cannot touch the action
that notified, and rows it wrote are picked up by the sweep.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Sequence
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.accounts.models import Membership
from ducha.notices.delivery import tasks
from ducha.notices.delivery.choices import PERSONAL_CHANNELS, Channel, DeliveryStatus
from ducha.notices.delivery.models import Delivery, DeliveryPreference, OrgChannel
from ducha.notices.models import Notification

logger = logging.getLogger(__name__)


def enabled_channels() -> list[str]:
    return [c for c in Channel.values if c in settings.DUCHA_DELIVERY_CHANNELS]


def quiet_until(pref: DeliveryPreference | None, moment: datetime) -> datetime | None:
    """The end of the quiet hours `moment` falls in (local time), or None."""
    if pref is None or pref.quiet_start is None or pref.quiet_end is None:
        return None
    start, end = pref.quiet_start, pref.quiet_end
    if start == end:
        return None
    local = timezone.localtime(moment)
    now = local.time()
    inside = start <= now < end if start < end else (now >= start or now < end)
    if not inside:
        return None
    until = timezone.make_aware(datetime.combine(local.date(), end))
    return until if until > moment else until + timedelta(days=1)


def next_digest(pref: DeliveryPreference, moment: datetime) -> datetime:
    """The next digest hour after `moment` (local time), moved past quiet hours if inside."""
    local = timezone.localtime(moment)
    at = timezone.make_aware(
        datetime.combine(local.date(), datetime.min.time()).replace(hour=pref.digest_hour)
    )
    if at <= moment:
        at = timezone.make_aware(
            datetime.combine(local.date() + timedelta(days=1), datetime.min.time()).replace(
                hour=pref.digest_hour
            )
        )
    return quiet_until(pref, at) or at


def robots_for(user_ids: Iterable[int], channels: Sequence[str]) -> dict[int, list[OrgChannel]]:
    """Each user's group robots: those of the orgs they are members of, and those of the
    orgs above that are set to include their subtree."""
    robots = [
        r
        for r in OrgChannel.objects.filter(enabled=True, channel__in=channels).select_related("org")
    ]
    if not robots:
        return {}
    found: dict[int, dict[int, OrgChannel]] = defaultdict(dict)
    for user_id, org_id, path in Membership.objects.filter(user_id__in=list(user_ids)).values_list(
        "user_id", "org_id", "org__path"
    ):
        for robot in robots:
            if robot.org_id == org_id or (
                robot.include_subtree and path.startswith(robot.org.path)
            ):
                found[user_id][robot.pk] = robot
    return {user_id: list(by_pk.values()) for user_id, by_pk in found.items()}


def plan(notification_ids: Sequence[int], now: datetime | None = None) -> list[int]:
    """Write the rows for these notifications (again: nothing new) and return the ids of
    those to send at once."""
    channels = enabled_channels()
    if not channels or not notification_ids:
        return []
    now = now or timezone.now()
    notifications = list(
        # A deactivated account gets nothing outside the app any more.
        Notification.objects.filter(
            pk__in=list(notification_ids), recipient__is_active=True
        ).select_related("recipient")
    )
    users = {n.recipient_id for n in notifications}
    prefs = {p.user_id: p for p in DeliveryPreference.objects.filter(user_id__in=users)}
    robots = robots_for(users, channels)
    rows: list[Delivery] = []
    for notification in notifications:
        rows += _rows(notification, channels, prefs.get(notification.recipient_id), robots, now)
    with transaction.atomic():
        # The unique (notification, channel, target) makes a second call a no-op.
        Delivery.objects.bulk_create(rows, ignore_conflicts=True)
    return list(
        Delivery.objects.filter(
            notification_id__in=[n.pk for n in notifications],
            status=DeliveryStatus.PENDING,
            digest=False,
            next_attempt_at__lte=now,
        ).values_list("pk", flat=True)
    )


def _rows(
    notification: Notification,
    channels: Sequence[str],
    pref: DeliveryPreference | None,
    robots: dict[int, list[OrgChannel]],
    now: datetime,
) -> list[Delivery]:
    user: Any = notification.recipient
    targets: list[tuple[str, str, OrgChannel | None]] = []
    if Channel.EMAIL in channels and user.email:
        targets.append((Channel.EMAIL, user.email, None))
    if Channel.SMS in channels and user.phone:
        targets.append((Channel.SMS, f"user:{user.pk}", None))
    for each in robots.get(user.pk, []):
        targets.append((each.channel, each.target, each))
    rows = []
    for channel, target, robot in targets:
        row = Delivery(
            notification=notification,
            channel=channel,
            target=target,
            robot=robot,
            created_at=now,
            next_attempt_at=now,
        )
        if pref is not None and not pref.wants(channel):
            row.status = DeliveryStatus.SKIPPED
            row.last_error = _("The recipient turned this channel off.")
            row.next_attempt_at = None
        elif channel in PERSONAL_CHANNELS and pref is not None:
            if pref.digest:
                row.digest = True
                row.next_attempt_at = next_digest(pref, now)
            else:
                row.next_attempt_at = quiet_until(pref, now) or now
        rows.append(row)
    return rows


def after_notified(notification_ids: Sequence[int]) -> None:
    """The hook: plan, then queue what is due. Never raises into the caller."""
    try:
        # A savepoint: a database error here leaves any transaction around us usable.
        with transaction.atomic():
            due = plan(notification_ids)
    except Exception:
        logger.exception("planning deliveries of notifications %s failed", notification_ids[:20])
        return
    queue(due)


def queue(delivery_ids: Iterable[int]) -> None:
    for pk in delivery_ids:
        try:
            tasks.send_delivery.delay(pk)
        except Exception:
            # The row stays pending and due: the sweep queues it again.
            logger.exception("queueing delivery %s failed", pk)
