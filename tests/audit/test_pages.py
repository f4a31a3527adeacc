"""The audit administrator's pages: only theirs, scoped to the accounts they administer,
filtered with checked input, exported to CSV and Excel, and every read itself recorded."""

from __future__ import annotations

import csv
import io

import openpyxl
import pytest
from django.contrib import admin
from django.test import RequestFactory
from django.utils import timezone

from ducha.accounts.audit import record
from ducha.accounts.choices import SecurityEventKind as Kind
from ducha.accounts.models import SecurityEvent
from tests.audit.conftest import browser, events, only
from tests.pages.helpers import text

pytestmark = pytest.mark.django_db


def listed_ids(response) -> list[int]:
    return [event.pk for event, _ in response.context["events"]]


@pytest.fixture
def trail(auditors):
    """A login of a county handler, of a sibling handler, and a failed login of no account."""
    w = auditors
    county = record(Kind.LOGIN, actor=w.users["county_handler"])
    sibling = record(Kind.LOGIN, actor=w.users["sibling_handler"])
    ghost = record(Kind.LOGIN_FAILED, username="ghost")
    return {"county": county, "sibling": sibling, "ghost": ghost}


@pytest.mark.parametrize(
    "persona", ["county_office", "county_admin", "county_security", "county_leader", "outsider"]
)
def test_nobody_but_the_audit_administrator_reads_the_trail(auditors, as_persona, persona):
    client = as_persona(persona)
    for url in ["/audit/", "/audit/export/csv/", "/audit/export/xlsx/"]:
        response = client.get(url)
        assert response.status_code == 403
        assert "只有审计管理员可以查阅审计记录" in text(response)
    # An event's page names an object: 404, as for a missing one, and recorded as a refusal.
    event = only(Kind.LOGIN, actor=auditors.users[persona])
    assert client.get(f"/audit/events/{event.pk}/").status_code == 404
    refusal = events(Kind.PERMISSION_DENIED, detail__reason="out_of_scope")
    assert [r.detail["model"] for r in refusal] == ["accounts.securityevent"]
    assert not events(Kind.AUDIT_READ)


def test_an_anonymous_caller_is_sent_to_the_login_page(auditors):
    response = browser().get("/audit/")
    assert response.status_code == 302 and response.url.startswith("/accounts/login/")


def test_a_county_audit_administrator_sees_the_county_s_accounts_only(trail, as_persona):
    response = as_persona("county_auditor").get("/audit/")
    assert response.status_code == 200
    ids = listed_ids(response)
    assert trail["county"].pk in ids
    assert trail["sibling"].pk not in ids
    assert trail["ghost"].pk not in ids  # no account: for the province's audit administrator


def test_the_sibling_s_audit_administrator_sees_the_other_side(trail, as_persona):
    ids = listed_ids(as_persona("sibling_auditor").get("/audit/"))
    assert trail["sibling"].pk in ids
    assert trail["county"].pk not in ids


def test_the_province_s_audit_administrator_sees_events_of_no_account(trail, as_persona):
    ids = listed_ids(as_persona("province_auditor").get("/audit/"))
    assert {trail["county"].pk, trail["sibling"].pk, trail["ghost"].pk} <= set(ids)


def test_an_audit_administrator_does_not_read_their_own_events(trail, as_persona, auditors):
    client = as_persona("county_auditor")
    own_login = only(Kind.LOGIN, actor=auditors.users["county_auditor"])
    assert own_login.pk not in listed_ids(client.get("/audit/"))
    assert client.get(f"/audit/events/{own_login.pk}/").status_code == 404


def test_the_detail_shows_one_event_in_scope_and_404_otherwise(trail, as_persona):
    client = as_persona("county_auditor")
    response = client.get(f"/audit/events/{trail['county'].pk}/")
    assert response.status_code == 200
    assert "county_handler" in text(response)
    assert client.get(f"/audit/events/{trail['sibling'].pk}/").status_code == 404
    assert client.get("/audit/events/999999/").status_code == 404


def test_a_superuser_reads_everything(trail, as_persona):
    ids = listed_ids(as_persona("root").get("/audit/"))
    assert {trail["county"].pk, trail["sibling"].pk, trail["ghost"].pk} <= set(ids)


def test_every_read_and_export_is_recorded_with_its_filters(trail, as_persona, auditors):
    client = as_persona("county_auditor")
    client.get("/audit/", {"kind": "login", "account": "county_handler"})
    client.get(f"/audit/events/{trail['county'].pk}/")
    client.get("/audit/export/csv/", {"kind": "login"})
    reads = events(Kind.AUDIT_READ)
    assert [r.detail["page"] for r in reads] == ["list", "detail", "export"]
    assert all(r.actor == auditors.users["county_auditor"] for r in reads)
    assert reads[0].detail["filters"] == {"kind": "login", "account": "county_handler"}
    assert reads[1].detail["id"] == trail["county"].pk
    assert reads[2].detail == {
        "page": "export",
        "format": "csv",
        "filters": {"kind": "login"},
        "rows": 1,
    }


def test_the_filters_narrow_the_list(trail, as_persona, auditors):
    w = auditors
    request = RequestFactory().get("/accounts/logout/", REMOTE_ADDR="10.1.1.1")
    other = record(Kind.LOGOUT, request=request, actor=w.users["county_office"])
    client = as_persona("province_auditor")

    def ids(**filters) -> set[int]:
        response = client.get("/audit/", filters)
        assert response.status_code == 200
        return set(listed_ids(response))

    assert ids(kind="logout") == {other.pk}
    assert ids(account="county_handler") == {trail["county"].pk}
    assert ids(account="ghost") == {trail["ghost"].pk}
    assert ids(address="10.1.1.1") == {other.pk}
    today = timezone.localdate().isoformat()
    assert other.pk in ids(date_from=today, date_to=today)
    assert ids(date_from="2021-01-01", date_to="2021-12-31") == set()


