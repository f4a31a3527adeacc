"""The policy pages as the HQ and the county use them: the queue, a kind, adopting with
checkboxes, the refusal on its field, the policy's page and the panel on a problem's page."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from ducha.policies.models import Policy, PolicyEvent
from tests.policies.conftest import adopted, kind_of_three


def _form(world, problems, **extra):
    data = {
        "title": "关于规范卡口车辆登记的通知",
        "text": "各卡口实行进出车辆逐车登记。",
        "issuing_body": world.orgs["city_command"].pk,
        "issued_on": timezone.localdate().isoformat(),
        "reference": "承防指〔2020〕12号",
        "problems": [p.pk for p in problems],
        **{f"version_{p.pk}": p.version for p in problems},
    }
    data.update(extra)
    return data


def test_the_hq_adopts_a_policy_from_its_queue(world, login):
    problems = kind_of_three(world)
    client = login(world, "city_command")
    queue = client.get("/policies/queue/")
    assert queue.status_code == 200
    assert f'data-kind="{problems[0].focus_area_id}"' in queue.content.decode()
    url = f"/policies/kinds/{problems[0].focus_area_id}/"
    page = client.get(url).content.decode()
    assert all(f'value="{p.pk}"' in page for p in problems)
    response = client.post(url, _form(world, problems[:2]))
    assert response.status_code == 302, response.content.decode()[:2000]
    policy = Policy.objects.get()
    detail = client.get(response["Location"]).content.decode()
    assert "承防指〔2020〕12号" in detail and 'data-testid="link-form"' in detail
    # The problem's page shows where its rule came from, to the county office as well.
    county = login(world, "county_office")
    shown = county.get(f"/problems/{problems[0].pk}/").content.decode()
    assert 'data-testid="policy-panel"' in shown
    assert f"/policies/{policy.pk}/" in shown
    assert county.get(f"/policies/{policy.pk}/").status_code == 200


def test_a_refusal_shows_on_its_field_and_saves_nothing(world, login):
    problems = kind_of_three(world)
    client = login(world, "city_command")
    url = f"/policies/kinds/{problems[0].focus_area_id}/"
    tomorrow = (timezone.localdate() + timedelta(days=1)).isoformat()
    response = client.post(url, _form(world, problems, issued_on=tomorrow))
    assert response.status_code == 422
    assert 'data-field="issued_on"' in response.content.decode()
    response = client.post(url, _form(world, []))
    assert response.status_code == 422
    assert 'data-field="problems"' in response.content.decode()
    assert not Policy.objects.exists() and not PolicyEvent.objects.exists()


def test_others_cannot_adopt_or_link_and_outsiders_see_nothing(world, login):
    problems = kind_of_three(world)
    policy = adopted(world, problems[:1])
    office = login(world, "city_office")
    url = f"/policies/kinds/{problems[0].focus_area_id}/"
    assert office.post(url, _form(world, problems[1:])).status_code == 403
    assert (
        office.post(f"/policies/{policy.pk}/link/", {"problems": [problems[1].pk]}).status_code
        == 403
    )
    outsider = login(world, "other_office")
    assert outsider.get(f"/policies/{policy.pk}/").status_code == 404
    assert "卡口" not in outsider.get("/policies/queue/").content.decode()
    assert PolicyEvent.objects.count() == 1
