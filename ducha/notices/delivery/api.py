"""Delivery settings and log over JSON: the caller's own preferences; the group robots of the
orgs the caller administers, and their delivery log. A thin adapter over the pages' actions
and access helpers, so that both refuse the same input the same way (decision 0015): a robot
out of reach answers 404, a role that sets up no robots 403 (as the pages).

Runtime annotations (no `from __future__ import annotations`): ninja reads each endpoint's
body schema from its signature.
"""

from datetime import datetime, time
from typing import Annotated, Any, Literal

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import AfterValidator, StringConstraints, field_validator

from ducha.accounts.auth import caller
from ducha.core.errors import InvalidInput
from ducha.core.schemas import (
    READ_ERRORS,
    WRITE_ERRORS,
    Body,
    ErrorOut,
    PageOut,
    PageQuery,
    Ref,
)
from ducha.core.text import Name, text_error
from ducha.notices.delivery.access import (
    access_channel,
    administered_orgs,
    channels_of,
    log_of,
    require_administrator,
)
from ducha.notices.delivery.actions import (
    do_delete_org_channel,
    do_save_org_channel,
    do_save_preferences,
)
from ducha.notices.delivery.choices import DeliveryStatus
from ducha.notices.delivery.models import (
    SECRET_LENGTH,
    WEBHOOK_LENGTH,
    Delivery,
    DeliveryPreference,
    OrgChannel,
)
from ducha.notices.delivery.planning import enabled_channels
from ducha.orgs.models import Org

router = Router(tags=["delivery"])

# The administrators' lists answer 403 to a role that sets up no robots.
ADMIN_READ_ERRORS: dict[int, Any] = {**READ_ERRORS, 403: ErrorOut}

RobotKind = Literal["wecom", "dingtalk"]
# Channel's values, spelt out so that the schema's name stays unique in the OpenAPI document
# (tests/delivery/test_api.py holds them equal).
ChannelKind = Literal["email", "sms", "wecom", "dingtalk"]


def _one_line(max_length: int) -> AfterValidator:
    def check(value: str) -> str:
        if message := text_error(value, max_length=max_length, multiline=False):
            raise ValueError(message)
        return value

    return AfterValidator(check)


# Bounded as the model's columns; whether an address is http(s) is the action's to say.
WebhookUrl = Annotated[str, StringConstraints(max_length=WEBHOOK_LENGTH), _one_line(WEBHOOK_LENGTH)]
Secret = Annotated[str, StringConstraints(max_length=SECRET_LENGTH), _one_line(SECRET_LENGTH)]


class DeliveryPreferencesOut(Schema):
    email: bool
    sms: bool
    robots: bool
    quiet_start: time | None
    quiet_end: time | None
    digest: bool
    digest_hour: int
    # The channels this deployment sends through (DUCHA_DELIVERY_CHANNELS).
    channels: list[str]


class DeliveryPreferencesIn(Body):
    email: bool
    sms: bool
    robots: bool
    quiet_start: time | None = None
    quiet_end: time | None = None
    digest: bool = False
    # Bounded by the action, so that the API says what the page says (0 to 23).
    digest_hour: int = 8

    @field_validator("quiet_start", "quiet_end")
    @classmethod
    def _local(cls, value: time | None) -> time | None:
        # Quiet hours are local time (settings.TIME_ZONE); an offset would be silently lost.
        if value is not None and value.tzinfo is not None:
            raise ValueError(_("Enter a valid time."))
        return value


class DeliveryChannelOut(Schema):
    id: int
    org: Ref
    kind: str
    kind_label: str
    label: str
    # Only the host: the address holds the robot's access key, and is never shown again.
    host: str
    include_subtree: bool
    enabled: bool
    created_at: datetime
    updated_at: datetime


class DeliveryChannelCreate(Body):
    org: int
    kind: RobotKind
    label: Name
    webhook_url: WebhookUrl
    secret: Secret = ""
    include_subtree: bool = False
    enabled: bool = True


class DeliveryChannelUpdate(Body):
    """A whole robot, as the page's form; `webhook_url` and `secret` left out (or null, or an
    empty address) keep the stored ones."""

    org: int
    kind: RobotKind
    label: Name
    webhook_url: WebhookUrl | None = None
    secret: Secret | None = None
    include_subtree: bool = False
    enabled: bool = True


class DeliveryRobotRef(Schema):
    id: int
    label: str


class DeliveryLogItem(Schema):
    id: int
    created_at: datetime
    recipient: Ref
    # What kind of notification, never its text: that stays in the recipient's inbox.
    kind: str
    kind_label: str
    channel: str
    channel_label: str
    robot: DeliveryRobotRef | None
    status: str
    status_label: str
    digest: bool
    attempts: int
    next_attempt_at: datetime | None
    sent_at: datetime | None
    last_error: str


class DeliveryLogPage(PageOut):
    items: list[DeliveryLogItem]


class DeliveryLogQuery(PageQuery):
    status: DeliveryStatus | None = None
    channel: ChannelKind | None = None
    robot: int | None = None


def _preferences(pref: DeliveryPreference) -> dict[str, Any]:
    return {
        "email": pref.email,
        "sms": pref.sms,
        "robots": pref.robots,
        "quiet_start": pref.quiet_start,
        "quiet_end": pref.quiet_end,
        "digest": pref.digest,
        "digest_hour": pref.digest_hour,
        "channels": enabled_channels(),
    }


