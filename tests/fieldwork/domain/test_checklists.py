from __future__ import annotations

import pytest

from ducha.core.errors import InvalidInput, TransitionRefused
from ducha.fieldwork import actions
from ducha.fieldwork.models import Answer, ChecklistItem, FieldEvent
from tests.fieldwork.domain.factory import fail, inspect, item, passed

pytestmark = pytest.mark.django_db


def test_a_revision_is_a_new_row_and_old_answers_keep_their_question(world):
    old = item(world, "卡口是否逐车登记")
    inspection = inspect(world, [passed(old)])
    new = actions.do_revise_checklist_item(
        old, acting_user=world.users["county_office"], text="卡口是否逐车逐人登记"
    )
    old.refresh_from_db()
    assert (old.active, new.active, new.replaces_id) == (False, True, old.pk)
    answer = Answer.objects.get(inspection=inspection)
    assert answer.item.text == "卡口是否逐车登记"
    assert FieldEvent.objects.filter(action="revise_checklist_item", checklist_item=new).exists()


def test_a_replaced_question_cannot_be_revised_again_or_answered(world):
    old = item(world)
    actions.do_revise_checklist_item(old, acting_user=world.users["county_office"], text="新问题")
    with pytest.raises(TransitionRefused):
        actions.do_revise_checklist_item(old, acting_user=world.users["county_office"], text="x")
    with pytest.raises(InvalidInput) as refused:
        inspect(world, [fail(old)])
    assert refused.value.field == "answers"


def test_retired_and_empty(world):
    question = item(world)
    actions.do_retire_checklist_item(question, acting_user=world.users["county_office"])
    assert not ChecklistItem.objects.get(pk=question.pk).active
    with pytest.raises(InvalidInput) as refused:
        item(world, "  ")
    assert refused.value.field == "text"


def test_visibility_shared_own_and_above_but_not_sibling(world):
    shared = item(world, "共用问题", office=None)
    county = item(world, "区问题")
    city = item(world, "市问题", office="city_office")
    sibling = item(world, "双滦区问题", office="sibling_office")
    seen = set(ChecklistItem.objects.visible_to(world.users["county_office"]))
    assert seen == {shared, county, city}
    assert set(ChecklistItem.objects.visible_to(world.users["city_office"])) == {
        shared,
        county,
        city,
        sibling,
    }
    assert set(ChecklistItem.objects.editable_by(world.users["county_office"])) == {county}
    assert not ChecklistItem.objects.visible_to(world.users["outsider"]).exists()
