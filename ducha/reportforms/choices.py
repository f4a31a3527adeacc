"""报表精简: the forms the grassroots fill, the office's decision on each, and who may do what
(docs/reportforms.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ducha.accounts.choices import OFFICE_ROLES, Role

# A form is read and filled on a phone: these bound one form and one request.
MAX_ITEMS = 200  # items of one form
MAX_MINUTES = 600  # the estimated time to fill one form once
MAX_CHOICES = 50  # options of one choice item


class Frequency(models.TextChoices):
    DAILY = "daily", _("Daily")
    WEEKLY = "weekly", _("Weekly")
    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")


# How many times a form is filled per day, on average: the burden per day.
FILLS_PER_DAY = {
    Frequency.DAILY: 1.0,
    Frequency.WEEKLY: 1 / 7,
    Frequency.MONTHLY: 1 / 30,
    Frequency.QUARTERLY: 1 / 91,
}


class Decision(models.TextChoices):
    PENDING = "pending", _("Not decided")
    KEEP = "keep", _("Keep")
    DROP = "drop", _("Drop")
    # Merged into another kept form: filled once with it (一表通).
    MERGE = "merge", _("Merge into another form")
    # Produced from what the platform already holds: nobody fills it.
    SHARED = "shared", _("Serve from shared data")


# What the grassroots still fill after the decisions.
STILL_FILLED = (Decision.PENDING, Decision.KEEP)


class ItemKind(models.TextChoices):
    INTEGER = "integer", _("Whole number")
    DECIMAL = "decimal", _("Number")
    TEXT = "text", _("Text")
    YES_NO = "yes_no", _("Yes or no")
    DATE = "date", _("Date")
    CHOICE = "choice", _("Choice")


class FormAction(models.TextChoices):
    REGISTER = "register", _("Register")
    EDIT = "edit", _("Edit")
    DECIDE = "decide", _("Decide")
    FILL = "fill", _("Fill")


# Who may take each action; `querysets` says where.
ACTION_ROLES: dict[str, frozenset[str]] = {
    "view": OFFICE_ROLES | {Role.LEADER, Role.COMMAND, Role.UNIT_HANDLER},
    FormAction.REGISTER: OFFICE_ROLES,
    FormAction.EDIT: OFFICE_ROLES,
    FormAction.DECIDE: OFFICE_ROLES,
    # A village or community committee's handler fills the collection form.
    FormAction.FILL: frozenset({Role.UNIT_HANDLER}),
}
