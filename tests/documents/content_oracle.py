"""Which rows of an issued document each persona reads, written from the specification, not
from the code (decision 0009).

Offices, leaders and discipline bodies read by region: a document issued in
their region or below it they read whole. Every other reader reads the rows their grants
reach: a problem located in the region of an office, leader or discipline body, or assigned
(when the document was issued) to the reader's own org. Nobody else reads the document,
administrators (三员) included.
"""

from __future__ import annotations

from dataclasses import dataclass

# The region an office, leader or discipline body reads by (world keys).
REGION_OF = {
    "county_office": "county",
    "county_leader": "county",
    "county_discipline": "county",
    "city_office": "city",
    "city_leader": "city",
    "province_office": "province",
    "province_leader": "province",
    "town_office": "town",
    "sibling_office": "sibling",
    "other_office": "other_province",
}
# The org each persona holds its role at (world keys).
ORG_OF = {
    "county_office": "county_office",
    "county_leader": "county_office",
    "county_discipline": "county_discipline",
    "city_office": "city_office",
    "city_leader": "city_office",
    "city_command": "city_command",
    "province_office": "province_office",
    "province_leader": "province_office",
    "town_office": "town_office",
    "sibling_office": "sibling_office",
    "county_handler": "county_dept",
    "market_handler": "county_market_dept",
    "sibling_handler": "sibling_dept",
    "other_office": "other_office",
}
# Region keys and the regions they lie in (self included).
INSIDE = {
    "province": {"province"},
    "city": {"city", "province"},
    "county": {"county", "city", "province"},
    "town": {"town", "county", "city", "province"},
    "sibling": {"sibling", "city", "province"},
    "other_province": {"other_province"},
}
HANDLERS = {"county_handler", "market_handler", "sibling_handler"}


@dataclass(frozen=True)
class Row:
    title: str
    region: str  # where the problem is
    unit: str | None  # the org it was assigned to when the document was issued


@dataclass(frozen=True)
class Doc:
    kind: str
    issuer_region: str
    recipient: str | None
    rows: tuple[Row, ...]


def reads_whole(persona: str, doc: Doc) -> bool:
    region = REGION_OF.get(persona)
    return region is not None and region in INSIDE[doc.issuer_region]


def reaches(persona: str, row: Row) -> bool:
    region = REGION_OF.get(persona)
    return (region is not None and region in INSIDE[row.region]) or row.unit == ORG_OF.get(persona)


def rows_read(persona: str, doc: Doc) -> set[str] | None:
    """The titles the persona reads in the document; None when it may not open it (404)."""
    if reads_whole(persona, doc):
        return {row.title for row in doc.rows}
    addressed = doc.recipient is not None and doc.recipient == ORG_OF.get(persona)
    names_unit = (
        doc.kind == "problem_list"
        and persona in HANDLERS
        and any(row.unit == ORG_OF[persona] for row in doc.rows)
    )
    if not (addressed or names_unit):
        return None
    return {row.title for row in doc.rows if reaches(persona, row)}
