"""Who may import, and who sees a batch: its uploader and the offices of its jurisdiction."""

from __future__ import annotations

import pytest

from ducha.ledger.models import ImportBatch
from ducha.problems.models import Problem
from tests.ledger.conftest import api_upload, row, upload_file, workbook

pytestmark = pytest.mark.django_db

# Seen from a batch a county team member uploaded (its jurisdiction is the county).
READERS = {
    "county_team_member": 200,  # the uploader
    "county_office": 200,
    "county_admin": 404,  # administrators (三员) see no ledger
    "county_security_admin": 404,
    "county_audit_admin": 404,
    "city_office": 200,  # an office above
    "province_office": 200,
    "town_office": 404,  # an office below
    "sibling_office": 404,
    "county_leader": 404,
    "county_handler": 404,
    "county_discipline": 404,
    "sibling_team_member": 404,
    "outsider": 404,
}


@pytest.fixture
def batch(world, api_as) -> dict:
    response = api_upload(api_as("county_team_member"), workbook([row(), row(问题=None)]))
    assert response.status_code == 201
    return response.json()


@pytest.mark.parametrize(("persona", "status"), READERS.items())
def test_who_sees_a_batch_over_the_api(world, api_as, batch, persona, status):
    api = api_as(persona)
    assert api.get(f"/ledger/imports/{batch['id']}").status_code == status
    assert api.get(f"/ledger/imports/{batch['id']}/file").status_code == status
    listed = [item["id"] for item in api.get("/ledger/imports").json()["items"]]
    assert listed == ([batch["id"]] if status == 200 else [])


@pytest.mark.parametrize(("persona", "status"), READERS.items())
def test_who_sees_a_batch_on_the_pages(world, login, batch, persona, status):
    client = login(world, persona)
    assert client.get(f"/ledger/imports/{batch['id']}/").status_code == status
    assert client.get(f"/ledger/imports/{batch['id']}/file/").status_code == status


@pytest.mark.parametrize("persona", ["county_office", "city_office"])
def test_only_the_uploader_decides(world, api_as, login, batch, persona):
    api = api_as(persona)
    for action in ("confirm", "cancel"):
        response = api.post(f"/ledger/imports/{batch['id']}/{action}")
        assert response.status_code == 403
        assert response.json()["detail"] == "只有上传该文件的人员可以决定是否导入。"
        assert (
            login(world, persona).post(f"/ledger/imports/{batch['id']}/{action}/").status_code
            == 403
        )
    page = login(world, persona).get(f"/ledger/imports/{batch['id']}/").content.decode()
    assert 'data-testid="confirm"' not in page
    assert "是否导入由上传该文件的人员决定。" in page
    assert ImportBatch.objects.get(pk=batch["id"]).state == "validated"
    assert not Problem.objects.exists()


@pytest.mark.parametrize("persona", ["sibling_office", "county_handler", "outsider"])
def test_deciding_on_a_batch_you_cannot_see_is_404(world, api_as, login, batch, persona):
    for action in ("confirm", "cancel"):
        assert api_as(persona).post(f"/ledger/imports/{batch['id']}/{action}").status_code == 404
        assert (
            login(world, persona).post(f"/ledger/imports/{batch['id']}/{action}/").status_code
            == 404
        )
    assert api_as(persona).get("/ledger/imports/999999").status_code == 404


@pytest.mark.parametrize(
    "persona", ["county_handler", "county_leader", "county_discipline", "city_command", "outsider"]
)
def test_roles_that_do_not_record_problems_may_not_import(world, api_as, login, persona):
    data = workbook([row()])
    refused = api_upload(api_as(persona), data)
    assert refused.status_code == 403
    page = login(world, persona)
    assert page.get("/ledger/imports/").status_code == 403
    assert page.post("/ledger/imports/", {"file": upload_file(data)}).status_code == 403
    assert not ImportBatch.objects.exists()


def test_anonymous_callers(world, anonymous, client, batch):
    assert anonymous.get(f"/ledger/imports/{batch['id']}").status_code == 401
    assert anonymous.post(f"/ledger/imports/{batch['id']}/confirm").status_code == 401
    assert anonymous.get("/ledger/template").status_code == 401
    for path in ("/ledger/imports/", f"/ledger/imports/{batch['id']}/", "/ledger/template/"):
        response = client.get(path)
        assert response.status_code == 302 and "/accounts/login/" in response["Location"]


def test_tokens_work_and_writes_need_csrf_with_a_session(world, token_as, api_as, batch):
    from django.test import Client

    from tests.world import PASSWORD

    strict = Client(enforce_csrf_checks=True)
    assert strict.login(username="county_team_member", password=PASSWORD)
    response = strict.post(f"/api/v1/ledger/imports/{batch['id']}/cancel")
    assert response.status_code == 403
    assert ImportBatch.objects.get(pk=batch["id"]).state == "validated"
    body = token_as("county_office").get(f"/ledger/imports/{batch['id']}").json()
    assert body["uploaded_by"]["name"] == "区督查组组员"
    assert body["region"]["name"] == "双桥区"
