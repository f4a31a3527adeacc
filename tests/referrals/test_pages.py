"""Referrals through the pages, as each side's persona: the office refers from a problem's
page, the discipline body decides from its queue, the police sees only its own."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from ducha.notices.models import Notification
from ducha.referrals.models import Referral, ReferralEvent
from tests.referrals.conftest import evidence_of, refer

pytestmark = pytest.mark.usefixtures("bodies")


def test_office_refers_from_the_problem_page(world, login, media):
    problem = world.problem()
    photo = evidence_of(world, problem)
    client = login(world, "county_office")
    page = client.get(f"/problems/{problem.pk}/")
    assert b'data-testid="refer"' in page.content
    form = client.get(f"/referrals/new/?problem={problem.pk}")
    assert form.status_code == 200
    # Receivers: the county's and the city's bodies, not the sibling county's or a town's.
    offered = set(form.context["form"].fields["receiver"].queryset.values_list("pk", flat=True))
    assert offered == {
        world.orgs[key].pk for key in ("county_discipline", "county_police", "city_discipline")
    }
    response = client.post(
        f"/referrals/new/?problem={problem.pk}",
        {
            "receiver": world.orgs["county_discipline"].pk,
            "facts": "值守人员脱岗，登记本系补填。",
            "evidence": [photo.pk],
        },
    )
    referral = Referral.objects.get()
    assert response.status_code == 302
    assert response["Location"] == f"/referrals/{referral.pk}/"
    assert referral.referring_office == world.orgs["county_office"]
    assert referral.county_id == world.orgs["county"].pk
    assert list(referral.evidence.all()) == [photo]
    assert ReferralEvent.objects.get().action == "refer"
    told = Notification.objects.filter(kind="referral_received")
    assert [n.recipient.username for n in told] == ["county_discipline"]


def test_refer_link_only_for_office_staff(world, login):
    problem = world.problem()
    for persona in ("county_leader", "county_discipline", "county_team_member"):
        page = login(world, persona).get(f"/problems/{problem.pk}/")
        assert page.status_code == 200, persona
        assert b'data-testid="refer"' not in page.content, persona
        assert login(world, persona).get(f"/referrals/new/?problem={problem.pk}").status_code in {
            403,
            404,
        }


def test_a_problem_out_of_sight_cannot_be_referred(world, login):
    problem = world.problem(by="sibling_office", region="sibling")
    client = login(world, "county_office")
    assert client.get(f"/referrals/new/?problem={problem.pk}").status_code == 404
    response = client.post(
        f"/referrals/new/?problem={problem.pk}",
        {"receiver": world.orgs["county_discipline"].pk, "facts": "线索"},
    )
    assert response.status_code == 404
    assert not Referral.objects.exists()


@pytest.mark.parametrize("receiver", ["county_dept", "sibling_discipline", "town_police"])
def test_receiver_must_be_a_body_of_the_region_or_above(world, login, receiver):
    problem = world.problem()
    response = login(world, "county_office").post(
        f"/referrals/new/?problem={problem.pk}",
        {"receiver": world.orgs[receiver].pk, "facts": "线索"},
    )
    assert response.status_code == 400
    assert "receiver" in response.context["form"].errors
    assert not Referral.objects.exists()
    assert not ReferralEvent.objects.exists()


def test_discipline_decides_and_concludes_the_office_hears(world, login):
    referral = refer(world)
    client = login(world, "county_discipline")
    queue = client.get("/referrals/queue/")
    assert queue.status_code == 200
    waiting = dict((key, rows) for key, _title, rows in queue.context["sections"])["waiting"]
    assert [r.pk for r in waiting] == [referral.pk]
    detail = client.get(f"/referrals/{referral.pk}/")
    assert [form.action for form in detail.context["action_forms"]] == ["accept", "decline"]
    response = client.post(f"/referrals/{referral.pk}/accept/", {"version": 0, "comment": ""})
    assert response.status_code == 302
    today = timezone.localdate()
    response = client.post(
        f"/referrals/{referral.pk}/conclude/",
        {"version": 1, "outcome": "已立案审查", "outcome_on": today.isoformat()},
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert (referral.state, referral.outcome, referral.outcome_on) == (
        "concluded",
        "已立案审查",
        today,
    )
    assert list(referral.events.values_list("action", flat=True)) == ["refer", "accept", "conclude"]
    told = Notification.objects.filter(recipient=world.users["county_office"])
    assert set(told.values_list("kind", flat=True)) == {"referral_decided", "referral_concluded"}
    figures = client.get("/referrals/queue/").context["figures"]
    assert (figures["waiting"], figures["concluded"]) == (0, 1)


def test_decline_without_reasons_is_refused_on_its_field(world, login):
    referral = refer(world)
    client = login(world, "county_discipline")
    response = client.post(f"/referrals/{referral.pk}/decline/", {"version": 0, "reasons": " "})
    assert response.status_code == 400
    bound = next(f for f in response.context["action_forms"] if f.action == "decline")
    assert "reasons" in bound.errors
    referral.refresh_from_db()
    assert referral.state == "referred" and referral.version == 0
    assert referral.events.count() == 1


def test_outcome_before_the_referral_date_is_refused(world, login):
    referral = refer(world)
    client = login(world, "county_discipline")
    client.post(f"/referrals/{referral.pk}/accept/", {"version": 0})
    yesterday = timezone.localdate() - timedelta(days=1)
    response = client.post(
        f"/referrals/{referral.pk}/conclude/",
        {"version": 1, "outcome": "已立案", "outcome_on": yesterday.isoformat()},
    )
    assert response.status_code == 400
    bound = next(f for f in response.context["action_forms"] if f.action == "conclude")
    assert "outcome_on" in bound.errors
    referral.refresh_from_db()
    assert referral.state == "accepted" and referral.outcome == ""


def test_a_stale_form_changes_nothing(world, login):
    referral = refer(world)
    client = login(world, "county_discipline")
    client.post(f"/referrals/{referral.pk}/accept/", {"version": 0})
    response = client.post(
        f"/referrals/{referral.pk}/decline/", {"version": 0, "reasons": "不属于受理范围"}
    )
    assert response.status_code == 302
    referral.refresh_from_db()
    assert referral.state == "accepted"
    assert referral.events.count() == 2


def test_who_sees_what(world, login):
    to_discipline = refer(world)
    to_police = refer(world, to="county_police")
    to_city = refer(world, to="city_discipline")

    def listed(persona: str) -> set[int]:
        page = login(world, persona).get("/referrals/")
        assert page.status_code == 200
        return {r.pk for r in page.context["page"]}

    everything = {to_discipline.pk, to_police.pk, to_city.pk}
    assert listed("county_office") == everything
    assert listed("city_leader") == everything
    assert listed("county_discipline") == {to_discipline.pk}
    assert listed("city_discipline") == {to_discipline.pk, to_city.pk}
    assert listed("county_police") == {to_police.pk}
    for persona in ("county_handler", "county_team_member", "city_command", "sibling_office"):
        assert listed(persona) == set(), persona
        assert login(world, persona).get(f"/referrals/{to_police.pk}/").status_code == 404
    # The police reads what it was given, not the problem itself.
    police = login(world, "county_police")
    assert police.get(f"/referrals/{to_police.pk}/").status_code == 200
    assert police.get(f"/problems/{to_police.problem_id}/").status_code == 404
    # Only the receiving body decides: the city body above reads the county's, no more.
    assert (
        login(world, "city_discipline")
        .post(f"/referrals/{to_discipline.pk}/accept/", {"version": 0})
        .status_code
        == 403
    )
    assert (
        login(world, "county_office")
        .post(f"/referrals/{to_discipline.pk}/accept/", {"version": 0})
        .status_code
        == 403
    )


def test_police_reads_the_files_handed_over(world, login, media):
    problem = world.problem()
    photo = evidence_of(world, problem)
    kept_back = evidence_of(world, problem, "另一张.pdf")
    referral = refer(world, to="county_police", problem=problem, evidence_ids=[photo.pk])
    police = login(world, "county_police")
    response = police.get(f"/referrals/{referral.pk}/evidence/{photo.pk}/")
    assert response.status_code == 200
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert police.get(f"/referrals/{referral.pk}/evidence/{kept_back.pk}/").status_code == 404
    assert police.get(f"/field/evidence/{photo.pk}/").status_code == 404
    handler = login(world, "county_handler")
    assert handler.get(f"/referrals/{referral.pk}/evidence/{photo.pk}/").status_code == 404


def test_receiving_roles_are_sent_from_the_empty_todo_to_the_queue(world, login):
    for persona in ("county_discipline", "county_police"):
        page = login(world, persona).get("/problems/queue/")
        assert b'data-testid="referral-queue-link"' in page.content, persona
        assert b'data-nav="referrals"' in page.content
    office = login(world, "county_office").get("/problems/queue/")
    assert b'data-testid="referral-queue-link"' not in office.content
    handler = login(world, "county_handler").get("/problems/queue/")
    assert b'data-nav="referrals"' not in handler.content


def test_the_office_drafts_the_referral_letter_from_the_referral(world, login):
    referral = refer(world)
    office = login(world, "county_office")
    page = office.get(f"/referrals/{referral.pk}/").content.decode()
    link = f"/documents/new/?kind=referral_letter&amp;referral={referral.pk}"
    assert 'data-testid="draft-letter"' in page and link in page
    form = office.get(link.replace("&amp;", "&"))
    assert form.status_code == 200
    # The receiving body reads the referral but writes no letter to itself.
    receiver = login(world, "county_discipline").get(f"/referrals/{referral.pk}/")
    assert receiver.status_code == 200
    assert b'data-testid="draft-letter"' not in receiver.content


def test_the_problem_page_lists_its_referrals_to_who_may_open_them(world, login):
    problem = world.assigned()
    referral = refer(world, problem=problem)
    marker = f'data-referral="{referral.pk}"'
    office = login(world, "county_office").get(f"/problems/{problem.pk}/").content.decode()
    assert 'data-testid="referrals-made"' in office and marker in office
    # The unit handling the problem reads the problem, not the referral of it.
    unit = login(world, "county_handler").get(f"/problems/{problem.pk}/")
    assert unit.status_code == 200
    assert b'data-testid="referrals-made"' not in unit.content
