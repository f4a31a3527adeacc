"""Parity of the daily cycle, the documents and the ledger imports."""

from __future__ import annotations

from typing import Any

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from ducha.daily import actions as daily
from ducha.documents import actions as documents
from ducha.documents.kinds import spec
from ducha.ledger import actions as ledger
from tests.daily.scene import busy_day
from tests.ledger.conftest import row, workbook
from tests.parity.harness import Call, Case, check_refusal, check_success, patch, post, run
from tests.world import World

pytestmark = pytest.mark.django_db


def case(name: str, persona: str, setup: Any, page: Any, api: Any, **options: Any) -> Case:
    return Case(name, persona, setup, page, api, **options)


# --- the daily cycle -------------------------------------------------------------------------


def a_report(world: World) -> Any:
    scene = busy_day(world)
    return daily.draft_day(scene.day, teams=[scene.team]).reports[0]


def an_empty_report(world: World) -> Any:
    report = a_report(world)
    return daily.do_edit_report(
        report, acting_user=world.users["county_team_member"], work="", cases="", difficulties=""
    )


def a_submitted_report(world: World) -> Any:
    report = a_report(world)
    return daily.do_submit_report(report, acting_user=world.users["county_team_member"])


def a_summary(world: World) -> Any:
    scene = busy_day(world)
    return daily.draft_day(scene.day, offices=[world.orgs["county_office"]]).summaries[0]


TEXTS = {"work": "暗访两处卡口", "cases": "发现一起未登记", "difficulties": "缺少测温枪"}
SUMMARY = {"overview": "全区督查三处", "cases": "卡口未登记", "decisions": "明日复查"}


def report_call(suffix: str = "", data: dict[str, Any] | None = None) -> tuple[Any, Any]:
    def page(world: World, report: Any) -> Call:
        return post(f"/daily/reports/{report.pk}/{suffix}", data or {})

    def api(world: World, report: Any) -> Call:
        if not suffix:
            return patch(f"/daily/reports/{report.pk}", data or {})
        return post(f"/daily/reports/{report.pk}/{suffix.rstrip('/')}", data or {})

    return page, api


def summary_call(suffix: str = "", data: dict[str, Any] | None = None) -> tuple[Any, Any]:
    def page(world: World, summary: Any) -> Call:
        return post(f"/daily/summaries/{summary.pk}/{suffix}", data or {})

    def api(world: World, summary: Any) -> Call:
        if not suffix:
            return patch(f"/daily/summaries/{summary.pk}", data or {})
        return post(f"/daily/summaries/{summary.pk}/{suffix.rstrip('/')}", data or {})

    return page, api


def _draft_now(world: World, scene_day: Any) -> tuple[Any, Any]:
    return scene_day


def drafting(name: str) -> Case:
    def setup(world: World) -> Any:
        return busy_day(world)

    def page(world: World, scene: Any) -> Call:
        return post("/daily/draft/", {"day": scene.day.isoformat(), "team": scene.team.pk})

    def api(world: World, scene: Any) -> Call:
        return post("/daily/draft", {"day": scene.day.isoformat(), "team": scene.team.pk})

    return case(name, "county_team_member", setup, page, api, good=True)


DAILY = [
    case("write the report", "county_team_member", a_report, *report_call("", TEXTS), good=True),
    case(
        "write a report too long",
        "county_team_member",
        a_report,
        *report_call("", {**TEXTS, "work": "字" * 10_001}),
        field="work",
    ),
    case(
        "count the report again",
        "county_team_member",
        a_report,
        *report_call("refresh/"),
        good=True,
    ),
    case("submit the report", "county_team_member", a_report, *report_call("submit/"), good=True),
    case(
        "submit a report without its work",
        "county_team_member",
        an_empty_report,
        *report_call("submit/"),
        field="work",
    ),
    case(
        "submit a submitted report",
        "county_team_member",
        a_submitted_report,
        *report_call("submit/"),
        status=409,
    ),
    case(
        "return the report",
        "county_office",
        a_submitted_report,
        *report_call("return/", {"reason": "数字有误请核对"}),
        good=True,
    ),
    case(
        "return the report without a reason",
        "county_office",
        a_submitted_report,
        *report_call("return/", {"reason": " "}),
        field="reason",
    ),
    case(
        "return a report not yet submitted",
        "county_office",
        a_report,
        *report_call("return/", {"reason": "请补充"}),
        status=409,
    ),
    case("write the summary", "county_office", a_summary, *summary_call("", SUMMARY), good=True),
    case(
        "count the summary again", "county_office", a_summary, *summary_call("refresh/"), good=True
    ),
    case("finalise the summary", "county_office", a_summary, *summary_call("finalise/"), good=True),
    drafting("draft the team's report now"),
]


