"""The event log is append-only through the API: nothing edits, deletes or fakes events."""

import pytest

from ducha.problems.models import ProblemEvent
from tests.api.conftest import BASE, snapshot

pytestmark = pytest.mark.django_db

# Every operation the API offers; anything else must not exist.
EXPECTED_OPERATIONS = {
    ("get", "/api/v1/problems"),
    ("post", "/api/v1/problems"),
    ("get", "/api/v1/problems/{problem_id}"),
    ("get", "/api/v1/focus-areas"),
    ("get", "/api/v1/orgs"),
    ("get", "/api/v1/sites"),
    ("get", "/api/v1/teams"),
    ("get", "/api/v1/lookup/regions"),
    ("get", "/api/v1/lookup/sites"),
    ("get", "/api/v1/lookup/units"),
    ("get", "/api/v1/lookup/teams"),
    ("get", "/api/v1/me"),
    ("get", "/api/v1/tokens"),
    ("post", "/api/v1/tokens"),
    ("delete", "/api/v1/tokens/{token_id}"),
    ("get", "/api/v1/evidence"),
    ("post", "/api/v1/evidence"),
    ("get", "/api/v1/evidence/{evidence_id}"),
    ("get", "/api/v1/evidence/{evidence_id}/file"),
    ("get", "/api/v1/checklist-items"),
    ("post", "/api/v1/checklist-items"),
    ("get", "/api/v1/checklist-items/{item_id}"),
    ("post", "/api/v1/checklist-items/{item_id}/revise"),
    ("post", "/api/v1/checklist-items/{item_id}/retire"),
    ("get", "/api/v1/meetings"),
    ("post", "/api/v1/meetings"),
    ("get", "/api/v1/meetings/{meeting_id}"),
    ("get", "/api/v1/tasks"),
    ("post", "/api/v1/tasks"),
    ("get", "/api/v1/tasks/overlaps"),
    ("get", "/api/v1/tasks/{task_id}"),
    ("post", "/api/v1/tasks/{task_id}/join"),
    ("post", "/api/v1/tasks/{task_id}/cancel"),
    ("get", "/api/v1/inspections"),
    ("post", "/api/v1/inspections"),
    ("post", "/api/v1/inspections/with-photos"),
    ("get", "/api/v1/inspections/{inspection_id}"),
    ("get", "/api/v1/revisits"),
    ("post", "/api/v1/revisits/sample"),
    ("get", "/api/v1/revisits/{revisit_id}"),
    ("post", "/api/v1/revisits/{revisit_id}/result"),
    ("get", "/api/v1/sites/{site_id}/burden"),
    # Dashboards, the daily cycle, documents and ledgers read problems and events; their
    # writes change their own rows, never an event.
    ("get", "/api/v1/dashboard"),
    ("get", "/api/v1/reports/results"),
    ("get", "/api/v1/reports/resumption"),
    ("get", "/api/v1/daily/agenda"),
    ("post", "/api/v1/daily/draft"),
    ("get", "/api/v1/daily/reports"),
    ("get", "/api/v1/daily/reports/{report_id}"),
    ("patch", "/api/v1/daily/reports/{report_id}"),
    ("post", "/api/v1/daily/reports/{report_id}/refresh"),
    ("post", "/api/v1/daily/reports/{report_id}/return"),
    ("post", "/api/v1/daily/reports/{report_id}/submit"),
    ("get", "/api/v1/daily/summaries"),
    ("get", "/api/v1/daily/summaries/{summary_id}"),
    ("patch", "/api/v1/daily/summaries/{summary_id}"),
    ("post", "/api/v1/daily/summaries/{summary_id}/finalise"),
    ("post", "/api/v1/daily/summaries/{summary_id}/refresh"),
    ("get", "/api/v1/documents"),
    ("post", "/api/v1/documents"),
    ("get", "/api/v1/documents/{document_id}"),
    ("patch", "/api/v1/documents/{document_id}"),
    ("get", "/api/v1/documents/{document_id}/files/{file_format}"),
    ("post", "/api/v1/documents/{document_id}/issue"),
    ("get", "/api/v1/ledger/export"),
    ("get", "/api/v1/ledger/imports"),
    ("post", "/api/v1/ledger/imports"),
    ("get", "/api/v1/ledger/imports/{batch_id}"),
    ("post", "/api/v1/ledger/imports/{batch_id}/cancel"),
    ("post", "/api/v1/ledger/imports/{batch_id}/confirm"),
    ("get", "/api/v1/ledger/imports/{batch_id}/file"),
    ("get", "/api/v1/ledger/template"),
    # The caller's own notifications: read and marked read, nothing else.
    ("get", "/api/v1/notifications"),
    ("get", "/api/v1/notifications/unread-count"),
    ("post", "/api/v1/notifications/{notification_id}/read"),
    ("post", "/api/v1/notifications/read-all"),
} | {
    ("post", f"/api/v1/problems/{{problem_id}}/actions/{action}")
    for action in [
        "assign",
        "report_up",
        "instruct",
        "urge",
        "submit_rectification",
        "verify_accept",
        "verify_reject",
        "institutionalize",
        "close_on_spot",
        "dispute",
        "decide_dispute",
        "reopen",
        "sign",
        "request_extension",
        "decide_extension",
    ]
}
# The actions that keep photos with their change, again as multipart.
EXPECTED_OPERATIONS |= {
    ("post", f"/api/v1/problems/{{problem_id}}/actions/{action}/with-photos")
    for action in ["submit_rectification", "close_on_spot"]
}
# Matters handed down (docs/matters.md).
EXPECTED_OPERATIONS |= {
    ("get", "/api/v1/matter-batches"),
    ("post", "/api/v1/matter-batches"),
    ("get", "/api/v1/matter-batches/{batch_id}"),
}
EXPECTED_OPERATIONS |= {
    ("post", f"/api/v1/matter-handovers/{{handover_id}}/actions/{action}")
    for action in ["sign", "break_down", "report", "urge", "accept"]
}
# Enterprise ledgers (docs/resumption-import.md): their template, and an upload whose batch
# goes on through the ledger's batch operations above.
EXPECTED_OPERATIONS |= {
    ("get", "/api/v1/ledger/enterprise-template"),
    ("post", "/api/v1/ledger/enterprise-imports"),
}
# Cadre observation (docs/cadres.md).
EXPECTED_OPERATIONS |= {
    ("get", "/api/v1/cadres/observations"),
    ("post", "/api/v1/cadres/observations"),
    ("get", "/api/v1/cadres/observations/{observation_id}"),
    ("get", "/api/v1/cadres/candidates"),
    ("post", "/api/v1/cadres/candidates"),
    ("get", "/api/v1/cadres/candidates/{candidate_id}"),
    ("post", "/api/v1/cadres/candidates/{candidate_id}/actions/remove"),
    ("post", "/api/v1/cadres/candidates/{candidate_id}/actions/mark_used"),
}
# Delivery beyond the app (docs/notifications.md, "Delivery"): settings and the log; no event.
EXPECTED_OPERATIONS |= {
    ("get", "/api/v1/delivery/preferences"),
    ("put", "/api/v1/delivery/preferences"),
    ("get", "/api/v1/delivery/channels"),
    ("post", "/api/v1/delivery/channels"),
    ("get", "/api/v1/delivery/channels/{channel_id}"),
    ("put", "/api/v1/delivery/channels/{channel_id}"),
    ("delete", "/api/v1/delivery/channels/{channel_id}"),
    ("get", "/api/v1/delivery/log"),
}
# Referrals (docs/referrals.md): each action writes one ReferralEvent.
EXPECTED_OPERATIONS |= {
    ("get", "/api/v1/referrals"),
    ("get", "/api/v1/search"),
    ("post", "/api/v1/referrals"),
    ("get", "/api/v1/referrals/{referral_id}"),
}
EXPECTED_OPERATIONS |= {
    ("post", f"/api/v1/referrals/{{referral_id}}/actions/{action}")
    for action in ["accept", "decline", "conclude"]
}

