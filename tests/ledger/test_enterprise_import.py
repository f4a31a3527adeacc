"""Importing an enterprise ledger (复工复产台账) through the API: enterprises created or
updated with their statuses in date order, errors named by row and column, nothing or only
the valid rows, the jurisdiction's rule, and an import that resumes after a crash."""

from __future__ import annotations

import io
from collections import Counter
from datetime import date, timedelta
from typing import Any

import pytest
from django.utils import timezone
from openpyxl import Workbook

from ducha.ledger import runs
from ducha.ledger.enterprises import ENTERPRISE_COLUMNS
from ducha.ledger.models import ImportedEnterprise, ImportEvent
from ducha.resumption.choices import Category, EnterpriseKind
from ducha.resumption.models import Enterprise, ResumptionEvent, ResumptionRule, ResumptionSpell
from tests.api.conftest import BASE
from tests.ledger.conftest import upload_file

pytestmark = pytest.mark.django_db

CODE = "91130802MA0A1B2C3D"


def heading(key: str) -> str:
    """A column's heading as the template writes it in the active language."""
    return str(ENTERPRISE_COLUMNS.by_key[key].label)


def days_ago(days: int) -> date:
    return timezone.localdate() - timedelta(days=days)


def enterprise(**values: Any) -> dict[str, Any]:
    """A row keyed by column; an industrial enterprise of the county by default."""
    defaults = {
        "name": "双桥区示例制造有限公司",
        "kind": str(EnterpriseKind.ENTERPRISE.label),
        "category": str(Category.INDUSTRY_ABOVE_SCALE.label),
        "region": "双桥区",
        "registered_on": days_ago(60),
    }
    return {**defaults, **values}


def ledger(rows: list[dict[str, Any] | None]) -> bytes:
    keys = [column.key for column in ENTERPRISE_COLUMNS.importable]
    book = Workbook()
    sheet = book.active
    sheet.title = str(ENTERPRISE_COLUMNS.sheet)
    sheet.append([heading(key) for key in keys])
    for values in rows:
        sheet.append([None] * len(keys) if values is None else [values.get(k) for k in keys])
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()


def upload(api, data: bytes):
    return api.client.post(
        BASE + "/ledger/enterprise-imports",
        {"file": upload_file(data, "复工复产台账.xlsx")},
        headers=api.headers,
    )


def errors_of(batch: dict[str, Any]) -> list[tuple[int, str, str]]:
    return [(e["row"], e["column"], e["code"]) for e in batch["errors"]]


