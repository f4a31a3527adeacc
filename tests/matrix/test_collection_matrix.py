"""Every persona × action on a collection form (一表通), over the API, against an oracle written
from docs/collection-forms.md: the committees of the county's villages fill the kept form;
each department reads its own form's view, the offices, leaders and command HQs of the
county and above read every view; nobody else learns that the forms exist."""

from __future__ import annotations

from typing import Any

import pytest
from django.utils import timezone

from ducha.reportforms.models import FormReturn, ReportForm
from tests.matrix.harness import Endpoint, check_matrix
from tests.matrix.oracle import PERSONAS
from tests.reportforms.collection_world import make_form

# The villages of 水泉沟镇 and of the neighbouring county, each with its committee's handler.
pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("villages")]

COMMITTEES = {"village_handler", "village2_handler"}
EVERYONE = [*PERSONAS, *COMMITTEES, "sibling_village_handler"]
READERS = {
    "county_office",
    "city_office",
    "province_office",
    "county_leader",
    "city_leader",
    "province_leader",
    "city_command",
}


def pair(world) -> dict[str, ReportForm]:
    """A kept form of 卫健局 and a form of 市场监管局 merged into it, numbered afresh."""
    number = ReportForm.objects.count() + 1
    health = make_form(
        world,
        number=number,
        name=f"健康监测日报表{number}",
        department="county_dept",
        items=[{"label": "返乡人数", "key": "returnees", "kind": "integer"}],
    )
    market = make_form(
        world,
        number=number + 1,
        name=f"市场排查日报表{number}",
        department="county_market_dept",
        decision="merge",
        merged_into=health,
        items=[{"label": "返乡人员", "key": "returnees", "kind": "integer"}],
    )
    return {"health": health, "market": market}


def filling(persona: str, _forms: Any) -> str:
    if persona in COMMITTEES:
        return "ok"
    # Those who read the kept form may not fill it; the rest do not learn it exists.
    return "forbidden" if persona in READERS | {"county_handler"} else "missing"


def view_of(form: str):
    department = {"health": "county_handler", "market": "market_handler"}[form]

    def _view(persona: str, _forms: Any) -> str:
        if persona in READERS or persona == department:
            return "ok"
        # A committee sees the kept form it fills, not the view the departments read; a
        # merged form is no business of the committees.
        if persona in COMMITTEES and form == "health":
            return "forbidden"
        return "missing"

    return _view


def test_the_oracle_names_only_known_personas():
    assert READERS.issubset(PERSONAS) and {"county_handler", "market_handler"} <= set(PERSONAS)


def test_filling(world):
    check_matrix(
        world,
        pair,
        Endpoint(
            "post",
            lambda f: f"/report-forms/{f['health'].pk}/returns",
            {"values": {"returnees": 3}, "period": timezone.localdate().isoformat()},
        ),
        filling,
        ok={201},
        unchanged=lambda f: FormReturn.objects.filter(form=f["health"]).count(),
        personas=EVERYONE,
    )


@pytest.mark.parametrize("form", ["health", "market"])
def test_reading_a_department_view(world, form):
    check_matrix(
        world,
        pair,
        Endpoint("get", lambda f: f"/report-forms/{f[form].pk}/view"),
        view_of(form),
        ok={200},
        fresh=False,
        personas=EVERYONE,
    )
