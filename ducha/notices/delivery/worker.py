"""The worker's side: claim a delivery, send it, record what happened; the sweep.

Claiming is one UPDATE that moves a due `pending` row to `sending` and stamps `claimed_at`
(a compare-and-set on the status: on SQLite and PostgreSQL alike only one caller's UPDATE
matches). Nothing is sent without a committed claim, and a claimed row is never claimed
again; so a task that runs twice sends once. A row still `sending` after the lease belongs
to a worker that died mid-send: the sweep decides by channel (AT_LEAST_ONCE) whether it is
tried again or failed with that reason (docs/notifications.md, "Delivery").

Nothing here knows Celery: `tasks.py` queues what these functions say is due.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from django.conf import settings
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.notices.delivery.channels import SENDERS, Message, Permanent, Temporary
from ducha.notices.delivery.choices import Channel, DeliveryStatus
from ducha.notices.delivery.models import ERROR_LENGTH, Delivery

logger = logging.getLogger(__name__)

# The most notifications one digest lists; more wait for the next one.
DIGEST_ITEMS = 50
# The most rows one sweep hands to the queue.
SWEEP_BATCH = 1000

PENDING, SENDING = DeliveryStatus.PENDING, DeliveryStatus.SENDING


def at_least_once(channel: str) -> bool:
    """Whether a send cut off mid-way is tried again (it may then arrive twice).

    E-mail carries a fixed Message-ID that receivers may use to drop a repeat; an SMS gateway
    may be told to drop a repeated {key}. The robots take no key at all: a repeat would be a
    second message in the group, so they are at most once.
    """
    if channel == Channel.EMAIL:
        return True
    if channel == Channel.SMS:
        return bool(settings.DUCHA_SMS_GATEWAY_DEDUPLICATES)
    return False


def _due(now: datetime) -> Q:
    return Q(next_attempt_at__isnull=True) | Q(next_attempt_at__lte=now)


def claim_one(pk: int, now: datetime) -> Delivery | None:
    claimed = Delivery.objects.filter(_due(now), pk=pk, status=PENDING, digest=False).update(
        status=SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    if not claimed:
        return None
    return Delivery.objects.select_related("notification__recipient", "robot").get(pk=pk)


def claim_digest(recipient_id: int, channel: str, target: str, now: datetime) -> list[Delivery]:
    due = Delivery.objects.filter(
        _due(now),
        notification__recipient_id=recipient_id,
        channel=channel,
        target=target,
        digest=True,
        status=PENDING,
    ).order_by("pk")
    ids = list(due.values_list("pk", flat=True)[:DIGEST_ITEMS])
    Delivery.objects.filter(pk__in=ids, status=PENDING).update(
        status=SENDING, claimed_at=now, attempts=F("attempts") + 1
    )
    # Only the rows this call moved (another worker's claim carries another time).
    return list(
        Delivery.objects.filter(pk__in=ids, status=SENDING, claimed_at=now)
        .select_related("notification__recipient", "robot")
        .order_by("pk")
    )


def _address(delivery: Delivery) -> tuple[str, str]:
    """Where the message goes and the robot's secret, read at the moment of sending."""
    if delivery.channel not in settings.DUCHA_DELIVERY_CHANNELS:
        raise Permanent(_("This channel was turned off for the deployment."))
    if delivery.channel == Channel.EMAIL:
        return delivery.target, ""
    if delivery.channel == Channel.SMS:
        phone = delivery.notification.recipient.phone
        if not phone:
            raise Permanent(_("The recipient has no phone number."))
        return phone, ""
    robot = delivery.robot
    if robot is None or not robot.enabled:
        raise Permanent(_("The group robot was removed or turned off."))
    return robot.webhook_url, robot.secret


@dataclass(frozen=True)
class Outcome:
    status: str
    retry_in: float | None = None  # seconds, when the rows wait for another attempt


def send(rows: list[Delivery], message: Message, now: datetime | None = None) -> Outcome:
    """Send one message for the claimed rows (one, or a digest's) and record the outcome."""
    first = rows[0]
    try:
        target, secret = _address(first)
        SENDERS[first.channel](message, target, secret)
    except Permanent as error:
        return _fail(rows, error.reason)
    except Temporary as error:
        return _later(rows, error.reason, now)
    except Exception as error:
        logger.exception("delivery %s failed unexpectedly", first.pk)
        return _later(rows, f"{type(error).__name__}: {error}", now)
    Delivery.objects.filter(pk__in=[r.pk for r in rows], status=SENDING).update(
        status=DeliveryStatus.SENT, sent_at=timezone.now(), last_error="", next_attempt_at=None
    )
    return Outcome(DeliveryStatus.SENT)


