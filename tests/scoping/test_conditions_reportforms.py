"""The condition lines of the report forms' querysets (the register and the returns), one case
each."""

from __future__ import annotations

import pytest
from django.utils import timezone

from ducha.accounts.choices import Role
from ducha.reportforms.models import FormReturn, ReportForm
from ducha.reportforms.querysets import FormReturnQuerySet, ReportFormQuerySet
from tests.reportforms.collection_world import make_form
from tests.scoping.cases import Case, Rows, check_condition
from tests.world import World

pytestmark = pytest.mark.django_db

ITEMS = [{"label": "返乡人数", "key": "returnees", "kind": "integer"}]


def _form(w: World, region: str, department: str, **kwargs) -> ReportForm:
    number = ReportForm.objects.count() + 1
    return make_form(
        w,
        number=number,
        name=f"统计表{number}",
        department=department,
        items=ITEMS,
        region=region,
        **kwargs,
    )


def _return(w: World, form: ReportForm, region: str, org: str) -> FormReturn:
    row = FormReturn(
        form=form,
        region=w.orgs[region],
        org=w.orgs[org],
        period=timezone.localdate(),
        values={"returnees": 1},
        submitted_by=w.users["county_office"],
    )
    row.copy_levels_from(w.orgs[region])
    row.save()
    return row


def _forms_of_the_county(w: World) -> Rows:
    return Rows([_form(w, "county", "county_dept")], [_form(w, "sibling", "sibling_dept")])


def _forms_of_the_city(w: World) -> Rows:
    return Rows([_form(w, "sibling", "sibling_dept")], [_form(w, "other_province", "other_office")])


def _forms_the_unit_demands(w: World) -> Rows:
    # Its own form; not another department's, which villages fill and a county unit does not.
    return Rows([_form(w, "county", "county_dept")], [_form(w, "county", "county_market_dept")])


def _returns_in_the_county(w: World) -> Rows:
    form = _form(w, "county", "county_dept")
    sibling = _form(w, "sibling", "sibling_dept")
    return Rows(
        [_return(w, form, "town", "town_office")],
        [_return(w, sibling, "sibling", "sibling_dept")],
    )


def _returns_in_the_city(w: World) -> Rows:
    sibling = _form(w, "sibling", "sibling_dept")
    other = _form(w, "other_province", "other_office")
    return Rows(
        [_return(w, sibling, "sibling", "sibling_dept")],
        [_return(w, other, "other_province", "other_office")],
    )


def _returns_the_unit_reads(w: World) -> Rows:
    # Of its own form, and of the form its own was merged into; not of another's alone.
    own = _form(w, "county", "county_dept")
    kept = _form(w, "county", "county_market_dept")
    _form(w, "county", "county_dept", decision="merge", merged_into=kept)
    other = _form(w, "county", "county_market_dept")
    return Rows(
        [_return(w, own, "town", "town_office"), _return(w, kept, "town", "town_office")],
        [_return(w, other, "town", "town_office")],
    )


CASES = [
    Case(ReportFormQuerySet, Role.OFFICE_STAFF, "county_office", _forms_of_the_county),
    Case(ReportFormQuerySet, Role.LEADER, "county_leader", _forms_of_the_county),
    Case(ReportFormQuerySet, Role.COMMAND, "city_command", _forms_of_the_city),
    Case(ReportFormQuerySet, Role.UNIT_HANDLER, "county_handler", _forms_the_unit_demands),
    Case(FormReturnQuerySet, Role.OFFICE_STAFF, "county_office", _returns_in_the_county),
    Case(FormReturnQuerySet, Role.LEADER, "county_leader", _returns_in_the_county),
    Case(FormReturnQuerySet, Role.COMMAND, "city_command", _returns_in_the_city),
    Case(FormReturnQuerySet, Role.UNIT_HANDLER, "county_handler", _returns_the_unit_reads),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_condition(case: Case, world: World) -> None:
    check_condition(case, world)