def test_a_good_file_imports_enterprises_with_their_statuses(world, api_as):
    api = api_as("county_office")
    data = ledger(
        [
            enterprise(
                name="甲厂",
                credit_code=CODE,
                area="南区",
                supervisor="双桥区卫健局",
                filed_on=days_ago(30),
                resumed_on=days_ago(20),
            ),
            enterprise(
                name="乙工地",
                kind=str(EnterpriseKind.PROJECT.label),
                category=str(Category.CONSTRUCTION.label),
                region="双桥区/水泉沟镇",
            ),
            # Dates written in another order than they happened: taken in date order.
            enterprise(
                name="丙店",
                category=str(Category.SERVICES.label),
                stopped_on=days_ago(5),
                resumed_on=days_ago(10),
                filed_on=days_ago(12),
            ),
            enterprise(
                name="机场",
                category=str(Category.CONSTRUCTION.label),
                kind=str(EnterpriseKind.PROJECT.label),
                supervised=str(_no()),
                excluded_reason="省级项目",
            ),
        ]
    )
    response = upload(api, data)
    assert response.status_code == 201, response.content
    batch = response.json()
    assert (batch["kind"], batch["state"]) == ("enterprises", "validated")
    assert (batch["rows_total"], batch["rows_valid"], batch["rows_invalid"]) == (4, 4, 0)
    assert Enterprise.objects.count() == 0  # the check writes nothing

    confirmed = api.post(f"/ledger/imports/{batch['id']}/confirm")
    assert confirmed.status_code == 200, confirmed.content
    result = confirmed.json()
    assert result["state"] == "imported"
    assert [(e["row"], e["created"]) for e in result["enterprises"]] == [
        (2, True),
        (3, True),
        (4, True),
        (5, True),
    ]
    first = Enterprise.objects.get(name="甲厂")
    assert (first.credit_code, first.area, first.region) == (CODE, "南区", world.orgs["county"])
    assert first.supervisor == world.orgs["county_dept"]
    assert (first.filed_on, first.status, first.status_on) == (
        days_ago(30),
        "resumed",
        days_ago(20),
    )
    assert first.county == world.orgs["county"] and first.created_by == world.users["county_office"]
    events = list(
        first.events.order_by("pk").values_list("action", "on", "from_status", "to_status")
    )
    assert events == [
        ("import", None, "", "registered"),
        ("file", days_ago(30), "registered", "filed"),
        ("resume", days_ago(20), "filed", "resumed"),
    ]
    assert first.version == 3
    assert list(first.spells.values_list("resumed_on", "stopped_on", "category")) == [
        (days_ago(20), None, "industry_above_scale")
    ]
    site = Enterprise.objects.get(name="乙工地")
    assert (site.kind, site.category, site.region) == (
        "project",
        "construction",
        world.orgs["town"],
    )
    assert (site.status, site.filed_on, site.status_on) == ("registered", None, None)
    shop = Enterprise.objects.get(name="丙店")
    assert (shop.status, shop.status_on) == ("stopped", days_ago(5))
    assert list(shop.events.order_by("pk").values_list("action", flat=True)) == [
        "import",
        "file",
        "resume",
        "stop",
    ]
    assert list(shop.spells.values_list("resumed_on", "stopped_on")) == [
        (days_ago(10), days_ago(5))
    ]
    airport = Enterprise.objects.get(name="机场")
    assert (airport.supervised, airport.excluded_reason) == (False, "省级项目")
    for event in ResumptionEvent.objects.all():
        assert event.payload["import"] == batch["id"]
        assert event.actor == world.users["county_office"]
    assert list(
        ImportEvent.objects.filter(batch_id=batch["id"]).values_list("action", flat=True)
    ) == ["upload", "validate", "confirm", "import"]


def _no() -> str:
    from ducha.ledger.enterprises import NO

    return str(NO)


def test_errors_name_the_row_and_the_column(world, api_as):
    api = api_as("county_office")
    registered = days_ago(30)
    data = ledger(
        [
            enterprise(name="好厂"),
            enterprise(name="早备案", registered_on=registered, filed_on=days_ago(40)),
            enterprise(name="未备案先复工", resumed_on=days_ago(3)),
            enterprise(name="类别不明", category="不存在的类别"),
            enterprise(name="日期不明", filed_on="三月初"),
            enterprise(name="别区的厂", region="双滦区"),
            enterprise(name="代码不对", credit_code="123"),
            enterprise(name="不监管没原因", supervised=_no()),
            enterprise(name="未来复工", filed_on=days_ago(2), resumed_on=days_ago(-3)),
            enterprise(name="无登记日", registered_on=None),
            enterprise(name="好厂"),
        ]
    )
    batch = upload(api, data).json()
    assert (batch["rows_total"], batch["rows_valid"]) == (11, 1)
    assert errors_of(batch) == [
        (3, "filed_on", "refused"),
        (4, "resumed_on", "refused"),
        (5, "category", "not_a_choice"),
        (6, "filed_on", "not_a_date"),
        (7, "region", "region_not_found"),
        (8, "credit_code", "not_a_credit_code"),
        (9, "excluded_reason", "required"),
        (10, "resumed_on", "refused"),
        (11, "registered_on", "refused"),
        (12, "name", "duplicate_enterprise"),
    ]
    by_row = {e["row"]: e for e in batch["errors"]}
    # A status before the registration says the registration day.
    assert registered.isoformat() in by_row[3]["message"]
    assert by_row[3]["column_label"] == heading("filed_on")
    assert by_row[4]["column_label"] == heading("resumed_on")
    assert all(error["message"] for error in batch["errors"])
    assert by_row[12]["message"] != by_row[12]["code"]