# --- documents --------------------------------------------------------------------------------


def a_draft(world: World) -> Any:
    return documents.do_create_draft(
        acting_user=world.users["county_office"],
        kind="bulletin",
        issuer=world.orgs["county_office"],
        params={},
    )


def an_issued_document(world: World) -> Any:
    return documents.do_issue_document(a_draft(world), acting_user=world.users["county_office"])


def drafting_bulletin(name: str, issuer: str, **options: Any) -> Case:
    def page(world: World, _: Any) -> Call:
        data = {"kind": "bulletin", "issuer": world.orgs[issuer].pk, "title": "", "region": ""}
        return post("/documents/new/?kind=bulletin", {**data, "as_of": ""})

    def api(world: World, _: Any) -> Call:
        return post("/documents", {"kind": "bulletin", "issuer": world.orgs[issuer].pk})

    return case(name, "county_office", lambda world: None, page, api, **options)


def editing(name: str, title: str, **options: Any) -> Case:
    def texts(document: Any) -> dict[str, str]:
        return {key: f"第{n}段" for n, (key, _label) in enumerate(spec("bulletin").text_keys)}

    def page(world: World, document: Any) -> Call:
        fields = {f"text_{key}": text for key, text in texts(document).items()}
        return post(
            f"/documents/{document.pk}/edit/", {"title": title, "addressee": "各单位", **fields}
        )

    def api(world: World, document: Any) -> Call:
        body = {"title": title, "addressee": "各单位", "texts": texts(document)}
        return patch(f"/documents/{document.pk}", body)

    return case(name, "county_office", a_draft, page, api, **options)


def issuing(name: str, setup: Any, **options: Any) -> Case:
    return case(
        name,
        "county_office",
        setup,
        lambda world, document: post(f"/documents/{document.pk}/issue/"),
        lambda world, document: post(f"/documents/{document.pk}/issue"),
        **options,
    )


DOCUMENTS = [
    drafting_bulletin("draft a bulletin", "county_office", good=True),
    drafting_bulletin("draft in the name of another office", "sibling_office", field="issuer"),
    editing("edit the draft", "第3期通报", good=True),
    editing("edit the draft with a title too long", "通" * 201, field="title"),
    issuing("issue the draft", a_draft, good=True),
    issuing("issue an issued document", an_issued_document, status=409),
]


# --- ledger imports ---------------------------------------------------------------------------


def ledger_file(data: bytes, name: str = "台账.xlsx") -> Any:
    return lambda: [SimpleUploadedFile(name, data, content_type="application/octet-stream")]


def uploading(name: str, data: bytes, file_name: str = "台账.xlsx", **options: Any) -> Case:
    upload = ledger_file(data, file_name)
    return case(
        name,
        "county_office",
        lambda world: None,
        lambda world, _: post("/ledger/imports/", file=upload()),
        lambda world, _: post("/ledger/imports", file=upload()),
        **options,
    )


def a_checked_batch(world: World) -> Any:
    data = workbook([row(), row(**{"承办单位": "双桥区卫健局"})])
    upload = SimpleUploadedFile("台账.xlsx", data, content_type="application/octet-stream")
    return ledger.do_upload_import(acting_user=world.users["county_office"], upload=upload)


def deciding(name: str, verb: str, setup: Any, **options: Any) -> Case:
    return case(
        name,
        "county_office",
        setup,
        lambda world, batch: post(f"/ledger/imports/{batch.pk}/{verb}/"),
        lambda world, batch: post(f"/ledger/imports/{batch.pk}/{verb}"),
        **options,
    )


def a_cancelled_batch(world: World) -> Any:
    return ledger.do_cancel_import(a_checked_batch(world), acting_user=world.users["county_office"])


LEDGER = [
    uploading("upload a ledger", workbook([row()]), good=True),
    uploading("upload a file that is no ledger", b"not a workbook", "台账.xlsx", field="file"),
    deciding("confirm an import", "confirm", a_checked_batch, good=True),
    deciding("cancel an import", "cancel", a_checked_batch, good=True),
    deciding("confirm a cancelled import", "confirm", a_cancelled_batch, status=409),
]

CASES = DAILY + DOCUMENTS + LEDGER


@pytest.mark.parametrize("case", [c for c in CASES if c.good], ids=str)
def test_the_same_good_input_gives_the_same_events(world, media, case):
    check_success(case, *run(world, case))


@pytest.mark.parametrize("case", [c for c in CASES if not c.good], ids=str)
def test_the_same_bad_input_is_refused_alike(world, media, case):
    check_refusal(case, *run(world, case))
