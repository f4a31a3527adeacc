"""States, actions and the transition table of the problem loop (交呈批督改核建)."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ducha.accounts.choices import LOOP_ROLES, OFFICE_ROLES, SUPERVISOR_ROLES, Role


class State(models.TextChoices):
    NEW = "new", _("New")  # found, not yet assigned
    ASSIGNED = "assigned", _("Assigned")  # 交办: the unit must rectify
    # 有异议: the unit contests the assignment. Not 退回, which in office usage is sending a
    # document back for correction. Every page names the states by these labels.
    DISPUTED = "disputed", _("Disputed")
    RECTIFIED = "rectified", _("Awaiting verification")  # 整改反馈: awaiting 核
    CLOSED = "closed", _("Closed")  # 销号


OPEN_STATES = (State.NEW, State.ASSIGNED, State.DISPUTED, State.RECTIFIED)
# The open states whose clock runs. While a dispute (有异议) awaits the office's decision the
# time is the office's, not the unit's: no light, not overdue, and the wait is added to the
# deadline when the office decides (docs/decisions/0018-dispute-clock.md).
CLOCKED_STATES = (State.NEW, State.ASSIGNED, State.RECTIFIED)


class Action(models.TextChoices):
    CREATE = "create", _("Record")
    ASSIGN = "assign", _("Assign")  # 交
    REPORT_UP = "report_up", _("Report up")  # 呈
    INSTRUCT = "instruct", _("Instruct")  # 批
    URGE = "urge", _("Urge")  # 督
    SUBMIT_RECTIFICATION = "submit_rectification", _("Submit rectification")  # 改
    VERIFY_ACCEPT = "verify_accept", _("Verify: accept")  # 核 → 销号
    VERIFY_REJECT = "verify_reject", _("Verify: reject")  # 核 → back to the unit
    INSTITUTIONALIZE = "institutionalize", _("Institutionalize")  # 建
    CLOSE_ON_SPOT = "close_on_spot", _("Rectified on the spot")  # 立行立改
    DISPUTE = "dispute", _("Dispute assignment")  # 提出异议
    DECIDE_DISPUTE = "decide_dispute", _("Decide dispute")
    REOPEN = "reopen", _("Reopen")
    SIGN = "sign", _("Sign for receipt")  # 签收
    REQUEST_EXTENSION = "request_extension", _("Request an extension")  # 延期申请
    DECIDE_EXTENSION = "decide_extension", _("Decide extension")  # 延期审批
    ESCALATE = "escalate", _("Escalate")  # 升级: taken by the system on the ladder


class Urgency(models.TextChoices):
    NORMAL = "normal", _("Normal")
    URGENT = "urgent", _("Urgent")


class Nature(models.TextChoices):
    INDIVIDUAL = "individual", _("Individual")
    COMMON = "common", _("Common")


class TrafficLight(models.TextChoices):
    GREEN = "green", _("Green")
    YELLOW = "yellow", _("Yellow")
    RED = "red", _("Red")


class ChaseStepKind(models.TextChoices):
    """The steps of the escalation ladder, in the order a problem meets them."""

    UNSIGNED = "unsigned", _("Not signed for")  # 签收提醒
    YELLOW = "yellow", _("Deadline near")  # 黄灯提醒
    OVERDUE = "overdue", _("Overdue")  # 催办
    ESCALATE = "escalate", pgettext_lazy("ladder step", "Escalated")  # 升级


class PhotoStage(models.TextChoices):
    """What a rectification report's photo shows, chosen when it is uploaded: the verifier
    compares the two (整改前 / 整改后)."""

    BEFORE = "before", _("Before rectification")
    AFTER = "after", _("After rectification")


class DisputeDecision(models.TextChoices):
    UPHOLD = "uphold", _("Uphold: the unit keeps it")
    REASSIGN = "reassign", _("Reassign to another unit")


class ExtensionDecision(models.TextChoices):
    APPROVE = "approve", _("Approve the extension")
    REFUSE = "refuse", _("Refuse the extension")


# Which states each action may start from. Actions that leave the state alone list
# the states in which they make sense.
ALLOWED_FROM: dict[str, tuple[str, ...]] = {
    Action.ASSIGN: (State.NEW,),
    Action.REPORT_UP: OPEN_STATES,
    Action.INSTRUCT: (*OPEN_STATES, State.CLOSED),
    Action.URGE: (State.ASSIGNED, State.DISPUTED, State.RECTIFIED),
    Action.SUBMIT_RECTIFICATION: (State.ASSIGNED,),
    Action.VERIFY_ACCEPT: (State.RECTIFIED,),
    Action.VERIFY_REJECT: (State.RECTIFIED,),
    Action.INSTITUTIONALIZE: (*OPEN_STATES, State.CLOSED),
    Action.CLOSE_ON_SPOT: (State.NEW,),
    Action.DISPUTE: (State.ASSIGNED,),
    Action.DECIDE_DISPUTE: (State.DISPUTED,),
    Action.REOPEN: (State.CLOSED,),
    Action.SIGN: (State.ASSIGNED,),
    Action.REQUEST_EXTENSION: (State.ASSIGNED,),
    Action.DECIDE_EXTENSION: (State.ASSIGNED, State.RECTIFIED),
    Action.ESCALATE: (State.ASSIGNED, State.RECTIFIED),
}

# Who may take each action (within their jurisdiction; `ProblemQuerySet` says where).
ACTION_ROLES: dict[str, frozenset[str]] = {
    "view": LOOP_ROLES,
    Action.CREATE: SUPERVISOR_ROLES,
    Action.ASSIGN: OFFICE_ROLES,
    Action.REPORT_UP: SUPERVISOR_ROLES,
    Action.INSTRUCT: frozenset({Role.LEADER}),
    Action.URGE: SUPERVISOR_ROLES | {Role.LEADER},
    Action.SUBMIT_RECTIFICATION: frozenset({Role.UNIT_HANDLER}),
    Action.VERIFY_ACCEPT: SUPERVISOR_ROLES,
    Action.VERIFY_REJECT: SUPERVISOR_ROLES,
    Action.INSTITUTIONALIZE: OFFICE_ROLES | {Role.UNIT_HANDLER, Role.COMMAND},
    Action.CLOSE_ON_SPOT: SUPERVISOR_ROLES,
    Action.DISPUTE: frozenset({Role.UNIT_HANDLER}),
    Action.DECIDE_DISPUTE: OFFICE_ROLES,
    Action.REOPEN: SUPERVISOR_ROLES,
    Action.SIGN: frozenset({Role.UNIT_HANDLER}),
    Action.REQUEST_EXTENSION: frozenset({Role.UNIT_HANDLER}),
    Action.DECIDE_EXTENSION: OFFICE_ROLES,
    # Nobody takes it by hand: the escalation ladder acts as the system.
    Action.ESCALATE: frozenset(),
}