def test_only_the_valid_rows_or_nothing(world, api_as):
    api = api_as("county_office")
    data = ledger(
        [
            enterprise(name="甲厂", filed_on=days_ago(3)),
            enterprise(name="乙厂", resumed_on=days_ago(3)),  # not filed: refused
            enterprise(name="丙厂"),
        ]
    )
    nothing = upload(api, data).json()
    assert errors_of(nothing) == [(3, "resumed_on", "refused")]
    cancelled = api.post(f"/ledger/imports/{nothing['id']}/cancel")
    assert cancelled.status_code == 200 and cancelled.json()["state"] == "cancelled"
    assert Enterprise.objects.count() == 0 and ResumptionEvent.objects.count() == 0
    assert api.post(f"/ledger/imports/{nothing['id']}/confirm").status_code == 409

    valid_only = upload(api, data).json()
    result = api.post(f"/ledger/imports/{valid_only['id']}/confirm").json()
    assert [e["row"] for e in result["enterprises"]] == [2, 4]
    assert sorted(Enterprise.objects.values_list("name", flat=True)) == ["丙厂", "甲厂"]
    assert ImportedEnterprise.objects.filter(batch_id=valid_only["id"]).count() == 2


def test_a_row_with_a_known_credit_code_updates_that_enterprise(world, api_as):
    api = api_as("county_office")
    first = upload(api, ledger([enterprise(name="甲厂", credit_code=CODE, filed_on=days_ago(9))]))
    api.post(f"/ledger/imports/{first.json()['id']}/confirm")
    ent = Enterprise.objects.get()
    assert (ent.status, ent.version) == ("filed", 2)

    # The same file again changes nothing; the code in lower case still matches.
    again = upload(
        api, ledger([enterprise(name="甲厂", credit_code=CODE.lower(), filed_on=days_ago(9))])
    )
    assert again.json()["rows_valid"] == 1
    api.post(f"/ledger/imports/{again.json()['id']}/confirm")
    assert ResumptionEvent.objects.count() == 2

    later = ledger(
        [
            enterprise(
                name="甲厂（更名）",
                credit_code=CODE,
                category=str(Category.KEY_SUPPLIES.label),
                region="水泉沟镇",
                filed_on=days_ago(9),
                resumed_on=days_ago(4),
            )
        ]
    )
    batch = upload(api, later).json()
    assert batch["rows_valid"] == 1, batch["errors"]
    result = api.post(f"/ledger/imports/{batch['id']}/confirm").json()
    assert [(e["row"], e["created"], e["enterprise"]["id"]) for e in result["enterprises"]] == [
        (2, False, ent.pk)
    ]
    ent.refresh_from_db()
    assert Enterprise.objects.count() == 1
    assert (ent.name, ent.category, ent.region, ent.town) == (
        "甲厂（更名）",
        "key_supplies",
        world.orgs["town"],
        world.orgs["town"],
    )
    assert (ent.filed_on, ent.status, ent.status_on, ent.version) == (
        days_ago(9),
        "resumed",
        days_ago(4),
        4,
    )
    edit = ent.events.get(action="edit")
    assert edit.payload["changes"]["category"] == ["industry_above_scale", "key_supplies"]
    spell = ResumptionSpell.objects.get()
    assert (spell.category, spell.town) == ("key_supplies", world.orgs["town"])

    # Filed already on another day: the row is refused, naming the filing column.
    refused = upload(api, ledger([enterprise(credit_code=CODE, filed_on=days_ago(1))])).json()
    assert errors_of(refused) == [(2, "filed_on", "refused")]
    # A different registration day is not changed by an import.
    other_day = upload(api, ledger([enterprise(credit_code=CODE, registered_on=days_ago(7))]))
    assert errors_of(other_day.json()) == [(2, "registered_on", "refused")]


