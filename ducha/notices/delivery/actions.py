"""Every change of delivery settings: a user's preferences, an org's group robots. Atomic,
each with one row of the security audit trail (what leaves the system, and where to, is a
security matter). The pages call these; who may is their access helper's check."""

from __future__ import annotations

from datetime import time
from typing import Any

from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.http import Http404
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.accounts import audit
from ducha.accounts.choices import SecurityEventKind
from ducha.core.errors import InvalidInput
from ducha.core.text import NAME, text_error
from ducha.notices.delivery.access import administered_orgs
from ducha.notices.delivery.choices import ROBOT_CHANNELS
from ducha.notices.delivery.models import (
    SECRET_LENGTH,
    WEBHOOK_LENGTH,
    DeliveryPreference,
    OrgChannel,
)
from ducha.orgs.models import Org

_URL = URLValidator(schemes=["http", "https"])


@transaction.atomic
def do_save_preferences(
    *,
    acting_user: Any,
    email: bool,
    sms: bool,
    robots: bool,
    quiet_start: time | None,
    quiet_end: time | None,
    digest: bool,
    digest_hour: int,
) -> DeliveryPreference:
    """The acting user's own preferences (nobody sets another's)."""
    if (quiet_start is None) != (quiet_end is None):
        field = "quiet_end" if quiet_end is None else "quiet_start"
        raise InvalidInput(_("Give both ends of the quiet hours, or neither."), field)
    if isinstance(digest_hour, bool) or not isinstance(digest_hour, int):
        raise InvalidInput(_("Enter a whole number."), "digest_hour")
    if not 0 <= digest_hour <= 23:
        raise InvalidInput(_("Choose an hour from 0 to 23."), "digest_hour")
    pref, _created = DeliveryPreference.objects.select_for_update().get_or_create(user=acting_user)
    pref.email, pref.sms, pref.robots = bool(email), bool(sms), bool(robots)
    pref.quiet_start, pref.quiet_end = quiet_start, quiet_end
    pref.digest, pref.digest_hour = bool(digest), digest_hour
    pref.updated_at = timezone.now()
    pref.save()
    audit.record(
        SecurityEventKind.ADMIN_CHANGE,
        actor=acting_user,
        subject=acting_user,
        change="delivery_preferences",
        channels_off=[c for c in ("email", "sms", "robots") if not getattr(pref, c)],
        digest=pref.digest,
    )
    return pref


def _checked_url(value: str) -> str:
    value = value.strip()
    if not value:
        raise InvalidInput(_("Enter the robot's webhook address."), "webhook_url")
    if len(value) > WEBHOOK_LENGTH:
        raise InvalidInput(
            _("Ensure this value has at most %(max_length)s characters (it has %(length)s).")
            % {"max_length": WEBHOOK_LENGTH, "length": len(value)},
            "webhook_url",
        )
    try:
        _URL(value)
    except ValidationError as error:
        raise InvalidInput(_("Enter an http:// or https:// address."), "webhook_url") from error
    return value


@transaction.atomic
def do_save_org_channel(
    channel: OrgChannel | None,
    *,
    acting_user: Any,
    org: Org,
    kind: str,
    label: str,
    webhook_url: str | None,
    secret: str | None,
    include_subtree: bool,
    enabled: bool,
) -> OrgChannel:
    """Add (`channel` None) or change a group robot. `webhook_url` and `secret` None (or an
    empty address on a change) keep the stored ones: neither is ever shown back."""
    if not administered_orgs(acting_user).filter(pk=org.pk).exists():
        raise InvalidInput(_("Not found in your jurisdiction."), "org")
    if kind not in ROBOT_CHANNELS:
        raise InvalidInput(_("Choose WeCom or DingTalk."), "kind")
    label = label.strip()
    if not label:
        raise InvalidInput(_("Give the robot a name."), "label")
    if message := text_error(label, max_length=NAME, multiline=False):
        raise InvalidInput(message, "label")
    url: str | None = webhook_url or ""
    if channel is not None and not (webhook_url or "").strip():
        url = None
    if url is not None:
        url = _checked_url(url)
    if secret is not None:
        secret = secret.strip()
        if message := text_error(secret, max_length=SECRET_LENGTH, multiline=False):
            raise InvalidInput(message, "secret")
    if channel is None:
        channel = OrgChannel(org=org)
    else:
        locked = OrgChannel.objects.select_for_update().filter(pk=channel.pk).first()
        if locked is None:  # removed by another request since it was read: as missing
            raise Http404
        channel = locked
        channel.org = org
    channel.channel, channel.label = kind, label
    if url is not None:
        channel.webhook_url = url
    if secret is not None:
        channel.secret = secret
    channel.include_subtree, channel.enabled = bool(include_subtree), bool(enabled)
    channel.updated_at = timezone.now()
    channel.save()
    audit.record(
        SecurityEventKind.ADMIN_CHANGE,
        actor=acting_user,
        change="delivery_channel",
        channel=channel.pk,
        org=org.pk,
        channel_kind=kind,
        host=channel.host,
        enabled=channel.enabled,
    )
    return channel


@transaction.atomic
def do_delete_org_channel(channel: OrgChannel, *, acting_user: Any) -> None:
    audit.record(
        SecurityEventKind.ADMIN_CHANGE,
        actor=acting_user,
        change="delivery_channel_deleted",
        channel=channel.pk,
        org=channel.org_id,
    )
    channel.delete()
