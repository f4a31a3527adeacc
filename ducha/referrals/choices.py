"""States and actions of a referral (线索移交), and who may take each action."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ducha.accounts.choices import Role


class ReferralState(models.TextChoices):
    REFERRED = "referred", _("Referred")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    CONCLUDED = "concluded", _("Concluded")


class ReferralAction(models.TextChoices):
    REFER = "refer", _("Refer")
    ACCEPT = "accept", _("Accept")
    DECLINE = "decline", _("Decline")
    CONCLUDE = "conclude", _("Record the outcome")


# The states an action may start from.
ALLOWED_FROM: dict[str, frozenset[str]] = {
    ReferralAction.ACCEPT: frozenset({ReferralState.REFERRED}),
    ReferralAction.DECLINE: frozenset({ReferralState.REFERRED}),
    ReferralAction.CONCLUDE: frozenset({ReferralState.ACCEPTED}),
}

# The office refers; the receiving body (discipline or police) decides and concludes.
RECEIVER_ROLES = frozenset({Role.DISCIPLINE, Role.POLICE})
ACTION_ROLES: dict[str, frozenset[str]] = {
    # The referring side (offices and their leaders) and the receiving side read referrals.
    "view": frozenset({Role.OFFICE_STAFF, Role.LEADER}) | RECEIVER_ROLES,
    ReferralAction.REFER: frozenset({Role.OFFICE_STAFF}),
    ReferralAction.ACCEPT: RECEIVER_ROLES,
    ReferralAction.DECLINE: RECEIVER_ROLES,
    ReferralAction.CONCLUDE: RECEIVER_ROLES,
}

# The receiver's decision and its outcome come only from the receiving body itself.
RECEIVER_ACTIONS = (ReferralAction.ACCEPT, ReferralAction.DECLINE, ReferralAction.CONCLUDE)

# Evidence files handed over with one referral.
MAX_EVIDENCE = 20