def test_a_stop_closes_the_spell_of_an_enterprise_already_working(world, api_as):
    api = api_as("county_office")
    batch = upload(
        api, ledger([enterprise(credit_code=CODE, filed_on=days_ago(9), resumed_on=days_ago(8))])
    )
    api.post(f"/ledger/imports/{batch.json()['id']}/confirm")
    stop = upload(api, ledger([enterprise(credit_code=CODE, stopped_on=days_ago(2))])).json()
    assert stop["rows_valid"] == 1, stop["errors"]
    api.post(f"/ledger/imports/{stop['id']}/confirm")
    ent = Enterprise.objects.get()
    assert (ent.status, ent.status_on) == ("stopped", days_ago(2))
    assert list(ResumptionSpell.objects.values_list("resumed_on", "stopped_on")) == [
        (days_ago(8), days_ago(2))
    ]


def test_scoping_regions_outside_the_jurisdiction_and_roles(world, api_as):
    town = api_as("town_office")
    # The town office registers in its town only: the county reads as unknown to it.
    batch = upload(
        town, ledger([enterprise(region="130802"), enterprise(name="镇上", region="水泉沟镇")])
    )
    assert batch.status_code == 201, batch.content
    assert errors_of(batch.json()) == [(2, "region", "region_not_found")]
    sibling = upload(api_as("sibling_office"), ledger([enterprise(region="130802100")])).json()
    assert errors_of(sibling) == [(2, "region", "region_not_found")]
    # A unit handler records statuses but does not register enterprises.
    handler = api_as("county_handler")
    assert upload(handler, ledger([enterprise()])).status_code == 403
    assert handler.get("/ledger/enterprise-template").status_code == 403
    # …and an existing enterprise of another jurisdiction is not matched by its code.
    county = api_as("county_office")
    done = upload(county, ledger([enterprise(credit_code=CODE)])).json()
    county.post(f"/ledger/imports/{done['id']}/confirm")
    other = api_as("sibling_office")
    mine = upload(other, ledger([enterprise(credit_code=CODE, region="双滦区")])).json()
    other.post(f"/ledger/imports/{mine['id']}/confirm")
    assert Enterprise.objects.filter(credit_code=CODE).count() == 2


def test_the_jurisdictions_rule_may_allow_resuming_before_filing(world, api_as):
    ResumptionRule.objects.create(region=world.orgs["city"], filing_first=False)
    api = api_as("county_office")
    batch = upload(api, ledger([enterprise(resumed_on=days_ago(3))])).json()
    assert batch["rows_valid"] == 1, batch["errors"]
    api.post(f"/ledger/imports/{batch['id']}/confirm")
    resumed = ResumptionEvent.objects.get(action="resume")
    assert resumed.payload["unfiled"] is True
    # A nearer rule wins.
    ResumptionRule.objects.create(region=world.orgs["county"], filing_first=True)
    refused = upload(api, ledger([enterprise(name="另一厂", resumed_on=days_ago(3))])).json()
    assert errors_of(refused) == [(2, "resumed_on", "refused")]


def test_an_unfiled_resumption_becomes_a_problem_where_the_rule_says_so(world, api_as):
    ResumptionRule.objects.create(
        region=world.orgs["county"], filing_first=False, problem_when_unfiled=True
    )
    api = api_as("county_office")
    rows = [
        enterprise(name="未备案厂", resumed_on=days_ago(3)),
        enterprise(name="已备案厂", filed_on=days_ago(5), resumed_on=days_ago(3)),
    ]
    batch = upload(api, ledger(rows)).json()
    assert batch["rows_valid"] == 2, batch["errors"]
    api.post(f"/ledger/imports/{batch['id']}/confirm")
    unfiled = Enterprise.objects.get(name="未备案厂")
    resumed = ResumptionEvent.objects.get(action="resume", enterprise=unfiled)
    problem = api.get(f"/problems/{resumed.payload['problem']}").json()
    assert "未备案厂" in problem["title"]
    assert problem["site"]["id"] == unfiled.site_id
    assert "problem_wanted" not in resumed.payload
    filed = ResumptionEvent.objects.get(action="resume", enterprise__name="已备案厂")
    assert "problem" not in filed.payload and "unfiled" not in filed.payload