@pytest.mark.parametrize(
    "filters, field, message",
    [
        ({"kind": "everything"}, "kind", "选择一个有效的选项"),
        ({"address": "10.1.1.999"}, "address", "有效的 IPv4 或 IPv6 地址"),
        ({"account": "x" * 151}, "account", "不超过 150 字符"),
        ({"date_from": "yesterday"}, "date_from", "有效的日期"),
        ({"date_from": "1999-12-31"}, "date_from", "请选择 2020-01-01 至今天之间的日期"),
        ({"date_from": "2026-03-02", "date_to": "2026-03-01"}, "date_to", "结束日期早于开始日期"),
        ({"before": "-3"}, "before", "大于或等于 1"),
    ],
)
def test_bad_filters_are_refused_with_the_reason(auditors, as_persona, filters, field, message):
    client = as_persona("county_auditor")
    for url in ["/audit/", "/audit/export/csv/"]:
        response = client.get(url, filters)
        assert response.status_code == 400
        assert field in response.context["form"].errors
        assert message in str(response.context["form"].errors[field]), response.context[
            "form"
        ].errors
        assert "部分筛选条件无效" in text(response)


def test_the_list_pages_by_keyset(auditors, as_persona):
    handler = auditors.users["county_handler"]
    made = [record(Kind.LOGIN, actor=handler).pk for _ in range(60)]
    client = as_persona("county_auditor")
    first = client.get("/audit/", {"kind": "login"})
    assert listed_ids(first) == made[::-1][:50]
    nxt = first.context["next_before"]
    second = client.get("/audit/", {"kind": "login", "before": nxt})
    assert listed_ids(second) == made[::-1][50:]
    assert second.context["next_before"] is None


def _csv_rows(response) -> list[list[str]]:
    body = b"".join(response.streaming_content).decode("utf-8-sig")
    return list(csv.reader(io.StringIO(body)))


def test_the_csv_export_holds_the_filtered_rows(trail, as_persona, auditors):
    spoofed = record(Kind.LOGIN_FAILED, username="=HYPERLINK(1)")
    client = as_persona("province_auditor")
    response = client.get("/audit/export/csv/", {"kind": "login_failed"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"].startswith("attachment;")
    rows = _csv_rows(response)
    assert rows[0][:4] == ["序号", "时间", "事件", "事件代码"]
    assert [int(r[0]) for r in rows[1:]] == [spoofed.pk, trail["ghost"].pk]
    assert rows[1][6] == "'=HYPERLINK(1)"  # never a formula
    assert rows[2][2] == "登录失败" and rows[2][6] == "ghost"


def test_the_excel_export_holds_the_filtered_rows(trail, as_persona):
    spoofed = record(Kind.LOGIN_FAILED, username="=HYPERLINK(1)")
    client = as_persona("province_auditor")
    response = client.get("/audit/export/xlsx/", {"kind": "login_failed"})
    assert response.status_code == 200
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    rows = list(book.active.iter_rows(values_only=True))
    assert rows[0][0] == "序号"
    assert [r[0] for r in rows[1:]] == [spoofed.pk, trail["ghost"].pk]
    assert rows[1][6] == "=HYPERLINK(1)"
    assert book.active.cell(row=2, column=7).data_type == "s"


def test_an_export_over_the_limit_is_refused_with_a_message(trail, as_persona, settings):
    settings.DUCHA_AUDIT_EXPORT_MAX_ROWS = 2
    client = as_persona("province_auditor")
    response = client.get("/audit/export/xlsx/")
    assert response.status_code == 302
    page = client.get(response.url)
    assert "超过 2 条事件符合条件" in text(page)
    assert not [e for e in events(Kind.AUDIT_READ) if e.detail["page"] == "export"]
    assert client.get("/audit/export/pdf/").status_code == 404


def test_nothing_in_the_application_changes_or_deletes_an_event(trail, as_persona):
    client = as_persona("root")
    pk = trail["county"].pk
    assert client.post("/audit/").status_code == 405
    assert client.post(f"/audit/events/{pk}/").status_code == 405
    assert SecurityEvent not in admin.site._registry
    assert SecurityEvent.objects.filter(pk=pk).exists()


def test_the_pages_work_on_a_phone_in_every_language(trail, as_persona):
    client = as_persona("province_auditor")
    languages = [("zh-hans", "安全审计"), ("zh-hant", 'lang="zh-hant"'), ("en", "Security audit")]
    for language, heading in languages:
        client.post("/i18n/setlang/", {"language": language, "next": "/audit/"})
        response = client.get("/audit/", headers={"user-agent": "Mozilla/5.0 (iPhone)"})
        assert response.status_code == 200
        assert heading in text(response)
        assert 'name="viewport"' in text(response)


def test_the_user_menu_offers_the_trail_to_the_audit_administrator_only(auditors, as_persona):
    assert 'data-testid="audit-trail"' in text(
        as_persona("county_auditor").get("/accounts/tokens/")
    )
    assert 'data-testid="audit-trail"' not in text(
        as_persona("county_admin").get("/accounts/tokens/")
    )
