"""Cadre observation in the demo: Tangshan's organisation department and its lists, the
figures counted from the records."""

from __future__ import annotations

import pytest

from ducha.cadres.models import CadreCandidate, CadreObservation
from ducha.demo import cadres

pytestmark = pytest.mark.django_db


def _cadres(verdicts: set[str]) -> set[str]:
    by_name: dict[str, set[str]] = {}
    for seen in cadres.SEEN:
        by_name.setdefault(seen.name, set()).add(seen.verdict)
    return {name for name, found in by_name.items() if found == verdicts}


def test_tangshan_lists_the_cadres_its_records_name(demo, signed_in):
    client = signed_in("tangshan.organisation")
    use = client.get("/api/v1/cadres/candidates", {"list_kind": "use", "page_size": 200}).json()
    assert {item["person_name"] for item in use["items"]} == _cadres({"outstanding"})
    # The figure the seed gives for Tangshan comes out of the records.
    assert use["count"] == 11
    blamed = client.get("/api/v1/cadres/candidates", {"list_kind": "accountability"}).json()
    assert {item["person_name"] for item in blamed["items"]} == _cadres({"failing"})
    assert {item["state"] for item in blamed["items"]} == {"listed", "removed"}
    seen = client.get("/api/v1/cadres/observations", {"page_size": 200}).json()
    assert seen["count"] == len(cadres.SEEN) == CadreObservation.objects.count()
    # Every observation was made with the stationed team, by its leader or the liaison.
    assert {item["team"]["name"] for item in seen["items"]} == {"省驻唐山市督查组"}


def test_the_liaison_records_as_a_team_member_and_nobody_else_reads(demo, signed_in):
    liaison = signed_in(cadres.LIAISON)
    assert liaison.get("/cadres/new/").status_code == 200
    leader = signed_in(cadres.TEAM_LEADER).get("/api/v1/cadres/observations").json()
    own = [s for s in cadres.SEEN if s.by == cadres.TEAM_LEADER]
    assert leader["count"] == len(own)
    assert signed_in(cadres.TEAM_LEADER).get("/api/v1/cadres/candidates").json()["count"] == 0
    for username in ("hebei.office", "hebei.leader", "chengde.office", "chengdu.discipline"):
        client = signed_in(username)
        assert client.get("/api/v1/cadres/observations").json()["count"] == 0, username
        assert client.get("/cadres/").status_code == 404, username
    assert CadreCandidate.objects.exclude(city__name="唐山市").count() == 0
