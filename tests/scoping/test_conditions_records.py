"""The condition and acting lines of the daily cycle's, the documents' and the import batches'
querysets, one case each."""

from __future__ import annotations

import itertools
from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from ducha.accounts.choices import Role
from ducha.accounts.models import Membership, User
from ducha.core.scoping import VIEW
from ducha.daily.choices import DAILY_ACTION_ROLES, DailyAction
from ducha.daily.models import DailyReport, DailySummary
from ducha.daily.querysets import DailyOffices, DailyTeams, ReportQuerySet, SummaryQuerySet
from ducha.documents.choices import DOC_ACTION_ROLES
from ducha.documents.models import Document, DocumentProblem
from ducha.documents.querysets import DocumentQuerySet, IssuingOffices
from ducha.ledger.models import ImportBatch
from ducha.ledger.querysets import ImportBatchQuerySet
from ducha.orgs.choices import OrgKind
from ducha.orgs.models import Org, Team
from tests.scoping.cases import Case, Rows, check_acting, check_condition
from tests.world import PASSWORD, World

pytestmark = pytest.mark.django_db

# Rows are written straight to the tables: these cases test the filters, not the actions.


# One team or office writes one report or summary a day: each row gets a day of its own.
_days = itertools.count(0)


def _day() -> Any:
    return timezone.localdate() - timedelta(days=next(_days))


def _report(w: World, team: str | Team) -> DailyReport:
    return DailyReport.objects.create(
        team=w.teams[team] if isinstance(team, str) else team, day=_day(), figures_at=timezone.now()
    )


def _summary(w: World, office: str) -> DailySummary:
    return DailySummary.objects.create(office=w.orgs[office], day=_day(), figures_at=timezone.now())


_numbers = itertools.count(1)


def _document(
    w: World, issuer: str, *, issued: bool, kind: str = "bulletin", **more: Any
) -> Document:
    now = timezone.now()
    if issued:
        more.update(number=next(_numbers), year=now.year, issued_at=now)
        more.update(issued_by=w.users["county_office"])
    return Document.objects.create(
        kind=kind,
        state="issued" if issued else "draft",
        issuer=w.orgs[issuer],
        title="通报",
        as_of=now.date(),
        created_by=w.users["county_office"],
        created_at=now,
        updated_at=now,
        **more,
    )


def _batch(w: World, region: str, by: str = "county_office") -> ImportBatch:
    return ImportBatch.objects.create(
        uploaded_by=w.users[by],
        region=w.orgs[region],
        file="imports/x.xlsx",
        original_name="x.xlsx",
        size=1,
        sha256="0" * 64,
    )


# --- daily reports and summaries -----------------------------------------------------------


def _reports_of_the_countys_teams(w: World) -> Rows:
    # Teams dispatched from inside the county, and teams sent into it from above.
    sent_in = Team.objects.create(
        name="市驻镇督查组", kind="stationed", dispatched_by=w.orgs["city_office"]
    )
    sent_in.regions.add(w.orgs["town"])
    return Rows(
        [_report(w, "county_team"), _report(w, sent_in)],
        [_report(w, "sibling_team"), _report(w, "province_team")],
    )


def _reports_of_the_own_team(w: World) -> Rows:
    # Not those of the other teams of the county the member's grant covers.
    other = Team.objects.create(
        name="区第二督查组", kind="joint", dispatched_by=w.orgs["county_office"]
    )
    other.regions.add(w.orgs["county"])
    return Rows([_report(w, "county_team")], [_report(w, other), _report(w, "sibling_team")])


def _summaries_of_the_countys_offices(w: World) -> Rows:
    return Rows(
        [_summary(w, "county_office"), _summary(w, "town_office")],
        [_summary(w, "sibling_office"), _summary(w, "city_office")],
    )


def _summary_of_the_own_office(w: World) -> Rows:
    # The county office reads the town's summary; only the town office writes it.
    return Rows([_summary(w, "county_office")], [_summary(w, "town_office")])


