"""The data of a dashboard's charts: labels in the user's language, numbers from the board.

Each chart is a small structure that `static/ducha/dashboard.js` turns into an ECharts
option; every chart has a table of the same numbers beside it on the page.
"""

from __future__ import annotations

from typing import Any

from django.utils.formats import date_format
from django.utils.translation import gettext as _

from ducha.reports.dashboard import Dashboard, Line

GREEN, YELLOW, RED, BLUE, GREY = "#198754", "#ffc107", "#dc3545", "#0d6efd", "#6c757d"


def _bars(lines: list[Line], horizontal: bool = True) -> dict[str, Any]:
    return {
        "kind": "bar",
        "horizontal": horizontal,
        "categories": [line.name for line in lines],
        "series": [
            {"name": _("Rectified"), "values": [ln.counts.closed for ln in lines], "color": GREEN},
            {"name": _("Open"), "values": [ln.counts.open for ln in lines], "color": BLUE},
        ],
        "stacked": True,
    }


def chart_data(board: Dashboard) -> dict[str, Any]:
    totals = board.totals
    regions = board.regions + ([board.own_level] if board.own_level else [])
    return {
        "trend": {
            "kind": "line",
            "horizontal": False,
            "categories": [date_format(day.day, "MONTH_DAY_FORMAT") for day in board.trend],
            "series": [
                {"name": _("Found"), "values": [d.found for d in board.trend], "color": BLUE},
                {"name": _("Closed"), "values": [d.closed for d in board.trend], "color": GREEN},
            ],
            "stacked": False,
        },
        "lights": {
            "kind": "bar",
            "horizontal": True,
            "categories": [_("Open problems")],
            "series": [
                {"name": _("Green: on time"), "values": [totals.green], "color": GREEN},
                {"name": _("Yellow: deadline near"), "values": [totals.yellow], "color": YELLOW},
                {"name": _("Red: overdue"), "values": [totals.red], "color": RED},
                # No light while the office decides a dispute; the bar still adds up to open.
                {"name": _("Disputed: clock paused"), "values": [totals.disputed], "color": GREY},
            ],
            "stacked": True,
        },
        "regions": _bars(regions),
        "focus_areas": _bars(board.focus_areas),
    }
