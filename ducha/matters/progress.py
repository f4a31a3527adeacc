"""How far each office has got with a batch: matters, signed, reported, problems closed.

Counted from the rows themselves (two grouped queries however many batches and offices),
over the handovers the reader may see, so a receiving office reads only its own line.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.db.models import Count, Q

from ducha.matters.choices import HandoverState
from ducha.matters.models import MatterHandover, MatterProblem
from ducha.problems.choices import State


@dataclass
class OfficeProgress:
    office_id: int
    office_name: str
    matters: int = 0
    signed: int = 0
    reported: int = 0
    accepted: int = 0
    problems: int = 0
    problems_closed: int = 0

    def as_dict(self) -> dict[str, Any]:
        return {
            "office": {"id": self.office_id, "name": self.office_name},
            "matters": self.matters,
            "signed": self.signed,
            "reported": self.reported,
            "accepted": self.accepted,
            "problems": self.problems,
            "problems_closed": self.problems_closed,
        }


def progress(user: Any, batch_ids: Iterable[int]) -> dict[int, list[OfficeProgress]]:
    """batch id → one line per receiving office the user may see, in tree order."""
    ids = list(batch_ids)
    handovers = MatterHandover.objects.visible_to(user).filter(matter__batch_id__in=ids)
    lines: dict[tuple[int, int], OfficeProgress] = {}
    rows = (
        handovers.order_by()
        .values("matter__batch_id", "office_id", "office__name", "office__path")
        .annotate(
            matters=Count("pk"),
            signed=Count("pk", filter=~Q(state=HandoverState.HANDED_DOWN)),
            # An accepted report was reported first: it counts in both columns.
            reported=Count(
                "pk", filter=Q(state__in=(HandoverState.REPORTED, HandoverState.ACCEPTED))
            ),
            accepted=Count("pk", filter=Q(state=HandoverState.ACCEPTED)),
        )
        .order_by("matter__batch_id", "office__tree_order")
    )
    for row in rows:
        key = (row["matter__batch_id"], row["office_id"])
        lines[key] = OfficeProgress(
            row["office_id"],
            row["office__name"],
            row["matters"],
            row["signed"],
            row["reported"],
            row["accepted"],
        )
    problems = (
        MatterProblem.objects.filter(handover__in=handovers.values("pk"))
        .order_by()
        .values("handover__matter__batch_id", "handover__office_id")
        .annotate(total=Count("pk"), closed=Count("pk", filter=Q(problem__state=State.CLOSED)))
    )
    for row in problems:
        key = (row["handover__matter__batch_id"], row["handover__office_id"])
        if key in lines:
            lines[key].problems = row["total"]
            lines[key].problems_closed = row["closed"]
    result: dict[int, list[OfficeProgress]] = {pk: [] for pk in ids}
    for (batch_id, _office), line in lines.items():
        result[batch_id].append(line)
    return result