def _offices_of_the_county(w: World) -> Rows:
    # Offices only: not the county's departments, nor the offices beside or above it.
    return Rows(
        [w.orgs["county_office"], w.orgs["town_office"]],
        [w.orgs["county_dept"], w.orgs["sibling_office"], w.orgs["city_office"]],
    )


def _the_own_office(w: World) -> Rows:
    # The county office reads the town office's agenda; it drafts for itself only.
    return Rows([w.orgs["county_office"]], [w.orgs["town_office"]])


def _active_teams_of_the_county(w: World) -> Rows:
    stood_down = Team.objects.create(
        name="区已撤督查组", kind="joint", dispatched_by=w.orgs["county_office"], active=False
    )
    return Rows([w.teams["county_team"]], [stood_down, w.teams["sibling_team"]])


def _the_own_team(w: World) -> Rows:
    other = Team.objects.create(
        name="区第三督查组", kind="joint", dispatched_by=w.orgs["county_office"]
    )
    return Rows([w.teams["county_team"]], [other, w.teams["sibling_team"]])


# --- documents ----------------------------------------------------------------------------


def _documents_of_the_county_office(w: World) -> Rows:
    return Rows(
        [
            _document(w, "county_office", issued=False),
            _document(w, "town_office", issued=True),
            _document(w, "city_office", issued=True, recipient=w.orgs["county_office"]),
        ],
        [
            _document(w, "city_office", issued=True),
            _document(w, "sibling_office", issued=False),
            _document(w, "city_office", issued=False, recipient=w.orgs["county_office"]),
        ],
    )


def _documents_issued_in_the_county(w: World) -> Rows:
    return Rows(
        [_document(w, "county_office", issued=True), _document(w, "town_office", issued=True)],
        [_document(w, "county_office", issued=False), _document(w, "sibling_office", issued=True)],
    )


def _list_naming(w: World, problem: Any, *, issued: bool) -> Document:
    document = _document(w, "county_office", issued=issued, kind="problem_list")
    DocumentProblem.objects.create(
        document=document, problem=problem, position=1, responsible_org=problem.responsible_org
    )
    return document


def _documents_for_the_unit(w: World) -> Rows:
    unit = w.orgs["county_dept"]
    return Rows(
        [
            _document(w, "county_office", issued=True, kind="rectification_letter", recipient=unit),
            _list_naming(w, w.assigned("county_dept"), issued=True),
        ],
        [
            _document(
                w, "county_office", issued=False, kind="rectification_letter", recipient=unit
            ),
            _list_naming(w, w.assigned("county_market_dept"), issued=True),
            _list_naming(w, w.assigned("county_dept"), issued=False),
        ],
    )


def _documents_for_the_command(w: World) -> Rows:
    command = w.orgs["city_command"]
    return Rows(
        [_document(w, "city_office", issued=True, recipient=command)],
        [
            _document(w, "city_office", issued=True),
            _document(w, "city_office", issued=False, recipient=command),
        ],
    )


def _police(w: World) -> Org:
    """The county's public security bureau and one of its officers (the shared world may
    already hold them)."""
    if "county_police" not in w.users:
        w.orgs["county_police"] = Org.objects.create(
            kind=OrgKind.POLICE, name="双桥区公安分局", parent=w.orgs["county"]
        )
        user = User.objects.create_user("county_police", password=PASSWORD, name="区公安民警")
        Membership.objects.create(user=user, org=w.orgs["county_police"], role=Role.POLICE)
        w.users["county_police"] = user
    return w.orgs["county_police"]


def _documents_for_the_police(w: World) -> Rows:
    police = _police(w)
    letter = "referral_letter"
    return Rows(
        [_document(w, "county_office", issued=True, kind=letter, recipient=police)],
        [
            _document(w, "county_office", issued=True),
            _document(w, "county_office", issued=False, kind=letter, recipient=police),
        ],
    )


def _drafts_of_the_county(w: World) -> Rows:
    # Addressed to the county office, a document of the city is read there, not changed.
    return Rows(
        [_document(w, "county_office", issued=False), _document(w, "town_office", issued=False)],
        [_document(w, "city_office", issued=True, recipient=w.orgs["county_office"])],
    )