def _channel(robot: OrgChannel) -> dict[str, Any]:
    return {
        "id": robot.pk,
        "org": {"id": robot.org_id, "name": robot.org.name},
        "kind": robot.channel,
        "kind_label": str(robot.get_channel_display()),
        "label": robot.label,
        "host": robot.host,
        "include_subtree": robot.include_subtree,
        "enabled": robot.enabled,
        "created_at": robot.created_at,
        "updated_at": robot.updated_at,
    }


def _administrator(request: HttpRequest) -> Any:
    return require_administrator(caller(request))


def _org(user: Any, pk: int) -> Org:
    # Out of reach and missing alike: the action's own words, on the same field.
    org = administered_orgs(user).filter(pk=pk).first()
    if org is None:
        raise InvalidInput(_("Not found in your jurisdiction."), "org")
    return org


@router.get("/delivery/preferences", response={200: DeliveryPreferencesOut, **READ_ERRORS})
def get_preferences(request: HttpRequest) -> dict[str, Any]:
    """The caller's own delivery preferences (the defaults while none are saved)."""
    user = caller(request)
    pref = DeliveryPreference.objects.filter(user=user).first() or DeliveryPreference()
    return _preferences(pref)


@router.put("/delivery/preferences", response={200: DeliveryPreferencesOut, **WRITE_ERRORS})
def put_preferences(request: HttpRequest, payload: DeliveryPreferencesIn) -> dict[str, Any]:
    """Replace the caller's own preferences: opt-outs per channel, quiet hours (both ends or
    neither, local time, may span midnight), one daily digest at `digest_hour`."""
    user = caller(request)
    pref = do_save_preferences(acting_user=user, **payload.model_dump())
    return _preferences(pref)


@router.get("/delivery/channels", response={200: list[DeliveryChannelOut], **ADMIN_READ_ERRORS})
def list_channels(request: HttpRequest) -> Any:
    """The group robots of the orgs the caller administers (office staff and system
    administrators; anyone else 403)."""
    user = _administrator(request)
    return [_channel(robot) for robot in channels_of(user).order_by("org__path", "pk")]


@router.post("/delivery/channels", response={201: DeliveryChannelOut, **WRITE_ERRORS})
def create_channel(request: HttpRequest, payload: DeliveryChannelCreate) -> Status[Any]:
    """Add a group robot to an administered org. The address and the secret are stored
    encrypted and never answered back."""
    user = _administrator(request)
    robot = do_save_org_channel(
        None,
        acting_user=user,
        org=_org(user, payload.org),
        kind=payload.kind,
        label=payload.label,
        webhook_url=payload.webhook_url,
        secret=payload.secret,
        include_subtree=payload.include_subtree,
        enabled=payload.enabled,
    )
    return Status(201, _channel(robot))


@router.get("/delivery/channels/{channel_id}", response={200: DeliveryChannelOut, **READ_ERRORS})
def get_channel(request: HttpRequest, channel_id: int) -> dict[str, Any]:
    return _channel(access_channel(caller(request), channel_id))


@router.put("/delivery/channels/{channel_id}", response={200: DeliveryChannelOut, **WRITE_ERRORS})
def put_channel(
    request: HttpRequest, channel_id: int, payload: DeliveryChannelUpdate
) -> dict[str, Any]:
    """Change a group robot; leaving out `webhook_url` or `secret` keeps the stored one."""
    user = caller(request)
    robot = access_channel(user, channel_id)
    robot = do_save_org_channel(
        robot,
        acting_user=user,
        org=_org(user, payload.org),
        kind=payload.kind,
        label=payload.label,
        webhook_url=payload.webhook_url,
        # An empty secret keeps the stored one, as the page's empty password field does.
        secret=payload.secret or None,
        include_subtree=payload.include_subtree,
        enabled=payload.enabled,
    )
    return _channel(robot)


@router.delete("/delivery/channels/{channel_id}", response={204: None, **WRITE_ERRORS})
def delete_channel(request: HttpRequest, channel_id: int) -> Status[None]:
    user = caller(request)
    do_delete_org_channel(access_channel(user, channel_id), acting_user=user)
    return Status(204, None)


def _log_item(row: Delivery) -> dict[str, Any]:
    notification = row.notification
    return {
        "id": row.pk,
        "created_at": row.created_at,
        "recipient": {"id": notification.recipient_id, "name": str(notification.recipient)},
        "kind": notification.kind,
        "kind_label": str(notification.get_kind_display()),
        "channel": row.channel,
        "channel_label": str(row.get_channel_display()),
        "robot": None if row.robot is None else {"id": row.robot.pk, "label": row.robot.label},
        "status": row.status,
        "status_label": str(row.get_status_display()),
        "digest": row.digest,
        "attempts": row.attempts,
        "next_attempt_at": row.next_attempt_at,
        "sent_at": row.sent_at,
        "last_error": row.last_error,
    }


@router.get("/delivery/log", response={200: DeliveryLogPage, **ADMIN_READ_ERRORS})
def delivery_log(request: HttpRequest, filters: Query[DeliveryLogQuery]) -> dict[str, Any]:
    """What left for the administered orgs (through their robots, or to their members), and
    why not; newest first. Filter by `status`, by `channel`, or by one `robot`."""
    user = _administrator(request)
    rows = log_of(user)
    if filters.status is not None:
        rows = rows.filter(status=filters.status)
    if filters.channel is not None:
        rows = rows.filter(channel=filters.channel)
    if filters.robot is not None:
        rows = rows.filter(robot_id=filters.robot)
    rows = rows.select_related("notification__recipient", "robot").order_by("-created_at", "-pk")
    page = rows[filters.offset : filters.offset + filters.page_size]
    return {
        "count": rows.count(),
        "page": filters.page,
        "page_size": filters.page_size,
        "items": [_log_item(row) for row in page],
    }
