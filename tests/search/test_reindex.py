"""`manage.py reindex`: rows written before the search column existed become findable."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from ducha.documents import actions as document_actions
from ducha.documents.models import Document
from ducha.fieldwork.models import Inspection
from ducha.problems import actions
from ducha.problems.models import Problem
from tests.search.helpers import found, visit

pytestmark = pytest.mark.django_db


def test_reindex_rebuilds_every_kind(world, api_as):
    problem = world.assigned(title="卡口报表未按时上报")
    actions.do_submit_rectification(
        problem, acting_user=world.users["county_handler"], text="已补齐消毒记录台账"
    )
    inspection = visit(world, "隔离点物资不足")
    office = world.users["county_office"]
    draft = document_actions.do_create_draft(
        acting_user=office,
        kind="bulletin",
        issuer=world.orgs["county_office"],
        params={},
        title="关于冷链仓库的通报",
    )
    document = document_actions.do_issue_document(draft, acting_user=office)
    # As a database loaded before the column existed: no words anywhere.
    Problem.objects.update(search_text="")
    Inspection.objects.update(search_text="")
    Document._base_manager.update(search_text="")
    api = api_as("county_office")
    assert found(api, "消毒台账")["problems"]["count"] == 0
    assert found(api, "物资不足")["inspections"]["count"] == 0
    assert found(api, "冷链仓库")["documents"]["count"] == 0

    out = io.StringIO()
    call_command("reindex", "--chunk", "1", stdout=out)
    assert "problems: 1 of 1 reindexed" in out.getvalue()
    assert "documents: 1/1" in out.getvalue()
    assert found(api, "消毒台账")["problems"]["ids"] == [problem.pk]
    assert found(api, "报表")["problems"]["ids"] == [problem.pk]
    assert found(api, "物资不足")["inspections"]["ids"] == [inspection.pk]
    assert found(api, "冷链仓库")["documents"]["ids"] == [document.pk]
    # Run again, nothing is stale.
    again = io.StringIO()
    call_command("reindex", stdout=again)
    assert "problems: 0 of 1 reindexed" in again.getvalue()