# --- import batches -----------------------------------------------------------------------


def _batches_uploaded_in_the_county(w: World) -> Rows:
    return Rows(
        [_batch(w, "county", by="county_team_member"), _batch(w, "town", by="town_office")],
        [_batch(w, "sibling", by="sibling_office"), _batch(w, "city", by="city_office")],
    )


COUNTY_READERS = {
    Role.OFFICE_STAFF: "county_office",
    Role.LEADER: "county_leader",
}

CASES = [
    *(
        Case(ReportQuerySet, role, persona, _reports_of_the_countys_teams)
        for role, persona in COUNTY_READERS.items()
    ),
    Case(ReportQuerySet, Role.TEAM_MEMBER, "county_team_member", _reports_of_the_own_team),
    *(
        Case(SummaryQuerySet, role, persona, _summaries_of_the_countys_offices)
        for role, persona in COUNTY_READERS.items()
    ),
    *(
        Case(DailyOffices, role, persona, _offices_of_the_county)
        for role, persona in COUNTY_READERS.items()
    ),
    *(
        Case(DailyTeams, role, persona, _active_teams_of_the_county)
        for role, persona in COUNTY_READERS.items()
    ),
    Case(DailyTeams, Role.TEAM_MEMBER, "county_team_member", _the_own_team),
    Case(IssuingOffices, Role.OFFICE_STAFF, "county_office", _offices_of_the_county),
    Case(DocumentQuerySet, Role.OFFICE_STAFF, "county_office", _documents_of_the_county_office),
    Case(DocumentQuerySet, Role.LEADER, "county_leader", _documents_issued_in_the_county),
    Case(DocumentQuerySet, Role.DISCIPLINE, "county_discipline", _documents_issued_in_the_county),
    Case(DocumentQuerySet, Role.UNIT_HANDLER, "county_handler", _documents_for_the_unit),
    Case(DocumentQuerySet, Role.COMMAND, "city_command", _documents_for_the_command),
    Case(DocumentQuerySet, Role.POLICE, "county_police", _documents_for_the_police),
    Case(ImportBatchQuerySet, Role.OFFICE_STAFF, "county_office", _batches_uploaded_in_the_county),
]

ACTING = [
    Case(DailyOffices, DailyAction.DRAFT, "county_office", _the_own_office),
    *(
        Case(SummaryQuerySet, action, "county_office", _summary_of_the_own_office)
        for action in DAILY_ACTION_ROLES
        if action != VIEW
    ),
    *(
        Case(DocumentQuerySet, action, "county_office", _drafts_of_the_county)
        for action in DOC_ACTION_ROLES
        if action != VIEW
    ),
]


@pytest.mark.parametrize("case", CASES, ids=lambda case: case.id)
def test_condition(case: Case, world: World) -> None:
    check_condition(case, world)


@pytest.mark.parametrize("case", ACTING, ids=lambda case: case.id)
def test_acting(case: Case, world: World) -> None:
    check_acting(case, world)


def test_the_uploader_sees_their_own_batches_wherever_they_were_uploaded(world: World) -> None:
    member = world.users["county_team_member"]
    own = _batch(world, "sibling", by="county_team_member")
    _batch(world, "county", by="county_office")
    assert set(ImportBatch.objects.visible_to(member)) == {own}
    assert ImportBatch.objects.roles_on(member, own.pk) == {"owner"}
    # The offices of the county read it; the uploader alone decides on it.
    office = world.users["county_office"]
    in_county = _batch(world, "county", by="county_team_member")
    assert ImportBatch.objects.roles_on(office, in_county.pk) == {Role.OFFICE_STAFF}
    assert ImportBatch.objects.roles_on(member, in_county.pk, "confirm") == {"owner"}
    assert not ImportBatch.objects.roles_on(office, in_county.pk, "confirm")


def test_an_inactive_uploader_sees_nothing(world: World) -> None:
    member = world.users["county_team_member"]
    _batch(world, "county", by="county_team_member")
    member.is_active = False
    member.save()
    assert not ImportBatch.objects.visible_to(member).exists()
