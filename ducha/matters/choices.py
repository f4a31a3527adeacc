"""Matters handed down (督办事项): where a batch comes from, the states of a handover, and
who may take each action (docs/matters.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ducha.accounts.choices import OFFICE_ROLES, Role

# A batch is read by people at a desk, not imported: these bound one hand-typed list.
MAX_MATTERS = 50
MAX_OFFICES = 50
MAX_UNITS = 20


class SourceKind(models.TextChoices):
    MEETING = "meeting", pgettext_lazy("matter source", "Meeting")  # 会议 (视频会商会 …)
    INSTRUCTION = "instruction", _("Leader's instruction")  # 领导批示
    DOCUMENT = "document", _("Higher document")  # 上级文件
    OTHER = "other", _("Other")


class HandoverState(models.TextChoices):
    HANDED_DOWN = "handed_down", _("Handed down")  # 交办, waiting to be signed for
    SIGNED = "signed", _("Signed for")  # 签收
    IN_PROGRESS = "in_progress", _("In progress")  # broken down to units' problems
    REPORTED = "reported", _("Reported")  # 办结报告
    ACCEPTED = "accepted", _("Accepted")  # 核: the issuing side accepts the report


class MatterAction(models.TextChoices):
    HAND_DOWN = "hand_down", _("Hand down")
    SIGN = "sign", _("Sign for receipt")
    BREAK_DOWN = "break_down", _("Break down to units")
    REPORT = "report", _("Report completion")
    URGE = "urge", _("Urge")
    ACCEPT = "accept", _("Accept the report")


OPEN_HANDOVER_STATES = (HandoverState.HANDED_DOWN, HandoverState.SIGNED, HandoverState.IN_PROGRESS)

# Which handover states each action may start from.
ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    MatterAction.SIGN: (HandoverState.HANDED_DOWN,),
    MatterAction.BREAK_DOWN: (HandoverState.SIGNED, HandoverState.IN_PROGRESS),
    MatterAction.REPORT: (HandoverState.SIGNED, HandoverState.IN_PROGRESS),
    MatterAction.URGE: OPEN_HANDOVER_STATES,
    MatterAction.ACCEPT: (HandoverState.REPORTED,),
}

# Who may take each action; `querysets` says where (the receiving office acts on its own
# handovers, the issuing office and those above it urge).
ACTION_ROLES: dict[str, frozenset[str]] = {
    "view": OFFICE_ROLES | {Role.LEADER},
    MatterAction.HAND_DOWN: OFFICE_ROLES,
    MatterAction.SIGN: OFFICE_ROLES,
    MatterAction.BREAK_DOWN: OFFICE_ROLES,
    MatterAction.REPORT: OFFICE_ROLES,
    MatterAction.URGE: OFFICE_ROLES | {Role.LEADER},
    MatterAction.ACCEPT: OFFICE_ROLES,
}
