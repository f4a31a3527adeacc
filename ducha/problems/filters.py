"""The problem-list filters, shared by the pages and the API (each validates its own input)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.db.models import F, Q

from ducha.core.fulltext import matching
from ducha.core.scope import Grant
from ducha.core.search import TextQuery, parse_query
from ducha.orgs.choices import LEVEL_FIELDS, RegionLevel
from ducha.orgs.models import Org
from ducha.problems.choices import State
from ducha.problems.models import Problem
from ducha.problems.querysets import ProblemQuerySet, stats_line
from ducha.problems.rollups.totals import region_totals


@dataclass
class ProblemFilter:
    region: Org | None = None  # a region: its whole subtree
    state: str | None = None
    focus_area_id: int | None = None
    team_id: int | None = None
    responsible_org_id: int | None = None
    light: str | None = None  # green / yellow / red
    overdue: bool | None = None
    nature: str | None = None
    urgency: str | None = None
    text: str = ""
    # Closed after (True) or by (False) the deadline.
    closed_late: bool | None = None
    # Closed within this many hours of discovery.
    max_hours_to_close: int | None = None

    def apply(
        self,
        problems: ProblemQuerySet,
        now: Any = None,
        *,
        common: bool = False,
        query: TextQuery | None = None,
    ) -> ProblemQuerySet:
        """The filtered problems; `common`: the text is known to match more problems than
        `stats` counts (`matching(common=True)` says why that matters); `query`: the text
        as already parsed (by `listing`)."""
        if self.region is not None and self.region.level:
            field = LEVEL_FIELDS[RegionLevel(self.region.level)]
            problems = problems.filter(**{f"{field}_id": self.region.pk})
        if self.state:
            problems = problems.filter(state=self.state)
        if self.focus_area_id:
            problems = problems.filter(focus_area_id=self.focus_area_id)
        if self.team_id:
            problems = problems.filter(team_id=self.team_id)
        if self.responsible_org_id:
            problems = problems.filter(responsible_org_id=self.responsible_org_id)
        if self.nature:
            problems = problems.filter(nature=self.nature)
        if self.urgency:
            problems = problems.filter(urgency=self.urgency)
        if self.light:
            problems = problems.with_light(self.light, now)
        if self.overdue is True:
            problems = problems.overdue(now)
        elif self.overdue is False:
            problems = problems.exclude(pk__in=problems.overdue(now).values("pk"))
        if self.closed_late is not None:
            late = Q(closed_at__gt=F("deadline"))
            problems = problems.filter(late if self.closed_late else ~late, state="closed")
        if self.max_hours_to_close is not None:
            problems = problems.filter(time_to_close__lte=timedelta(hours=self.max_hours_to_close))
        if query is None:
            query = parse_query(self.text)
        if query is not None:
            problems = matching(problems, query, common=common)
        return problems

    def listing(self, user: Any) -> tuple[ProblemQuerySet, dict[str, Any], TextQuery | None]:
        """What a list shows the user: the problems, their stats line, and the query that
        found them.

        Past the cap of a search only the first `found` rows are listed, read as
        `apply(common=True)` reads them. When a search's words find nothing, its strings are
        looked for inside the stored words (`TextQuery.characters`); the count said so
        already, so that costs nothing when the words find something.
        """
        visible = Problem.objects.visible_to(user)
        query = parse_query(self.text)
        problems = self.apply(visible, query=query)
        stats = self.stats(problems, ProblemQuerySet.whole_region(user))
        if query is not None and not stats["found"] and not query.by_characters:
            query = query.characters()
            problems = self.apply(visible, query=query)
            stats = self.stats(problems)
        if stats["more"]:
            problems = self.apply(visible, common=True, query=query)
        return problems, stats, query

    def stats(self, problems: ProblemQuerySet, whole: Grant | None = None) -> dict[str, Any]:
        """The stats line of the filtered problems (bounded for a text search). `whole`: the
        region all of whose problems the caller sees, if any (`whole_region`)."""
        if self.text.strip():
            return problems.search_stats(settings.DUCHA_SEARCH_COUNT_CAP)
        scope = self._rollup_scope(whole)
        if scope is not None:
            # One row of the rollups instead of counting every problem of the region.
            return _stats_of(region_totals(problems.db, *scope), self.state)
        return problems.rectification_stats()

    def _rollup_scope(self, whole: Grant | None) -> tuple[int, int] | None:
        """(level, id) of the region whose rollup row holds the stats line; None when
        other filters narrow the problems or the caller sees more than one region's."""
        if whole is None or whole.region_level is None or whole.region_id is None:
            return None
        narrowed = (
            self.focus_area_id,
            self.team_id,
            self.responsible_org_id,
            self.light,
            self.nature,
            self.urgency,
        )
        if any(narrowed) or self.overdue is not None or self.closed_late is not None:
            return None
        if self.max_hours_to_close is not None:
            return None
        region = self.region
        if region is None or not region.level:
            return whole.region_level, whole.region_id
        if region.path.startswith(whole.region_path):
            return region.level, region.pk  # a region within the caller's: its own row
        if whole.region_path.startswith(region.path):
            return whole.region_level, whole.region_id
        return None


def _stats_of(totals: dict[str, int], state: str | None) -> dict[str, Any]:
    """The stats line of a region's problems, or of those in one state, from its totals."""
    if not state:
        counts = {
            "found": totals["found"],
            "rectified": totals[State.CLOSED],
            "disputed": totals[State.DISPUTED],
        }
    else:
        found = totals[state]
        counts = {
            "found": found,
            "rectified": found if state == State.CLOSED else 0,
            "disputed": found if state == State.DISPUTED else 0,
        }
    return stats_line(counts)
