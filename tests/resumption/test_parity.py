"""The pages and the API refuse the same bad input the same way: the same words on the same
field (or, for a state that does not allow the change, above the form), nothing saved."""

from __future__ import annotations

import pytest

from ducha.resumption.models import Enterprise, EnterpriseLedger, ResumptionEvent
from tests.resumption.conftest import days_ago, register

LEDGER = {"staff_total": 50, "staff_screened": 50, "responsible_person": "赵经理"}

# (what is sent, the API's step and body, the page's step and form, the field at fault or
# None when the enterprise's state refuses it)
CASES = [
    (
        "a status dated before the registration",
        ("file", {"on": days_ago(30).isoformat()}),
        ("status", {"action": "file", "on": days_ago(30).isoformat()}),
        "on",
    ),
    (
        "a status dated in the future",
        ("file", {"on": days_ago(-2).isoformat()}),
        ("status", {"action": "file", "on": days_ago(-2).isoformat()}),
        "on",
    ),
    (
        "resuming without filing where filing comes first",
        ("resume", {"on": days_ago(1).isoformat()}),
        ("status", {"action": "resume", "on": days_ago(1).isoformat()}),
        None,
    ),
    (
        "stopping when not working",
        ("stop", {"on": days_ago(1).isoformat()}),
        ("status", {"action": "stop", "on": days_ago(1).isoformat()}),
        None,
    ),
    (
        "more staff screened than staff",
        ("record-ledger", {**LEDGER, "staff_screened": 51}),
        ("ledger", {**LEDGER, "staff_screened": 51}),
        "staff_screened",
    ),
    (
        "a supply with days of stock out of range",
        (
            "record-ledger",
            {**LEDGER, "supplies": [{"name": "口罩", "quantity": 10, "unit": "只", "days": 9999}]},
        ),
        ("ledger", {**LEDGER, "supplies": "口罩，10，只，9999"}),
        "supplies",
    ),
    (
        "taking it out without a reason",
        ("exclude", {"reason": " "}),
        ("exclude", {"reason": " "}),
        "reason",
    ),
]


def _api_refusal(response) -> tuple[str | None, str]:
    body = response.json()
    if isinstance(body["detail"], list):
        [item] = body["detail"]
        return item["field"], item["msg"]
    return body.get("field"), body["detail"]


@pytest.mark.parametrize(("label", "api", "page", "field"), CASES, ids=[c[0] for c in CASES])
def test_the_same_refusal_on_both(world, api_as, login, label, api, page, field):
    enterprise = register(world)
    rows = (
        ResumptionEvent.objects.count(),
        EnterpriseLedger.objects.count(),
        Enterprise.objects.get(pk=enterprise.pk).version,
    )
    step, body = api
    answer = api_as("county_office").post(f"/enterprises/{enterprise.pk}/actions/{step}", body)
    assert answer.status_code == (422 if field else 409), answer.content
    api_field, api_words = _api_refusal(answer)
    step, form = page
    shown = login(world, "county_office").post(f"/resumption/{enterprise.pk}/{step}/", form)
    if field:
        assert shown.status_code == 400
        assert api_field == field
        errors = shown.context["form"].errors
        assert set(errors) == {field}
        if field != "reason":  # blank: the form's own "required", before the action
            assert errors[field] == [api_words]
    else:
        assert shown.status_code == 409
        assert [str(m) for m in shown.context["messages"]] == [api_words]
    after = (
        ResumptionEvent.objects.count(),
        EnterpriseLedger.objects.count(),
        Enterprise.objects.get(pk=enterprise.pk).version,
    )
    assert after == rows