# Policies (docs/policies.md): adopting and linking each write one PolicyEvent, and one 建
# ProblemEvent per problem.
EXPECTED_OPERATIONS |= {
    ("get", "/api/v1/policies"),
    ("post", "/api/v1/policies"),
    ("get", "/api/v1/policies/kinds"),
    ("get", "/api/v1/policies/kinds/{focus_area_id}"),
    ("get", "/api/v1/policies/{policy_id}"),
    ("post", "/api/v1/policies/{policy_id}/actions/link"),
    # Attaching the issued document writes one PolicyEvent; its download, an audit row.
    ("post", "/api/v1/policies/{policy_id}/actions/attach"),
    ("get", "/api/v1/policies/{policy_id}/document"),
}
# The offline field app's data for the phone (docs/field-app.md): read only.
EXPECTED_OPERATIONS |= {("get", "/api/v1/field/bundle")}

# Sweeps (docs/sweeps.md): launching and answering each write one SweepEvent.
EXPECTED_OPERATIONS |= {
    ("get", "/api/v1/sweeps"),
    ("post", "/api/v1/sweeps"),
    ("get", "/api/v1/sweeps/{sweep_id}"),
    ("get", "/api/v1/sweeps/checks"),
    ("post", "/api/v1/sweeps/checks/{check_id}/answer"),
}

