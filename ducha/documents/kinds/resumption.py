"""What a bulletin says of 复工复产: the jurisdiction's filing and resumption rates as of the
bulletin's day, by category, counted from the ledger (ducha.resumption.figures) when drafted
and said again from the stored figures. A jurisdiction without enterprises has no section."""

from __future__ import annotations

from datetime import date
from typing import Any

from django.utils.translation import gettext as _

from ducha.documents.kinds.common import Block, Headings, paragraph
from ducha.orgs.models import Org
from ducha.resumption.figures import stated, stored_rows, stored_sentences


def resumption_data(region: Org, as_of: date) -> dict[str, Any]:
    """{"resumption": figures} for a region with enterprises in the ledger; {} otherwise."""
    found = stated(region, as_of)
    return {} if found is None else {"resumption": found}


def resumption_blocks(data: dict[str, Any], heading: Headings) -> list[Block]:
    found = data.get("resumption")
    if not found:
        return []  # no enterprises, or drafted before these figures were stated
    blocks = [heading(1, _("Resumption of work and production"))]
    lines = stored_sentences(found, where=found["where"])
    if not lines:
        lines = [_("No enterprise of the ledger had been registered by that day.")]
    blocks += [paragraph(line) for line in lines]
    rows = [
        [
            row.label,
            str(row.total),
            str(row.filed),
            f"{row.filing_rate}%",
            str(row.resumed),
            f"{row.resumption_rate}%",
        ]
        for row in stored_rows(found)
    ]
    if rows:
        blocks.append(
            Block(
                "table",
                header=[
                    _("Category"),
                    _("Total"),
                    _("Filed"),
                    _("Filing rate"),
                    _("Resumed"),
                    _("Resumption rate"),
                ],
                rows=rows,
                widths=[46, 20, 20, 25, 20, 25],
            )
        )
    return blocks
