"""Roles, and the sets of roles the apps' rule-books are written in (each set named once)."""

from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    OFFICE_STAFF = "office_staff", _("Office staff")
    TEAM_MEMBER = "team_member", _("Team member")
    UNIT_HANDLER = "unit_handler", _("Unit handler")
    LEADER = "leader", _("Leader")
    COMMAND = "command", _("Command HQ")
    DISCIPLINE = "discipline", _("Discipline")
    # 组织部: keeps the observations of cadres and the lists of candidates; nobody else sees them.
    ORGANISATION = "organisation", _("Organisation department")
    # 公安机关: receives the referrals addressed to it, and nothing else of the loop.
    POLICE = "police", _("Police")
    # 三员分立: three administrators, never combined in one account (docs/security.md).
    SYSTEM_ADMIN = "system_admin", _("System administrator")
    SECURITY_ADMIN = "security_admin", _("Security administrator")
    AUDIT_ADMIN = "audit_admin", _("Audit administrator")


ALL_ROLES = frozenset(Role)

# The three administrator roles (三员): an account may hold at most one of them, and nothing
# else (ducha.accounts.roles). None of them acts in, or reads, the problem loop.
ADMIN_ROLES = frozenset({Role.SYSTEM_ADMIN, Role.SECURITY_ADMIN, Role.AUDIT_ADMIN})

# The roles of the loop (problems, field work, daily cycle, documents, ledgers, dashboards):
# every role but the administrators'.
LOOP_ROLES = ALL_ROLES - ADMIN_ROLES

# The office's own work (planning, assigning, drafting, summarising): its staff.
OFFICE_ROLES = frozenset({Role.OFFICE_STAFF})

# The supervising side: the office and the teams it sends out (as against the units that are
# supervised and the leaders, command HQs and discipline bodies who read and direct).
SUPERVISOR_ROLES = OFFICE_ROLES | {Role.TEAM_MEMBER}

# Roles whose jurisdiction is the whole region subtree their org belongs to.
REGION_WIDE_ROLES = frozenset(
    {Role.OFFICE_STAFF, Role.LEADER, Role.DISCIPLINE, Role.COMMAND, Role.ORGANISATION, Role.POLICE}
    | ADMIN_ROLES
)


class SecurityEventKind(models.TextChoices):
    """What the security audit trail records (issue: 等保 2.0 安全审计). One name per kind."""

    LOGIN = "login", _("Logged in")
    LOGIN_FAILED = "login_failed", _("Failed login")
    LOGOUT = "logout", _("Logged out")
    LOCKED_OUT = "locked_out", _("Locked out")
    UNLOCKED = "unlocked", _("Unlocked")
    SESSION_EXPIRED = "session_expired", _("Session expired")
    OTP_ENROLLED = "otp_enrolled", _("Two-factor login set up")
    OTP_FAILED = "otp_failed", _("Wrong two-factor code")
    OTP_RESET = "otp_reset", _("Two-factor login reset")
    RECOVERY_CODE_USED = "recovery_code_used", _("Recovery code used")
    RECOVERY_CODES_RENEWED = "recovery_codes_renewed", _("Recovery codes renewed")
    OTP_DISABLED = "otp_disabled", _("Two-factor login turned off")
    PASSWORD_CHANGED = "password_changed", _("Password changed")
    PASSWORD_REFUSED = "password_refused", _("Password change refused")
    PASSWORD_RESET = "password_reset", _("Password reset by an administrator")
    TOKEN_ISSUED = "token_issued", _("API token issued")
    TOKEN_REVOKED = "token_revoked", _("API token revoked")
    TOKEN_NEW_ADDRESS = "token_new_address", _("API token used from a new address")
    TOKEN_REFUSED = "token_refused", _("API token refused")
    MEMBERSHIP_ADDED = "membership_added", _("Role granted")
    MEMBERSHIP_REMOVED = "membership_removed", _("Role withdrawn")
    ROLE_REFUSED = "role_refused", _("Role refused")
    PERMISSION_DENIED = "permission_denied", _("Permission denied")
    EXPORT = "export", _("Export")
    DOWNLOAD = "download", _("Download")
    ADMIN_CHANGE = "admin_change", _("Change in the administration site")
    AUDIT_READ = "audit_read", _("Audit trail read")
    # Opening a named person's accountability, commendation or cadre record.
    PERSONAL_RECORD_READ = "personal_record_read", _("Personal record read")
    AUDIT_VERIFIED = "audit_verified", _("Audit chains verified")
    BACKUP = "backup", _("Backup written")
    RESTORE = "restore", _("Backup restored")
    RESTORE_REFUSED = "restore_refused", _("Restore refused")