def _reason(text: str) -> str:
    return text[:ERROR_LENGTH]


def _fail(rows: list[Delivery], reason: str) -> Outcome:
    Delivery.objects.filter(pk__in=[r.pk for r in rows], status=SENDING).update(
        status=DeliveryStatus.FAILED, last_error=_reason(reason), next_attempt_at=None
    )
    return Outcome(DeliveryStatus.FAILED)


def backoff(attempts: int) -> float:
    return float(settings.DUCHA_DELIVERY_BACKOFF_SECONDS * 2 ** max(attempts - 1, 0))


def _later(rows: list[Delivery], reason: str, now: datetime | None) -> Outcome:
    attempts = max(r.attempts for r in rows)
    if attempts >= settings.DUCHA_DELIVERY_ATTEMPTS:
        failed = _("%(reason)s (gave up after %(attempts)s attempts)") % {
            "reason": reason,
            "attempts": attempts,
        }
        return _fail(rows, failed)
    wait = backoff(attempts)
    Delivery.objects.filter(pk__in=[r.pk for r in rows], status=SENDING).update(
        status=PENDING,
        last_error=_reason(reason),
        next_attempt_at=(now or timezone.now()) + timedelta(seconds=wait),
        claimed_at=None,
    )
    return Outcome(PENDING, retry_in=wait)


def message_of(rows: list[Delivery]) -> Message:
    items = [r.notification for r in rows]
    recipient: Any = items[0].recipient
    if len(rows) == 1 and not rows[0].digest:
        return Message(f"d{rows[0].pk}", items[0].title, items, str(recipient))
    subject = _("Ducha: %(count)s notifications") % {"count": len(items)}
    return Message(f"digest{rows[0].pk}-{len(rows)}", subject, items, str(recipient))


def run_delivery(pk: int, now: datetime | None = None) -> Outcome | None:
    """The task's body: None when the row is not (or no longer) this call's to send."""
    now = now or timezone.now()
    delivery = claim_one(pk, now)
    if delivery is None:
        return None
    return send([delivery], message_of([delivery]), now)


def run_digest(
    recipient_id: int, channel: str, target: str, now: datetime | None = None
) -> Outcome | None:
    now = now or timezone.now()
    rows = claim_digest(recipient_id, channel, target, now)
    if not rows:
        return None
    return send(rows, message_of(rows), now)


@dataclass
class Sweep:
    singles: list[int]
    digests: list[tuple[int, str, str]]
    retried: int = 0
    abandoned: int = 0


def sweep(now: datetime | None = None) -> Sweep:
    """Settle claims past their lease, and say what is due (quiet hours over, retries due,
    digests due, rows whose queueing failed)."""
    now = now or timezone.now()
    lease = now - timedelta(seconds=settings.DUCHA_DELIVERY_LEASE_SECONDS)
    retried = abandoned = 0
    for channel in Channel.values:
        stuck = Delivery.objects.filter(status=SENDING, claimed_at__lt=lease, channel=channel)
        if at_least_once(channel):
            retried += stuck.filter(attempts__lt=settings.DUCHA_DELIVERY_ATTEMPTS).update(
                status=PENDING,
                next_attempt_at=now,
                claimed_at=None,
                last_error=_("The worker stopped while sending; sent again."),
            )
            reason = _("The worker stopped while sending, and the attempts ran out.")
        else:
            reason = _(
                "The worker stopped while sending: the message may or may not have arrived. "
                "Not sent again, since the receiver cannot recognise a repeat."
            )
        abandoned += stuck.update(
            status=DeliveryStatus.FAILED, last_error=_reason(reason), next_attempt_at=None
        )
    due = Delivery.objects.filter(status=PENDING, next_attempt_at__lte=now)
    singles = list(
        due.filter(digest=False).order_by("pk").values_list("pk", flat=True)[:SWEEP_BATCH]
    )
    digests = list(
        due.filter(digest=True)
        .values_list("notification__recipient_id", "channel", "target")
        .order_by("notification__recipient_id", "channel", "target")
        .distinct()[:SWEEP_BATCH]
    )
    return Sweep(singles, digests, retried, abandoned)
