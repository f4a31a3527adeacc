"""What can be done with a policy, and who may do it (docs/policies.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ducha.accounts.choices import OFFICE_ROLES, Role


class PolicyAction(models.TextChoices):
    ADOPT = "adopt", _("Adopt a policy")  # 研究出台政策措施
    LINK = "link", _("Link more problems")
    ATTACH = "attach", _("Attach the issued document")


# At most this many problems are answered by one action: a kind, not a province's backlog.
MAX_PROBLEMS = 200

# Bodies that issue a policy: the command HQ itself, an office, or a region's government.
ISSUING_KINDS = ("command", "office", "region")

ACTION_ROLES: dict[str, frozenset[str]] = {
    "view": OFFICE_ROLES
    | {Role.LEADER, Role.COMMAND, Role.DISCIPLINE, Role.TEAM_MEMBER, Role.UNIT_HANDLER},
    # The command HQ answers the common problems that reach it (the loop's 建 is its too).
    PolicyAction.ADOPT: frozenset({Role.COMMAND}),
    PolicyAction.LINK: frozenset({Role.COMMAND}),
    PolicyAction.ATTACH: frozenset({Role.COMMAND}),
}
