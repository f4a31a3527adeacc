"""Whose each admin row is, written from the specification, not from the admin's code.

A district administrator's jurisdiction is the region its office belongs to; a row is "own"
when it lies in that region (by the org tree's paths), "shared" when every jurisdiction uses
it (focus areas, shared checklist items and those of offices above, which apply here too),
"superuser" when it hands out rights across jurisdictions (groups), and "foreign" otherwise.
Rows of the loop (problems, field work, documents and their events) are "loop" wherever they
lie: the administrator is the system administrator, who sees none of them (三员分立).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

OWN, SHARED, FOREIGN, SUPERUSER, LOOP = "own", "shared", "foreign", "superuser", "loop"

# What never reaches a system administrator, even inside the jurisdiction.
LOOP_MODELS = {
    "problems.problem",
    "problems.problemevent",
    "fieldwork.checklistitem",
    "fieldwork.meeting",
    "fieldwork.task",
    "fieldwork.inspection",
    "fieldwork.evidence",
    "fieldwork.revisit",
    "fieldwork.fieldevent",
    "documents.document",
    "documents.documentevent",
}


def _inside(paths: Iterable[str | None], root: str) -> bool:
    return any(path and path.startswith(root) for path in paths)


def _verdict(paths: Iterable[str | None], root: str) -> str:
    return OWN if _inside(paths, root) else FOREIGN


def _team_paths(team: Any) -> list[str]:
    return [team.dispatched_by.path, *(region.path for region in team.regions.all())]


def _user_paths(user: Any) -> list[str]:
    paths = [membership.org.path for membership in user.memberships.all()]
    for team in user.teams.all():
        paths += _team_paths(team)
    return paths


def _problem(problem: Any, root: str) -> str:
    return _verdict([problem.region.path], root)


def _checklist_item(item: Any, root: str) -> str:
    office = item.office
    if office is None or root.startswith(office.parent.path):
        # The shared list and the lists of offices above apply in this jurisdiction.
        return OWN if office is not None and office.path.startswith(root) else SHARED
    return _verdict([office.path], root)


def _task(task: Any, root: str) -> str:
    secret = task.method == "unannounced" and task.state == "planned"
    if task.office.path.startswith(root):
        return OWN
    reaching = [region.path for region in task.regions.all()]
    reaching += [site.region.path for site in task.sites.all()]
    return FOREIGN if secret else _verdict(reaching, root)


def _inspection(inspection: Any, root: str) -> str:
    return _verdict([inspection.region.path], root)


def _evidence(evidence: Any, root: str) -> str:
    verdicts = []
    if evidence.inspection_id:
        verdicts.append(_inspection(evidence.inspection, root))
    if evidence.problem_id:
        verdicts.append(_problem(evidence.problem, root))
    return OWN if OWN in verdicts else FOREIGN


def _field_event(event: Any, root: str) -> str:
    verdicts = []
    for name, judge in (
        ("task", _task),
        ("inspection", _inspection),
        ("checklist_item", _checklist_item),
    ):
        if getattr(event, f"{name}_id"):
            verdicts.append(judge(getattr(event, name), root))
    if event.meeting_id:
        verdicts.append(_verdict([event.meeting.office.path], root))
    if event.revisit_id:
        verdicts.append(_problem(event.revisit.problem, root))
    return OWN if OWN in verdicts or SHARED in verdicts else FOREIGN


def _document(document: Any, root: str) -> str:
    recipient = document.recipient.path if document.recipient else None
    return _verdict([document.issuer.path, recipient], root)


ORACLE: dict[str, Callable[[Any, str], str]] = {
    "auth.group": lambda row, root: SUPERUSER,
    # Failed logins: unlocking is a superuser's until the security administrator role exists.
    "axes.accessattempt": lambda row, root: SUPERUSER,
    "problems.focusarea": lambda row, root: SHARED,
    "orgs.org": lambda row, root: _verdict([row.path], root),
    "orgs.site": lambda row, root: _verdict([row.region.path], root),
    "orgs.team": lambda row, root: _verdict(_team_paths(row), root),
    "accounts.user": lambda row, root: _verdict(_user_paths(row), root),
    "accounts.membership": lambda row, root: _verdict([row.org.path], root),
    "accounts.apitoken": lambda row, root: _verdict(_user_paths(row.user), root),
    "accounts.tokenevent": lambda row, root: _verdict(_user_paths(row.token.user), root),
    "problems.problem": _problem,
    "problems.problemevent": lambda row, root: _problem(row.problem, root),
    "fieldwork.checklistitem": _checklist_item,
    "fieldwork.meeting": lambda row, root: _verdict([row.office.path], root),
    "fieldwork.task": _task,
    "fieldwork.inspection": _inspection,
    "fieldwork.evidence": _evidence,
    "fieldwork.revisit": lambda row, root: _problem(row.problem, root),
    "fieldwork.fieldevent": _field_event,
    "documents.letterhead": lambda row, root: _verdict([row.org.path], root),
    "documents.document": _document,
    "documents.documentevent": lambda row, root: _document(row.document, root),
    "notice_delivery.orgchannel": lambda row, root: _verdict([row.org.path], root),
    "notice_delivery.delivery": lambda row, root: _verdict(
        [row.robot.org.path if row.robot else None, *_user_paths(row.notification.recipient)],
        root,
    ),
}


def verdict(model: Any, row: Any, root: str) -> str:
    label = model._meta.label_lower
    assert label in ORACLE, (
        f"{label} is registered in the admin: say in tests/admin/oracle.py whose its rows are"
    )
    judged = ORACLE[label](row, root)
    return LOOP if label in LOOP_MODELS else judged
