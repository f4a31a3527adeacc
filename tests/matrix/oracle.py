"""What the permission matrix expects, written from the specification, not from the code.

Deliberately a second statement of the rules: if the implementation's tables drift, the
matrix fails.
"""

from __future__ import annotations

# Who may take each action inside their jurisdiction.
ROLE_ACTIONS: dict[str, set[str]] = {
    "office_staff": {
        "assign",
        "report_up",
        "urge",
        "verify_accept",
        "verify_reject",
        "institutionalize",
        "close_on_spot",
        "decide_dispute",
        "reopen",
        "decide_extension",
    },
    # 三员: the administrators neither see nor act in the loop (docs/security.md).
    "system_admin": set(),
    "security_admin": set(),
    "audit_admin": set(),
    "team_member": {
        "report_up",
        "urge",
        "verify_accept",
        "verify_reject",
        "close_on_spot",
        "reopen",
    },
    "unit_handler": {
        "submit_rectification",
        "institutionalize",
        "dispute",
        "sign",
        "request_extension",
    },
    "leader": {"instruct", "urge"},
    "command": {"institutionalize"},
    "discipline": set(),
}

# Each persona's role and relation to a problem located in 双桥区 ("the county").
PERSONAS: dict[str, tuple[str | None, str]] = {
    "county_office": ("office_staff", "self"),
    "county_leader": ("leader", "self"),
    "county_discipline": ("discipline", "self"),
    "county_admin": ("system_admin", "self"),
    "county_security_admin": ("security_admin", "self"),
    "county_audit_admin": ("audit_admin", "self"),
    "county_team_member": ("team_member", "self"),
    "county_handler": ("unit_handler", "self"),
    "market_handler": ("unit_handler", "self"),
    "city_office": ("office_staff", "ancestor"),
    "city_leader": ("leader", "ancestor"),
    "city_command": ("command", "ancestor"),
    "province_office": ("office_staff", "ancestor"),
    "province_leader": ("leader", "ancestor"),
    "province_team_member": ("team_member", "ancestor"),
    "town_office": ("office_staff", "descendant"),
    "sibling_office": ("office_staff", "sibling"),
    "sibling_handler": ("unit_handler", "sibling"),
    "sibling_team_member": ("team_member", "sibling"),
    "other_office": ("office_staff", "outsider"),
    "outsider": (None, "outsider"),
}


def sees(persona: str, *, assigned_to: str | None) -> bool:
    """Whether the persona may see a common problem in the county, given its unit."""
    role, relation = PERSONAS[persona]
    if role is None or relation in {"descendant", "sibling", "outsider"}:
        return False
    if role.endswith("_admin"):
        return False  # an administrator's account sees nothing of the loop
    if role == "unit_handler":
        return persona == "county_handler" and assigned_to == "county_dept"
    return True


def expected_status(persona: str, action: str, *, assigned_to: str | None) -> str:
    """'ok', 'forbidden' or 'missing' (404: never reveals a problem out of scope)."""
    if not sees(persona, assigned_to=assigned_to):
        return "missing"
    role = PERSONAS[persona][0]
    assert role is not None
    return "ok" if action in ROLE_ACTIONS[role] else "forbidden"
