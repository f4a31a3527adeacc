"""An enterprise ledger has a row limit of its own, higher than a problem ledger's."""

from __future__ import annotations

import pytest

from ducha.ledger.models import ImportBatch
from tests.ledger.test_enterprise_import import enterprise, ledger, upload

pytestmark = pytest.mark.django_db


def test_the_enterprise_limit_applies_not_the_problem_ledgers(world, api_as, settings):
    settings.DUCHA_LEDGER_MAX_ROWS = 1
    settings.DUCHA_LEDGER_ENTERPRISE_MAX_ROWS = 3
    api = api_as("county_office")
    rows = [enterprise(name=f"企业{n}") for n in range(3)]
    accepted = upload(api, ledger(rows))
    assert accepted.status_code == 201, accepted.content
    assert accepted.json()["rows_valid"] == 3

    refused = upload(api, ledger([*rows, enterprise(name="第四家")]))
    assert refused.status_code == 422
    assert refused.json()["field"] == "file"
    assert "3" in refused.json()["detail"]
    assert ImportBatch.objects.count() == 1


def test_a_file_without_rows_is_refused(world, api_as):
    response = upload(api_as("county_office"), ledger([None]))
    assert response.status_code == 422
    assert ImportBatch.objects.count() == 0