# Accountability records and commendations (docs/accountability.md); no PUT, PATCH or DELETE.
EXPECTED_OPERATIONS |= {
    ("get", "/api/v1/accountability"),
    ("post", "/api/v1/accountability"),
    ("get", "/api/v1/accountability/{record_id}"),
    ("get", "/api/v1/commendations"),
    ("post", "/api/v1/commendations"),
    ("get", "/api/v1/commendations/{record_id}"),
    ("get", "/api/v1/accountability-kinds"),
    ("post", "/api/v1/accountability-kinds"),
}
EXPECTED_OPERATIONS |= {
    ("post", f"/api/v1/{base}/{{record_id}}/actions/{action}")
    for base in ["accountability", "commendations"]
    for action in ["decide", "carry_out", "withdraw"]
}

# Suggestions (docs/suggestions.md): each action writes one SuggestionEvent; citing one from a
# lasting rule makes a link, not a change of the suggestion.
EXPECTED_OPERATIONS |= {
    ("get", "/api/v1/suggestions"),
    ("post", "/api/v1/suggestions"),
    ("get", "/api/v1/suggestions/{suggestion_id}"),
    ("post", "/api/v1/suggestions/{suggestion_id}/actions/respond"),
    ("post", "/api/v1/suggestions/{suggestion_id}/rules"),
}

# 一表通 (docs/collection-forms.md): each filling writes one ReportFormEvent.
EXPECTED_OPERATIONS |= {
    ("get", "/api/v1/report-forms/{form_id}/collection"),
    ("get", "/api/v1/report-forms/{form_id}/returns"),
    ("post", "/api/v1/report-forms/{form_id}/returns"),
    ("get", "/api/v1/report-forms/{form_id}/view"),
    ("get", "/api/v1/report-forms/{form_id}/shared"),
    ("get", "/api/v1/report-form-returns/{return_id}"),
    ("post", "/api/v1/report-form-returns/{return_id}/actions/refill"),
}

# The register of report forms (docs/reportforms.md): each action writes one ReportFormEvent.
EXPECTED_OPERATIONS |= {
    ("get", "/api/v1/report-forms"),
    ("post", "/api/v1/report-forms"),
    ("get", "/api/v1/report-forms/analysis"),
    ("get", "/api/v1/report-forms/burden"),
    ("get", "/api/v1/report-forms/{form_id}"),
    ("post", "/api/v1/report-forms/{form_id}/actions/edit"),
    ("post", "/api/v1/report-forms/{form_id}/actions/decide"),
}

