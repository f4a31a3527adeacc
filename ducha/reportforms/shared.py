"""Figures the platform already holds, which a form's item may be served from (数据共享).

An item whose `shared_figure` names one of these is never asked of the grassroots: the
analyser lists it as held already, and a form served from shared data is produced from these
figures for each village, community, town or street of the jurisdiction.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


@dataclass(frozen=True)
class SharedFigure:
    key: str
    label: str | Promise


FIGURES: dict[str, SharedFigure] = {
    figure.key: figure
    for figure in (
        SharedFigure("problems_found", _("Problems found")),
        SharedFigure("problems_rectified", _("Problems rectified")),
        SharedFigure("problems_open", _("Problems not yet rectified")),
        SharedFigure("inspections", _("Inspections made")),
        SharedFigure("enterprises", _("Enterprises in the ledger")),
        SharedFigure("enterprises_filed", _("Enterprises that filed a resumption plan")),
        SharedFigure("enterprises_resumed", _("Enterprises resumed")),
        SharedFigure("staff_screened", _("Enterprise staff screened")),
    )
}
