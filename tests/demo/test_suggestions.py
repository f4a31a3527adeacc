"""Suggestions in the demo: the seeds' figures come out of the records (保定's team 5 to the
city, 惠安's teams 39 to the county command HQ, 天津市河北区 7 work suggestions to its
functional units), each side sees its own, and the adoption rate is counted."""

from __future__ import annotations

import pytest

from ducha.demo import suggestions as records_of
from ducha.suggestions import figures
from ducha.suggestions.models import Suggestion, SuggestionRule

pytestmark = pytest.mark.django_db


def _listed(client, **params) -> dict:
    body = client.get("/api/v1/suggestions", {"page_size": 100, **params}).json()
    assert body["count"] <= 100
    return body


def test_the_seeds_figures_come_out_of_the_records(demo, signed_in):
    baoding = _listed(signed_in("baoding.office"))
    assert baoding["count"] == 5
    assert {item["team"]["name"] for item in baoding["items"]} == {"省驻保定市督查组"}
    huian = _listed(signed_in("huian.command"))
    assert huian["count"] == 39
    assert {item["receiver"]["name"] for item in huian["items"]} == {"惠安县疫情防控指挥部"}
    tianjin = _listed(signed_in("tianjin.hebei.office"))
    assert tianjin["count"] == 7
    assert "河北区疫情防控指挥部" not in {item["receiver"]["name"] for item in tianjin["items"]}
    assert [len(records) for records in records_of.SCENES.values()] == [5, 39, 7]


def test_the_adoption_rate_is_what_the_records_say(demo, signed_in):
    figures_ = _listed(signed_in("huian.office"))["figures"]
    records = records_of.HUIAN
    taken = sum(r.outcome in (records_of.ADOPTED, records_of.PARTLY) for r in records)
    answered = sum(r.outcome != records_of.WAITING for r in records)
    assert figures_["made"] == len(records)
    assert figures_["waiting"] == len(records) - answered
    assert figures_["rate_of_answered"] == str(figures.percent(taken, answered))
    assert figures_["rate_of_all"] == str(figures.percent(taken, len(records)))
    # Every kind of answer, and some still waiting.
    assert {r.outcome for r in records} == {
        records_of.ADOPTED,
        records_of.PARTLY,
        records_of.DECLINED,
        records_of.WAITING,
    }


def test_each_side_sees_its_own(demo, signed_in):
    # A unit sees what it received; another scene sees nothing of it.
    handler = _listed(signed_in("tianjin.hebei.handler"))
    assert {item["receiver"]["name"] for item in handler["items"]} == {"河北区卫生健康委员会"}
    assert _listed(signed_in("huian.office"))["count"] == 39
    assert _listed(signed_in("chengdu.office"))["count"] == 0
    assert _listed(signed_in("hebei.office"))["count"] == 5
    page = signed_in("tianjin.hebei.office").get("/suggestions/")
    assert page.status_code == 200
    assert 'data-figure="made">7<' in page.content.decode()


def test_lasting_rules_name_their_suggestions(demo, signed_in):
    assert SuggestionRule.objects.count() == len(records_of.CITATIONS)
    link = SuggestionRule.objects.select_related("problem").get(problem__county__code="120105")
    page = signed_in("tianjin.hebei.office").get(f"/problems/{link.problem_id}/").content.decode()
    assert f'data-suggestion="{link.suggestion_id}"' in page
    assert Suggestion.objects.get(pk=link.suggestion_id).state == "adopted"
