"""The 复工复产 ledger: kinds and categories of enterprises, the actions on them, the needs
they report, and who may take each action (docs/resumption.md)."""

from django.db import models
from django.utils.translation import gettext_lazy as _

from ducha.accounts.choices import OFFICE_ROLES, SUPERVISOR_ROLES, Role

# An import or a list is read by people at a desk; these bound what one request may carry.
MAX_SUPPLIES = 30  # lines of supplies in one epidemic-management ledger entry
MAX_STAFF = 1_000_000  # staff of one enterprise
MAX_DAYS_OF_STOCK = 3_650


class EnterpriseKind(models.TextChoices):
    ENTERPRISE = "enterprise", _("Enterprise")
    PROJECT = "project", _("Construction project")


class Category(models.TextChoices):
    """What the seeds' offices count separately. Each enterprise has exactly one."""

    INDUSTRY_ABOVE_SCALE = "industry_above_scale", _("Industry above designated size")
    INDUSTRY_OTHER = "industry_other", _("Other industry")
    SERVICES = "services", _("Services (real estate excluded)")
    REAL_ESTATE = "real_estate", _("Real estate")
    KEY_SUPPLIES = "key_supplies", _("Key producer of epidemic-control supplies")
    CONSTRUCTION = "construction", _("Construction project")


# 工业企业: the seeds count industry as a whole and its above-scale part apart.
INDUSTRY = (Category.INDUSTRY_ABOVE_SCALE, Category.INDUSTRY_OTHER)


class Status(models.TextChoices):
    """Where an enterprise stands now (its latest status event)."""

    REGISTERED = "registered", _("Not filed")
    FILED = "filed", _("Filed")
    RESUMED = "resumed", _("Resumed")
    STOPPED = "stopped", _("Stopped again")


class EnterpriseAction(models.TextChoices):
    REGISTER = "register", _("Register")
    EDIT = "edit", _("Edit")
    # Status events (备案, 复工, 停工): dated by `on`, the day it took effect.
    FILE = "file", _("File the resumption plan")
    RESUME = "resume", _("Resume")
    STOP = "stop", _("Stop again")
    # 不在本级监管范围: listed and counted apart.
    EXCLUDE = "exclude", _("Take out of supervision")
    INCLUDE = "include", _("Bring under supervision")
    RECORD_LEDGER = "record_ledger", _("Record the epidemic-management ledger")
    REPORT_NEED = "report_need", _("Report a need")
    IMPORT = "import", _("Import")


STATUS_ACTIONS = (EnterpriseAction.FILE, EnterpriseAction.RESUME, EnterpriseAction.STOP)


class NeedKind(models.TextChoices):
    SUPPLIES = "supplies", _("Shortage of supplies")
    LABOUR = "labour", _("Labour")
    LOGISTICS = "logistics", _("Logistics")
    OTHER = "other", _("Other")


# Recording statuses and the ledger is street work as much as the office's: the office's
# staff and the unit that supervises the enterprise. Leaders and the command HQ read.
RECORDER_ROLES = OFFICE_ROLES | {Role.UNIT_HANDLER}

ACTION_ROLES: dict[str, frozenset[str]] = {
    "view": SUPERVISOR_ROLES | {Role.LEADER, Role.UNIT_HANDLER, Role.COMMAND},
    EnterpriseAction.REGISTER: OFFICE_ROLES,
    EnterpriseAction.EDIT: OFFICE_ROLES,
    EnterpriseAction.EXCLUDE: OFFICE_ROLES,
    EnterpriseAction.INCLUDE: OFFICE_ROLES,
    EnterpriseAction.FILE: RECORDER_ROLES,
    EnterpriseAction.RESUME: RECORDER_ROLES,
    EnterpriseAction.STOP: RECORDER_ROLES,
    EnterpriseAction.RECORD_LEDGER: RECORDER_ROLES,
    # A team member at the gate hears the need as well as the unit does.
    EnterpriseAction.REPORT_NEED: RECORDER_ROLES | {Role.TEAM_MEMBER},
}
