"""What the field-work matrix expects, written from the specification, not from the code.

Objects under test belong to 双桥区 ("the county"): planned by the county office for the
county team, at the checkpoint in 水泉沟镇 (a town of the county). Each entry lists, per
persona, whether they see the object; roles then decide whether they may act.
"""

from __future__ import annotations

from tests.matrix.oracle import PERSONAS

# Who may take each field-work action (within what they see).
ROLE_ACTIONS: dict[str, set[str]] = {
    "office_staff": {
        "edit_checklist",
        "cancel_task",
        "join_task",
        "record_inspection",
        "record_revisit",
    },
    "system_admin": set(),
    "security_admin": set(),
    "audit_admin": set(),
    "team_member": {"record_inspection", "record_revisit"},
    "unit_handler": {"join_task"},
    "leader": set(),
    "command": set(),
    "discipline": set(),
}

COUNTY_BODIES = {"county_office", "county_leader", "county_discipline"}
ABOVE = {"city_office", "city_leader", "province_office", "province_leader"}
COUNTY_UNITS = {"county_handler", "market_handler"}

SEES: dict[str, set[str]] = {
    # An announced visit: the planner's jurisdiction and everyone whose region it enters,
    # the team sent, and the units there (who may join it). Command HQs do not plan visits.
    "task": COUNTY_BODIES | ABOVE | COUNTY_UNITS | {"county_team_member", "town_office"},
    # A planned 暗访: the planner office's own members and the team, nobody else.
    "secret_task": {"county_office", "county_leader", "county_team_member"},
    # An announced visit of the province team, planned by the province office, to the same
    # checkpoint: seen down the tree to the town, but not by the county's own team.
    "province_task": COUNTY_BODIES | ABOVE | COUNTY_UNITS | {"province_team_member", "town_office"},
    "meeting": COUNTY_BODIES | ABOVE | {"county_team_member"},
    # The county's list applies in the county and below, and is read by those above.
    "checklist_item": COUNTY_BODIES
    | ABOVE
    | COUNTY_UNITS
    | {"county_team_member", "province_team_member", "town_office"},
    # Inspections are seen by region: the checkpoint lies in the town, in the county, in the
    # city the province team covers.
    "inspection": COUNTY_BODIES
    | ABOVE
    | {"county_team_member", "province_team_member", "town_office"},
    # A revisit is seen with its problem (a county problem assigned to 卫健局), except by the
    # inspected unit before it happens: a known date would defeat the check.
    "revisit": COUNTY_BODIES | ABOVE | {"county_team_member", "province_team_member"},
    # Once it has happened, the unit sees it too.
    "revisit_done": COUNTY_BODIES
    | ABOVE
    | {"county_team_member", "province_team_member", "county_handler"},
    # A 杀回马枪 drawn by the county office, still to happen: like a secret visit, only the
    # drawing office's own members and its team (not the offices above, not the unit).
    "surprise_revisit": {"county_office", "county_leader", "county_team_member"},
}

# Editing a checklist needs the owning office's jurisdiction, not just sight of it.
CHECKLIST_OWNERS = {"county_office", "city_office", "province_office"}


# Cancelling or carrying out a visit is for the planner's jurisdiction (and the team sent);
# an office that only sees a visit into its area may join it.
PLAN_OWNERS = {
    "task": {"county_office", "city_office", "province_office"},
    "secret_task": {"county_office"},
    "province_task": {"province_office"},
}
PLAN_ACTIONS = {"cancel_task", "record_inspection"}

# The planner office takes part in its own visit already: joining it is a conflict (409).
PLANNER_STAFF = {
    "task": {"county_office"},
    "secret_task": {"county_office"},
    "province_task": {"province_office"},
}


def expected(persona: str, obj: str, action: str = "view") -> str:
    """'ok', 'forbidden' (403), 'missing' (404) or 'conflict' (409)."""
    if persona not in SEES[obj]:
        return "missing"
    if action == "view":
        return "ok"
    role = PERSONAS[persona][0]
    assert role is not None
    if action not in ROLE_ACTIONS[role]:
        return "forbidden"
    if action == "edit_checklist" and persona not in CHECKLIST_OWNERS:
        return "forbidden"
    if action in PLAN_ACTIONS and role != "team_member" and persona not in PLAN_OWNERS[obj]:
        return "forbidden"
    if action == "join_task" and persona in PLANNER_STAFF[obj]:
        return "conflict"
    return "ok"