@pytest.fixture
def chunks_of_two(settings):
    settings.DUCHA_LEDGER_ENTERPRISE_IMPORT_CHUNK = 2


def test_a_crashed_import_resumes_after_its_committed_chunks(
    world, api_as, monkeypatch, settings, chunks_of_two
):
    api = api_as("county_office")
    names = [f"企业{n}" for n in range(5)]
    batch = upload(api, ledger([enterprise(name=n, filed_on=days_ago(2)) for n in names])).json()
    create = runs._create_enterprise_rows
    calls = Counter[str]()

    def dying(*args, **kwargs):
        if calls["chunk"] == 1:
            raise SystemExit("killed")
        calls["chunk"] += 1
        return create(*args, **kwargs)

    monkeypatch.setattr(runs, "_create_enterprise_rows", dying)
    with pytest.raises(SystemExit):
        api.post(f"/ledger/imports/{batch['id']}/confirm")
    monkeypatch.undo()
    stuck = api.get(f"/ledger/imports/{batch['id']}").json()
    assert stuck["state"] == "importing" and stuck["progress"] == {"done": 2, "total": 5}

    settings.DUCHA_LEDGER_IMPORT_LEASE = 0
    result = api.post(f"/ledger/imports/{batch['id']}/confirm").json()
    assert result["state"] == "imported"
    assert [e["row"] for e in result["enterprises"]] == [2, 3, 4, 5, 6]
    assert sorted(Enterprise.objects.values_list("name", flat=True)) == sorted(names)
    assert ResumptionEvent.objects.filter(action="file").count() == 5


def test_a_large_file_is_checked_and_imported_by_the_worker(
    world, api_as, settings, eager, django_capture_on_commit_callbacks
):
    settings.DUCHA_LEDGER_INLINE_ROWS = 1
    settings.DUCHA_LEDGER_INLINE_BYTES = 1
    api = api_as("county_office")
    rows = [enterprise(name=f"企业{n}", filed_on=days_ago(3)) for n in range(4)]
    with django_capture_on_commit_callbacks(execute=True):
        uploaded = upload(api, ledger([*rows, enterprise(name="坏行", category="?")]))
    assert uploaded.json()["state"] == "uploaded"  # handed to the worker
    checked = api.get(f"/ledger/imports/{uploaded.json()['id']}").json()
    assert checked["state"] == "validated"
    assert errors_of(checked) == [(6, "category", "not_a_choice")]
    with django_capture_on_commit_callbacks(execute=True):
        confirmed = api.post(f"/ledger/imports/{checked['id']}/confirm")
    assert confirmed.status_code == 202
    done = api.get(f"/ledger/imports/{checked['id']}").json()
    assert done["state"] == "imported"
    assert [e["row"] for e in done["enterprises"]] == [2, 3, 4, 5]
    assert Enterprise.objects.filter(status="filed").count() == 4


def test_a_row_gone_stale_before_the_import_stops_it_with_nothing_saved(world, api_as):
    api = api_as("county_office")
    waiting = upload(
        api,
        ledger(
            [
                enterprise(name="乙厂"),
                enterprise(name="甲厂", credit_code=CODE, filed_on=days_ago(5)),
            ]
        ),
    ).json()
    assert waiting["rows_valid"] == 2
    # Meanwhile another file registers 甲厂, filed on another day.
    other = upload(api, ledger([enterprise(name="甲厂", credit_code=CODE, filed_on=days_ago(3))]))
    api.post(f"/ledger/imports/{other.json()['id']}/confirm")
    before = (Enterprise.objects.count(), ResumptionEvent.objects.count())

    result = api.post(f"/ledger/imports/{waiting['id']}/confirm").json()
    assert result["state"] == "failed"
    assert result["failure"]["code"] == "row_failed"
    assert "3" in result["failure"]["message"]  # row 3, the stale one
    assert (Enterprise.objects.count(), ResumptionEvent.objects.count()) == before
    assert not Enterprise.objects.filter(name="乙厂").exists()
