"""What the census fills into routes and what it expects back: the whole mapping, kept small.

Route classes (decided by the URL, not listed per route):
- page   (everything but /api and /admin), sent with GET, or with an empty POST when the
         page only takes POST: anonymous → redirect to the login page; an outsider → 404 when
         the route names a county object; otherwise one of NO_ID_STATUSES, and nothing of the
         county shown anywhere (the marker, looked for inside Word and Excel files too).
- api    (every OpenAPI operation, every method): anonymous → 401; an outsider → 404 when
         the path names a county object and the body is valid; an empty (invalid) body there
         must get exactly the answer a missing id gets (ninja validates the body before the
         view looks the object up: 422 either way, so it tells nothing); a query or body
         naming a county object is never answered 2xx by a write; otherwise as pages.
- admin  anonymous and every persona (none is staff) → redirect to the admin's login. What a
         staff user of one jurisdiction reaches in the admin is walked by tests/admin.
- public the exact list PUBLIC below: answer without a login; outsiders still see nothing.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from ducha.accountability.choices import RecordAction
from ducha.cadres.choices import CadreAction
from ducha.matters.choices import MatterAction
from ducha.problems.choices import Action
from ducha.referrals.choices import ALLOWED_FROM as REFERRAL_STEPS
from tests.census.county import MARKER

# Personas with no business in the county: no membership at all, another province's office,
# and every role of the neighbouring county (the same city above them).
OUTSIDERS = [
    "outsider",
    "other_office",
    "sibling_office",
    "sibling_handler",
    "sibling_team_member",
    "sibling_leader",
    "sibling_admin",
    "sibling_security",
    "sibling_audit",
    "sibling_discipline",
    "sibling_command",
    "sibling_organisation",
]


def outsiders_on(vendor: str) -> list[str]:
    """The outsiders the census sends on one database: every other one, so that the suite's
    two runs in CI (SQLite and PostgreSQL) send each outsider once between them. An outsider
    costs about 1,000 requests; the permission matrices still try every role on both."""
    return OUTSIDERS[vendor != "postgresql" :: 2]


# Who in the county opens each kind of object in the control (the county office otherwise).
INSIDERS = {
    "token": "county_handler",
    "security_event": "county_audit_admin",
    "security_key": "county_handler",
    "notification": "county_handler",
    # Cadres are read by the organisation department alone.
    "cadre_observation": "county_organisation",
    "cadre_candidate": "county_organisation",
}

# What an outsider may get from a route that names no county object: the page or answer
# (with nothing of the county in it), a redirect, a refusal of the role (403) or of the input
# (404 for a choice out of reach, 422). Anything else (5xx, 400, 405 left, 409…) is a finding.
NO_ID_STATUSES = {200, 201, 204, 302, 403, 404, 422}

# Routes that answer without a login, by pattern. The census fails if this list is not
# exactly the routes that do.
PUBLIC = {
    "",  # redirects to the problem queue, which asks for the login
    "accounts/login/",
    # The login's second step, before anyone is signed in: each acts only on the account
    # that passed the password step in this session (tests/twofactor).
    "accounts/login/code/",
    "accounts/login/key/options/",
    "accounts/login/key/",
    "accounts/two-factor/setup/",
    "accounts/logout/",
    "i18n/setlang/",
    # The health check for load balancers and monitoring: states and lag, no data
    # (docs/deployment.md, "Adding a replica").
    "health",
    # The field app's service worker and manifest hold no data; browsers fetch a manifest
    # without cookies (docs/field-app.md).
    "field/offline/sw.js",
    "field/offline/manifest.webmanifest",
    "admin/login/",
    "admin/logout/",
    "api/v1/openapi.json",
    "api/v1/docs",
    "api/v1/",
    "api/v1/<path:rest>",  # unknown API paths answer 404 in JSON, logged in or not
    "^api(?:/(?P<rest>.*))?$",  # other versions and the bare prefix, likewise
}

# Parameters that name an object of the county, by slot (see routes.slot): the kind of
# object from tests/census/county.py whose ids fill them.
OBJECT_SLOTS = {
    "problems/pk": "problem",
    "problems/problem_id": "problem",
    "tasks/pk": "task",
    "tasks/task_id": "task",
    "meetings/pk": "meeting",
    "meetings/meeting_id": "meeting",
    "inspections/pk": "inspection",
    "inspections/inspection_id": "inspection",
    "checklists/pk": "checklist_item",
    "checklist-items/item_id": "checklist_item",
    "revisits/pk": "revisit",
    "revisits/revisit_id": "revisit",
    "evidence/evidence_id": "evidence",
    "sites/pk": "site",
    "sites/site_id": "site",
    "regions/pk": "region",
    "reports/pk": "daily_report",
    "reports/report_id": "daily_report",
    "summaries/pk": "daily_summary",
    "summaries/summary_id": "daily_summary",
    "documents/pk": "document",
    "documents/document_id": "document",
    "imports/pk": "import_batch",
    "imports/batch_id": "import_batch",
    "tokens/pk": "token",
    "tokens/token_id": "token",
    "events/pk": "security_event",  # the audit trail's event page
    "accounts/pk": "user",  # the security administrator's console: one account
    "user/id": "user",  # admin: a user's password form
    "users/pk": "user",  # a security administrator's reset of a second factor
    "keys/pk": "security_key",
    "channels/pk": "org_channel",  # an org's group robot (delivery)
    "channels/channel_id": "org_channel",
    "r/object_id": "problem",  # admin: "view on site"
    "notifications/pk": "notification",
    "notifications/notification_id": "notification",
    "matters/pk": "matter_batch",
    "matter-batches/batch_id": "matter_batch",
    "handovers/pk": "matter_handover",
    "matter-handovers/handover_id": "matter_handover",
    "referrals/pk": "referral",
    "referrals/referral_id": "referral",
    "cadres/pk": "cadre_observation",
    "observations/observation_id": "cadre_observation",
    "candidates/pk": "cadre_candidate",
    "candidates/candidate_id": "cadre_candidate",
    "accountability/pk": "accountability",
    "accountability/record_id": "accountability",
    "commendations/pk": "commendation",
    "commendations/record_id": "commendation",
    "suggestions/pk": "suggestion",
    "suggestions/suggestion_id": "suggestion",
    "forms/pk": "report_form",
    "report-forms/form_id": "report_form",
    "report-form-returns/return_id": "form_return",
    "resumption/pk": "enterprise",
    "enterprises/enterprise_id": "enterprise",
    "policies/pk": "policy",
    "policies/policy_id": "policy",
    "units/pk": "unit",  # a unit's history of problems
    "sweeps/pk": "sweep",
    "sweeps/sweep_id": "sweep",
    "new/problem_id": "problem",  # launching a sweep from a problem
    "checks/pk": "self_check",
    "checks/check_id": "self_check",
}

# Parameters that name no object: the values tried.
VALUE_SLOTS = {
    "act/action": lambda: list(Action.values),
    "handovers/step": lambda: list(MatterAction.values),
    "referrals/step": lambda: [str(step) for step in REFERRAL_STEPS],
    "candidates/step": lambda: [CadreAction.REMOVE, CadreAction.MARK_USED],
    "accountability/step": lambda: list(RecordAction.values),
    "commendations/step": lambda: list(RecordAction.values),
    "day/day": lambda: [timezone.localdate().isoformat()],
    "files/file_format": lambda: ["docx", "xlsx", "pdf"],
    "export/file_format": lambda: ["csv", "xlsx", "pdf"],
    "v1/rest": lambda: ["no/such/route"],
    "api/rest": lambda: ["v2/problems"],
    "admin/url": lambda: ["no/such/page/"],
    "admin/app_label": lambda: ["problems"],
    "r/content_type_id": lambda: [_content_type_of_problems()],
    # A kind is a focus area, a shared catalogue: the county's problems are of this one.
    "kinds/focus_area_id": lambda: [_screening()],
}

# An admin row: `admin/<app>/<model>/<object_id>/…` is filled with a row of that model.
ADMIN_ROW = "object_id"


def _screening() -> int:
    from ducha.problems.models import FocusArea

    return FocusArea.objects.get(code="screening").pk


def _content_type_of_problems() -> int:
    from django.contrib.contenttypes.models import ContentType

    from ducha.problems.models import Problem

    return ContentType.objects.get_for_model(Problem).pk


# Body and query fields that name an object: the kind whose county id fills them. Shared
# catalogues (focus areas) are everyone's, so they are filled with a real one and do not
# make a request "name the county".
FIELD_KINDS = {
    "problem": "problem",
    "problem_event": "problem_event",
    "inspection": "inspection",
    "task": "task",
    "meeting": "meeting",
    "item": "checklist_item",
    "site": "site",
    "sites": "site",
    "region": "region",
    "regions": "region",
    "team": "team",
    "office": "office",
    "issuer": "office",
    "issuing_office": "office",
    "offices": "office",
    "units": "unit",
    "org": "unit",
    "to_org": "office",
    "recipient": "unit",
    "responsible_org": "unit",
    "members_present": "user",
    "receiver": "receiving_body",
    "observations": "cadre_observation",
    "problems": "problem",
    "suggestion": "suggestion",
    "department": "unit",
    "merged_into": "report_form",
    "supervisor": "unit",
    "issuing_body": "office",
}
SHARED_FIELDS = {"focus_area": "focus_area", "focus_areas": "focus_area"}

# Values for fields whose format alone does not make them valid.
FIELD_VALUES = {
    "day": lambda: (timezone.localdate() + timedelta(days=3)).isoformat(),
    "held_on": lambda: timezone.localdate().isoformat(),
    "visited_at": lambda: (timezone.now() - timedelta(hours=1)).isoformat(),
    "size": lambda: 1,
    "passed": lambda: True,
    # A search (`GET /search`, `q=` of the lists) asks for the county's own words: an
    # outsider must not find them.
    "q": lambda: MARKER,
}

# Findings the census makes today that are bugs to fix, as (route or operation, persona,
# what happened). The census fails when one of them no longer happens, so a fixed bug is
# taken off this list in the same change.
KNOWN_FAILURES: set[tuple[str, str, str]] = set()
