"""Suggestions (意见建议): their states, the actions on them, and who may take each action
(docs/suggestions.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ducha.accounts.choices import OFFICE_ROLES, SUPERVISOR_ROLES, Role
from ducha.orgs.choices import OrgKind

# One suggestion is read by people at a desk: these bound what it may link to.
MAX_PROBLEMS = 20
MAX_RULES = 20

# What a suggestion may be addressed to: a unit or department, an office or a command HQ.
RECEIVER_KINDS = (OrgKind.DEPARTMENT, OrgKind.ENTERPRISE, OrgKind.OFFICE, OrgKind.COMMAND)


class SuggestionState(models.TextChoices):
    MADE = "made", _("Waiting for a response")
    ADOPTED = "adopted", _("Adopted")
    PARTLY_ADOPTED = "partly_adopted", _("Partly adopted")
    DECLINED = "declined", _("Declined")


class SuggestionAction(models.TextChoices):
    SUGGEST = "suggest", _("Make a suggestion")
    RESPOND = "respond", _("Respond")
    CITE = "cite", _("Cite in a lasting rule")


RESPONSES = (SuggestionState.ADOPTED, SuggestionState.PARTLY_ADOPTED, SuggestionState.DECLINED)
# Responses that must say why (what is left out, or why none of it is taken).
EXPLAINED = (SuggestionState.PARTLY_ADOPTED, SuggestionState.DECLINED)
# Taken up, wholly or in part: what counts towards the adoption rate, and what a lasting
# rule may cite.
TAKEN_UP = (SuggestionState.ADOPTED, SuggestionState.PARTLY_ADOPTED)

RESPONDER_ROLES = OFFICE_ROLES | {Role.UNIT_HANDLER, Role.COMMAND}

# Who may take each action; `querysets` says where (the receiver's own users respond).
ACTION_ROLES: dict[str, frozenset[str]] = {
    "view": SUPERVISOR_ROLES | {Role.LEADER, Role.UNIT_HANDLER, Role.COMMAND},
    SuggestionAction.SUGGEST: SUPERVISOR_ROLES,
    SuggestionAction.RESPOND: RESPONDER_ROLES,
}