# The 复工复产 ledger (docs/resumption.md): each action writes one ResumptionEvent; the
# enterprise's history is read with it, never written.
EXPECTED_OPERATIONS |= {
    ("get", "/api/v1/enterprises"),
    ("post", "/api/v1/enterprises"),
    ("get", "/api/v1/enterprises/{enterprise_id}"),
    ("get", "/api/v1/enterprises/{enterprise_id}/history"),
    ("get", "/api/v1/enterprises/{enterprise_id}/ledger"),
}
EXPECTED_OPERATIONS |= {
    ("post", f"/api/v1/enterprises/{{enterprise_id}}/actions/{action}")
    for action in [
        "edit",
        "file",
        "resume",
        "stop",
        "exclude",
        "include",
        "record-ledger",
        "report-need",
    ]
}


def events_of(problem) -> list[tuple]:
    return list(
        ProblemEvent.objects.filter(problem=problem).values_list(
            "pk", "action", "actor_id", "created_at", "from_state", "to_state", "comment", "payload"
        )
    )


def test_the_api_offers_exactly_the_agreed_operations(world, anonymous):
    schema = anonymous.get("/openapi.json").json()
    offered = {(method, path) for path, ops in schema["paths"].items() for method in ops}
    assert offered == EXPECTED_OPERATIONS
    assert not any("event" in path for _, path in offered)


@pytest.mark.parametrize("method", ["put", "patch", "delete", "post"])
def test_problems_cannot_be_replaced_patched_or_deleted(world, api_as, method):
    problem = world.assigned()
    before = snapshot(problem), events_of(problem)
    response = api_as("county_office").call(method, f"/problems/{problem.pk}", {"state": "closed"})
    assert response.status_code == 405
    assert (snapshot(problem), events_of(problem)) == before


@pytest.mark.parametrize("method", ["get", "post", "put", "patch", "delete"])
@pytest.mark.parametrize(
    "path",
    ["/problems/{pk}/events", "/problems/{pk}/events/{event}", "/events", "/events/{event}"],
)
def test_there_is_no_event_endpoint(world, api_as, method, path):
    problem = world.assigned()
    event = ProblemEvent.objects.filter(problem=problem).first()
    before = events_of(problem)
    url = path.format(pk=problem.pk, event=event.pk)
    response = api_as("county_office").call(method, url, {"comment": "改写", "action": "assign"})
    assert response.status_code == 404
    assert response.json()["detail"]
    assert events_of(problem) == before


@pytest.mark.parametrize("method", ["get", "put", "patch", "delete"])
def test_action_urls_only_take_post(world, api_as, method):
    problem = world.problem()
    before = events_of(problem)
    response = api_as("county_office").call(method, f"/problems/{problem.pk}/actions/urge", {})
    assert response.status_code == 405
    assert events_of(problem) == before


def test_actions_only_append(world, api_as):
    problem = world.assigned()
    before = events_of(problem)
    api_as("county_office").act(problem, "urge", comment="催办")
    after = events_of(problem)
    assert after[: len(before)] == before
    assert len(after) == len(before) + 1


def test_event_fields_in_a_body_are_refused_not_ignored(world, api_as):
    problem = world.assigned()
    before = snapshot(problem), events_of(problem)
    response = api_as("county_office").act(
        problem, "urge", comment="催办", actor=world.users["county_leader"].pk
    )
    assert response.status_code == 422
    assert (snapshot(problem), events_of(problem)) == before


def test_unknown_api_urls_answer_json_404(world, api_as):
    response = api_as("county_office").client.get(BASE + "/nothing/here")
    assert response.status_code == 404
    assert response.json()["detail"]
