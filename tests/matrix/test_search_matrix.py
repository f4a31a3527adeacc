"""Every persona searches, over the API and the page, for words that a county problem, a
county inspection, an issued county bulletin and a draft all hold: each finds and counts
exactly what the oracles of those objects say it sees (docs/search.md)."""

from __future__ import annotations

import re

import pytest

from ducha.documents import actions as document_actions
from tests.documents.matrix_oracle import SEES as DOCUMENT_SEES
from tests.matrix.fieldwork_oracle import SEES as FIELD_SEES
from tests.matrix.harness import check_each
from tests.matrix.oracle import PERSONAS, sees
from tests.search.helpers import visit

pytestmark = pytest.mark.django_db

WORDS = "冷链仓库"


def county_rows(world) -> dict[str, int]:
    # A common problem, as the problems' oracle states sight of it.
    problem = world.assigned(title="冷链仓库消杀记录缺失", nature="common")
    inspection = visit(world, "冷链仓库未消杀")
    office = world.users["county_office"]

    def bulletin(title: str):
        return document_actions.do_create_draft(
            acting_user=office,
            kind="bulletin",
            issuer=world.orgs["county_office"],
            params={},
            title=title,
        )

    issued = document_actions.do_issue_document(bulletin("关于冷链仓库的通报"), acting_user=office)
    bulletin("关于冷链仓库的通报（草稿）")
    # The neighbour's problem with the same words: never found nor counted by the county.
    world.problem(by="sibling_office", region="sibling", title="冷链仓库消杀记录缺失")
    return {"problems": problem.pk, "inspections": inspection.pk, "documents": issued.pk}


def expected(rows: dict[str, int], persona: str) -> dict[str, list[int]]:
    # The sibling office and those above both counties see the neighbour's problem too.
    shown = {
        "problems": sees(persona, assigned_to="county_dept"),
        "inspections": persona in FIELD_SEES["inspection"],
        "documents": persona in DOCUMENT_SEES["bulletin"],
    }
    return {kind: [rows[kind]] if shown[kind] else [] for kind in rows}


# The neighbour's (individual, unassigned) problem: its office and team, and the offices,
# leaders and stationed team above both counties.
NEIGHBOUR_SEEN_BY = {
    "sibling_office",
    "sibling_team_member",
    "city_office",
    "city_leader",
    "province_office",
    "province_leader",
    "province_team_member",
}


def sees_the_neighbour(persona: str) -> bool:
    return persona in NEIGHBOUR_SEEN_BY


def test_the_api_finds_and_counts_what_each_persona_sees(world):
    rows = county_rows(world)

    def observe(client):
        response = client.get("/api/v1/search", {"q": WORDS})
        assert response.status_code == 200
        sections = {s["kind"]: s for s in response.json()["sections"]}
        return {
            kind: [item["id"] for item in sections[kind]["items"] if item["id"] == rows[kind]]
            for kind in rows
        } | {
            "counted": {kind: sections[kind]["count"] for kind in rows},
        }

    def want(persona):
        found = expected(rows, persona)
        counted = {kind: len(ids) for kind, ids in found.items()}
        if sees_the_neighbour(persona):
            counted["problems"] += 1
        return found | {"counted": counted}

    check_each(world, observe, want, personas=PERSONAS)


def test_the_page_counts_what_each_persona_sees(world):
    rows = county_rows(world)

    def observe(client):
        response = client.get("/search/", {"q": WORDS})
        assert response.status_code == 200
        page = response.content.decode()
        return {
            kind: int(count)
            for kind, count in re.findall(r'data-kind="(\w+)" data-count="(\d+)"', page)
        }

    def want(persona):
        counted = {kind: len(ids) for kind, ids in expected(rows, persona).items()}
        if sees_the_neighbour(persona):
            counted["problems"] += 1
        return counted

    check_each(world, observe, want, personas=PERSONAS)
