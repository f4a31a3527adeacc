"""Kinds of official documents, their states, and who may do what with them."""

from django.db import models
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from ducha.accounts.choices import LOOP_ROLES, OFFICE_ROLES, Role


class Kind(models.TextChoices):
    PROBLEM_LIST = "problem_list", _("Problem list")  # 问题清单, numbered in batches
    RECTIFICATION_LETTER = "rectification_letter", _("Rectification letter")  # 督查整改意见函
    PROMPT_LETTER = "prompt_letter", _("Prompt letter")  # 提示函
    BULLETIN = "bulletin", _("Bulletin")  # 通报, numbered in issues
    SPECIAL_REPORT = "special_report", _("Special report")  # 专报 / 专题报告
    URGE_NOTICE = "urge_notice", _("Urge notice")  # 催办通知书, one overdue problem
    NOTICE = "notice", _("Notice")  # 通知, numbered items such as discipline requirements
    REFERRAL_LETTER = "referral_letter", _("Referral letter")  # 线索移交函, one referral


class DocState(models.TextChoices):
    DRAFT = "draft", _("Draft")
    ISSUED = "issued", _("Issued")


class DocAction(models.TextChoices):
    VIEW = "view", _("View")
    DRAFT = "draft", _("Draft")
    EDIT = "edit", _("Edit draft")
    ISSUE = "issue", _("Issue")


class FileFormat(models.TextChoices):
    DOCX = "docx", _("Word (.docx)")
    XLSX = "xlsx", _("Excel (.xlsx)")


# Event actions: one row per change.
class EventAction(models.TextChoices):
    CREATED = "created", _("Draft created")
    EDITED = "edited", _("Draft edited")
    ISSUED = "issued", _("Issued")


# Who may take each action on a document they can see. Drafting, editing and issuing belong
# to the offices of the issuer's jurisdiction (and above; `DocumentQuerySet` says where);
# everyone else only reads.
DOC_ACTION_ROLES: dict[str, frozenset[str]] = {
    DocAction.VIEW: LOOP_ROLES,
    DocAction.DRAFT: OFFICE_ROLES,
    DocAction.EDIT: OFFICE_ROLES,
    DocAction.ISSUE: OFFICE_ROLES,
}

# Who reads what their jurisdiction issued without drafting it.
READER_ROLES = frozenset({Role.LEADER, Role.DISCIPLINE})

# Kinds addressed to one org (主送 one unit or office).
ADDRESSED_KINDS = frozenset(
    {Kind.RECTIFICATION_LETTER, Kind.PROMPT_LETTER, Kind.URGE_NOTICE, Kind.REFERRAL_LETTER}
)

# Kinds that come with an Excel ledger next to the Word file.
WITH_WORKBOOK = frozenset({Kind.PROBLEM_LIST})

# The series word in the document reference (发文字号 "高新督办通〔2026〕3号"), one per kind
# so that each kind is its own series. A reference is an identifier written into the issued
# record: it stays the same in every language, so these are data, not translated text.
REFERENCE_WORDS: dict[str, str] = {
    Kind.PROBLEM_LIST: "单",
    Kind.RECTIFICATION_LETTER: "函",
    Kind.PROMPT_LETTER: "提",
    Kind.BULLETIN: "通",
    Kind.SPECIAL_REPORT: "专",
    Kind.URGE_NOTICE: "催",
    Kind.NOTICE: "发",
    Kind.REFERRAL_LETTER: "移",
}

# How a number is said for kinds that count in issues or batches (第3期, 第26批).
SERIAL_PHRASES = {
    Kind.PROBLEM_LIST: pgettext_lazy("problem list batch", "Batch %(number)s"),
    Kind.BULLETIN: pgettext_lazy("bulletin issue", "Issue %(number)s"),
    Kind.SPECIAL_REPORT: pgettext_lazy("special report issue", "Issue %(number)s"),
}
