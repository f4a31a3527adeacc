"""Tamper-evident records (数据完整性, decision 0017): every immutable row is a link of a hash
chain, and a row changed, deleted or inserted around the application is found, at that row,
by `manage.py verify_audit` and by the audit administrator's chains page.

The tampering goes around the append-only triggers as the database owner could: on
PostgreSQL `ALTER TABLE … DISABLE TRIGGER`, on SQLite dropping the triggers (both inside the
test's transaction, which rolls them back). The suite runs on whichever database
DATABASE_URL names, so both are covered by CI.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from contextlib import contextmanager

import pytest
from django.core.management import call_command
from django.db import DatabaseError, connection, models, transaction
from django.urls import reverse

from ducha.accounts import audit
from ducha.accounts.choices import Role, SecurityEventKind
from ducha.accounts.models import Membership, SecurityEvent, User
from ducha.core import append_only, chains
from ducha.core.chain_check import chained_models, verify, write_anchor
from ducha.core.models import ChainAnchor, ChainHead
from ducha.problems import actions
from ducha.problems.models import ProblemEvent
from tests.census.county import build_county
from tests.world import PASSWORD

IMMUTABLE = chained_models()


@pytest.fixture
def county(world, settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path
    county = build_county(world)
    audit.record(SecurityEventKind.LOGIN, actor=world.users["county_office"])
    return county


@contextmanager
def lifted(table: str) -> Iterator[None]:
    """The append-only refusal of `table` set aside, as its owner could."""
    create, drop = append_only.statements(connection.vendor, table)
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            # ALTER TABLE waits for no deferred foreign-key check of the test's own inserts.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f'ALTER TABLE "{table}" DISABLE TRIGGER "{table}_append_only"')
            yield
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
            cursor.execute(f'ALTER TABLE "{table}" ENABLE TRIGGER "{table}_append_only"')
        else:
            for sql in drop:
                cursor.execute(sql)
            yield
            for sql in create:
                cursor.execute(sql)


def _linked_pair() -> tuple[ProblemEvent, ProblemEvent]:
    """Two consecutive rows of one problem-event chain: (earlier, next)."""
    rows = list(ProblemEvent.objects.order_by("pk"))
    for earlier in rows:
        for later in rows:
            if (later.chain_shard, later.chain_seq) == (earlier.chain_shard, earlier.chain_seq + 1):
                return earlier, later
    raise AssertionError("the county writes no chain of two problem events")


def _first_break() -> tuple[str, int | None, str]:
    report = verify()
    assert not report.ok
    first = report.first_break
    assert first is not None
    return first.table, first.pk, first.kind


@pytest.mark.django_db
def test_every_immutable_row_is_sealed_with_sm3_and_verifies(county):
    for model in IMMUTABLE:
        rows = list(model._base_manager.values("chain_shard", "chain_seq", "digest"))
        assert rows, f"tests/census/county.py writes no {model._meta.label} row"
        for row in rows:
            assert row["chain_shard"] is not None and row["chain_seq"] >= 1
            assert row["digest"].startswith("sm3:") and len(row["digest"]) == 4 + 64
    report = verify()
    assert report.ok, report.first_break
    assert {t.table for t in report.tables} == {m._meta.label for m in IMMUTABLE}
    assert report.rows == sum(m._base_manager.count() for m in IMMUTABLE)


def test_sm3_is_the_standard_one():
    # GB/T 32905-2016, example 1: SM3("abc").
    assert chains.hash_hex("sm3", b"abc") == (
        "66c7f0f462eeedd9d1f2d46bdc10e4e24167c4875cf2f7a2297da02b8f4ba8e0"
    )


@pytest.mark.django_db
def test_sha256_rows_follow_sm3_rows_in_one_chain(county, settings, world):
    settings.DUCHA_CHAIN_DIGEST = "sha256"
    for _ in range(3):
        event = audit.record(SecurityEventKind.LOGIN, actor=world.users["county_office"])
    assert event.digest.startswith("sha256:")
    assert SecurityEvent.objects.filter(digest__startswith="sm3:").exists()
    assert verify().ok


@pytest.mark.django_db
def test_a_new_count_of_chains_keeps_the_old_ones_valid(world, settings, tmp_path):
    """An installation sealed with 16 chains a table, upgraded to the 1,024 of today: each
    row keeps the shard it was sealed in, new rows of the same problems start chains of
    their own, and everything verifies."""
    settings.MEDIA_ROOT = tmp_path
    settings.DUCHA_CHAIN_SHARDS = 16
    build_county(world)
    # A problem whose events move to another chain: the old count and the new give it
    # different shards (ids from 16 on).
    problem = world.problem()
    while problem.pk % 16 == problem.pk % 1024:
        problem = world.problem()
    old_shard = ProblemEvent.objects.get(problem=problem).chain_shard
    sealed_before = set(ProblemEvent.objects.values_list("pk", "chain_shard", "digest"))
    settings.DUCHA_CHAIN_SHARDS = 1024
    world.assigned()
    actions.do_assign(
        problem, acting_user=world.users["county_office"], responsible_org=world.orgs["county_dept"]
    )
    assert sealed_before <= set(ProblemEvent.objects.values_list("pk", "chain_shard", "digest"))
    shards = list(
        ProblemEvent.objects.filter(problem=problem).order_by("pk").values_list("chain_shard")
    )
    assert shards == [(old_shard,), (problem.pk % 1024,)]
    report = verify()
    assert report.ok, report.first_break
    for head in ChainHead.objects.all():
        model = next(m for m in IMMUTABLE if m._meta.label == head.label)
        last = model._base_manager.filter(chain_shard=head.shard).order_by("-chain_seq").first()
        assert last is not None and (last.chain_seq, last.digest) == (head.seq, head.digest)


@pytest.mark.django_db
def test_heads_hold_the_last_link_of_each_chain(county):
    for head in ChainHead.objects.all():
        model = next(m for m in IMMUTABLE if m._meta.label == head.label)
        last = model._base_manager.filter(chain_shard=head.shard).order_by("-chain_seq").first()
        assert last is not None
        assert (last.chain_seq, last.digest) == (head.seq, head.digest)


# Tampering, found at the right row


@pytest.mark.django_db
def test_a_changed_field_is_found_at_its_row(county):
    earlier, _ = _linked_pair()
    with lifted("problems_problemevent"), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE problems_problemevent SET comment = %s WHERE id = %s", ["改过", earlier.pk]
        )
    assert _first_break() == ("problems.ProblemEvent", earlier.pk, "altered")


@pytest.mark.django_db
def test_a_changed_json_payload_is_found(county):
    earlier, _ = _linked_pair()
    forged = "{}" if earlier.payload else '{"forged": true}'
    with lifted("problems_problemevent"), connection.cursor() as cursor:
        cursor.execute(
            "UPDATE problems_problemevent SET payload = %s WHERE id = %s", [forged, earlier.pk]
        )
    assert _first_break() == ("problems.ProblemEvent", earlier.pk, "altered")


@pytest.mark.django_db
def test_a_deleted_row_is_found_at_the_next_row_of_its_chain(county):
    earlier, later = _linked_pair()
    with lifted("problems_problemevent"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM problems_problemevent WHERE id = %s", [earlier.pk])
    assert _first_break() == ("problems.ProblemEvent", later.pk, "missing")


@pytest.mark.django_db
def test_a_deleted_last_row_is_found_by_its_head(county):
    last = ProblemEvent.objects.order_by("-pk").first()
    assert last is not None
    with lifted("problems_problemevent"), connection.cursor() as cursor:
        cursor.execute("DELETE FROM problems_problemevent WHERE id = %s", [last.pk])
    table, _, kind = _first_break()
    assert (table, kind) == ("problems.ProblemEvent", "head")


def _columns(table: str) -> list[str]:
    with connection.cursor() as cursor:
        return [c.name for c in connection.introspection.get_table_description(cursor, table)]


@pytest.mark.django_db
def test_a_replayed_copy_of_a_row_is_found_as_inserted(county):
    earlier, _ = _linked_pair()
    table = "problems_problemevent"
    columns = [c for c in _columns(table) if c != "id"]
    listed = ", ".join(columns)
    # No trigger refuses INSERT: a raw one needs nothing lifted.
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} ({listed}) SELECT {listed} FROM {table} WHERE id = %s",
            [earlier.pk],
        )
    forged = ProblemEvent.objects.order_by("-pk").first()
    assert forged is not None and forged.pk != earlier.pk
    assert _first_break() == ("problems.ProblemEvent", forged.pk, "repeated")


@pytest.mark.django_db
def test_a_forged_row_at_the_end_of_a_chain_is_found(county, world):
    event = ProblemEvent.objects.order_by("-pk").first()
    assert event is not None
    table = "problems_problemevent"
    with connection.cursor() as cursor:
        cursor.execute(
            f"INSERT INTO {table} (problem_id, actor_id, created_at, action, from_state, "
            "to_state, comment, payload, chain_shard, chain_seq, digest) "
            "SELECT problem_id, actor_id, created_at, 'close', to_state, 'closed', '', '{}', "
            f"chain_shard, chain_seq + 1, digest FROM {table} WHERE id = %s",
            [event.pk],
        )
    forged = ProblemEvent.objects.order_by("-pk").first()
    assert forged is not None and forged.pk != event.pk
    report = verify()
    found = [(b.pk, b.kind) for t in report.tables for b in t.breaks]
    assert found[0] == (forged.pk, "altered")
    assert (forged.pk, "head") in found


@pytest.mark.django_db
def test_a_row_inserted_without_a_link_is_found(county):
    event = ProblemEvent.objects.order_by("-pk").first()
    assert event is not None
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO problems_problemevent (problem_id, actor_id, created_at, action, "
            "from_state, to_state, comment, payload) "
            "SELECT problem_id, actor_id, created_at, action, from_state, to_state, comment, "
            "payload FROM problems_problemevent WHERE id = %s",
            [event.pk],
        )
    forged = ProblemEvent.objects.order_by("-pk").first()
    assert forged is not None
    assert _first_break() == ("problems.ProblemEvent", forged.pk, "unsealed")


def _changed(field, value):
    """Another value of the column's type, or None if there is none to try."""
    if isinstance(field, models.ForeignKey):
        return None
    if isinstance(field, models.DateTimeField):
        return value.replace(year=2001)
    if isinstance(field, models.BooleanField):
        return not value
    if isinstance(field, models.IntegerField):
        return value + 1000
    if isinstance(field, models.JSONField):
        return json.dumps({"forged": 1})
    if isinstance(field, models.GenericIPAddressField):
        return "10.9.8.7"
    if isinstance(field, models.FileField):
        value = value.name
    if isinstance(value, str):
        return value[:-1] + ("y" if value[-1:] != "y" else "z") if value else "x"
    return None


@pytest.mark.django_db
@pytest.mark.parametrize("model", IMMUTABLE, ids=lambda model: model._meta.label)
def test_a_change_to_any_column_of_any_table_is_found(county, model):
    """Every content column is covered: a change to any column of a table's first row (or
    nulling it) is found at that row."""
    table = model._meta.db_table
    row = model._base_manager.order_by("pk").first()
    assert row is not None
    tried = []
    for field in chains.content_fields(model):
        value = getattr(row, field.attname)
        new = None if field.null and value is not None else _changed(field, value)
        if new is None and (value is None or not field.null):
            continue
        with transaction.atomic():
            with lifted(table), connection.cursor() as cursor:
                try:
                    with transaction.atomic():
                        cursor.execute(
                            f'UPDATE "{table}" SET "{field.column}" = %s WHERE id = %s',
                            [new, row.pk],
                        )
                except DatabaseError:  # a check constraint refuses that value: another column
                    continue
            found = verify().first_break
            assert found is not None, field.name
            assert (found.table, found.pk) == (model._meta.label, row.pk), field.name
            tried.append(field.name)
            transaction.set_rollback(True)
    assert len(tried) >= len(chains.content_fields(model)) // 2, tried
    assert verify().ok


# The anchor


@pytest.mark.django_db
def test_a_chain_recomputed_after_its_anchor_is_found(county):
    anchor = write_anchor()
    assert anchor is not None and write_anchor() is None  # one a day
    assert ChainAnchor.objects.count() == 1
    # A forger rewrites a row and recomputes its chain and head: the rows agree again, the
    # anchor does not.
    earlier, _ = _linked_pair()
    earlier.comment = "改过"
    shard_rows = list(
        ProblemEvent.objects.filter(chain_shard=earlier.chain_shard).order_by("chain_seq")
    )
    previous = ""
    with lifted("problems_problemevent"), connection.cursor() as cursor:
        for row in shard_rows:
            if row.pk == earlier.pk:
                row.comment = "改过"
            row.digest = chains.row_digest(ProblemEvent, row, previous, "sm3")
            previous = row.digest
            cursor.execute(
                "UPDATE problems_problemevent SET comment = %s, digest = %s WHERE id = %s",
                [row.comment, row.digest, row.pk],
            )
    ChainHead.objects.filter(label="problems.ProblemEvent", shard=earlier.chain_shard).update(
        digest=previous
    )
    report = verify()
    assert not report.ok
    kinds = {(b.pk, b.kind) for t in report.tables for b in t.breaks}
    assert any(kind == "anchor" for _, kind in kinds)
    assert not any(kind == "altered" for _, kind in kinds)


@pytest.mark.django_db
def test_a_changed_anchor_is_found(county):
    anchor = write_anchor()
    assert anchor is not None
    with lifted("core_chainanchor"), connection.cursor() as cursor:
        cursor.execute("UPDATE core_chainanchor SET heads = %s WHERE id = %s", ["{}", anchor.pk])
    report = verify()
    assert [b.kind for b in report.anchor_breaks] == ["anchor"]


# The command and the page


@pytest.mark.django_db
def test_the_command_prints_counts_and_records_the_run(county):
    out = io.StringIO()
    call_command("verify_audit", stdout=out, stderr=io.StringIO())
    assert "problems.ProblemEvent: " in out.getvalue()
    assert "All " in out.getvalue()
    run = SecurityEvent.objects.get(kind=SecurityEventKind.AUDIT_VERIFIED)
    assert run.detail["ok"] is True and run.detail["first_break"] is None
    assert run.username == "verify_audit"
    assert verify().ok  # the audit row it wrote is chained too


def _tamper(how: str) -> tuple[int, str, str]:
    """Change, delete or insert one problem event around the application: the id of the
    row the break must be reported at, its kind, and what the page says of it."""
    earlier, later = _linked_pair()
    table = "problems_problemevent"
    with lifted(table), connection.cursor() as cursor:
        if how == "changed":
            cursor.execute(f"UPDATE {table} SET comment = 'x' WHERE id = %s", [earlier.pk])
            return earlier.pk, "altered", "其内容与杂凑值不符：写入后已被篡改。"
        if how == "deleted":
            cursor.execute(f"DELETE FROM {table} WHERE id = %s", [earlier.pk])
            return later.pk, "missing", "同一链中位于其前的记录缺失：已被删除。"
        columns = ", ".join(c for c in _columns(table) if c != "id")
        cursor.execute(
            f"INSERT INTO {table} ({columns}) SELECT {columns} FROM {table} WHERE id = %s",
            [earlier.pk],
        )
    forged = ProblemEvent.objects.order_by("-pk").first()
    assert forged is not None
    return forged.pk, "repeated", "其链序号已被此前的记录占用：该记录系事后插入。"


TAMPERING = ["changed", "deleted", "inserted"]


@pytest.mark.django_db
@pytest.mark.parametrize("how", TAMPERING)
def test_the_command_names_the_first_broken_row_and_fails(county, how):
    pk, kind, _ = _tamper(how)
    out = io.StringIO()
    with pytest.raises(SystemExit) as exited:
        call_command("verify_audit", "--quiet", stdout=out, stderr=io.StringIO())
    assert exited.value.code == 1
    assert f"First broken row: problems.ProblemEvent id={pk} " in out.getvalue()
    assert f"({kind})" in out.getvalue()
    run = SecurityEvent.objects.get(kind=SecurityEventKind.AUDIT_VERIFIED)
    assert run.detail["ok"] is False
    assert run.detail["first_break"]["id"] == pk
    assert run.detail["first_break"]["kind"] == kind


@pytest.fixture
def auditor(world, client):
    user = User.objects.create_user("province_auditor", password=PASSWORD, name="省审计管理员")
    Membership.objects.create(user=user, org=world.orgs["province_office"], role=Role.AUDIT_ADMIN)
    assert client.login(username=user.username, password=PASSWORD)
    client.user = user
    return client


@pytest.mark.django_db
@pytest.mark.parametrize("how", TAMPERING)
def test_the_page_verifies_through_the_worker_and_shows_the_first_broken_row(
    county, auditor, eager, django_capture_on_commit_callbacks, how
):
    url = reverse("audit:chains")
    page = auditor.get(url)
    assert page.status_code == 200
    assert "尚未进行过完整性校验。" in page.content.decode()
    with django_capture_on_commit_callbacks(execute=True):
        queued = auditor.post(url)
    assert queued.status_code == 302
    intact = auditor.get(url).content.decode()
    assert 'data-testid="first-break"' not in intact
    assert ">\n      完整" in intact

    pk, _, meaning = _tamper(how)
    with django_capture_on_commit_callbacks(execute=True):
        auditor.post(url)
    shown = auditor.get(url).content.decode()
    assert shown.count('data-testid="verification"') == 2
    first = shown.split('data-testid="first-break"')[1].split("</div>\n")[0]
    assert "第一条异常记录" in first
    assert "<code>problems.ProblemEvent</code>" in first and f"#{pk}\n" in first
    assert meaning in first
    assert "已被破坏" in shown
    runs = SecurityEvent.objects.filter(kind=SecurityEventKind.AUDIT_VERIFIED).order_by("pk")
    assert [r.detail["ok"] for r in runs] == [True, False]
    assert all(run.actor == auditor.user for run in runs)


@pytest.mark.django_db
@pytest.mark.parametrize("persona", ["county_admin", "county_office", "outsider", "county_auditor"])
def test_the_page_is_a_root_audit_administrators_only(world, client, persona):
    if persona == "county_auditor":
        # The county's audit administrator reads the county's trail, not every chain.
        auditor = User.objects.create_user(persona, password=PASSWORD, name="区审计管理员")
        office = world.orgs["county_office"]
        Membership.objects.create(user=auditor, org=office, role=Role.AUDIT_ADMIN)
        world.users[persona] = auditor
    assert client.login(username=world.users[persona].username, password=PASSWORD)
    assert client.get(reverse("audit:chains")).status_code == 403
    assert client.post(reverse("audit:chains")).status_code == 403
    assert not SecurityEvent.objects.filter(kind=SecurityEventKind.AUDIT_VERIFIED).exists()


@pytest.mark.django_db
def test_a_superuser_may_verify(world, client, eager, django_capture_on_commit_callbacks):
    user = world.users["outsider"]
    user.is_superuser = True
    user.save()
    assert client.login(username=user.username, password=PASSWORD)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(reverse("audit:chains")).status_code == 302
    run = SecurityEvent.objects.get(kind=SecurityEventKind.AUDIT_VERIFIED)
    assert run.actor == user and run.detail["ok"] is True


# Every way rows are written


@pytest.mark.django_db
def test_the_bulk_create_path_of_an_import_chains_its_rows(world):
    """`do_create_problems` writes its events with COPY on PostgreSQL, `bulk_create` on
    SQLite: both seal them, in the order of their ids."""
    from ducha.problems.bulk import NewProblem, do_create_problems
    from ducha.problems.models import FocusArea

    area = FocusArea.objects.get(code="screening")
    items = [
        NewProblem(
            title=f"导入问题 {n}",
            region=world.orgs["county"],
            focus_area=area,
            responsible_org=world.orgs["county_dept"] if n % 2 else None,
            source={"row": n, "sheet": "台账"},
        )
        for n in range(40)
    ]
    problems = do_create_problems(items, acting_user=world.users["county_office"])
    events = ProblemEvent.objects.filter(problem__in=problems)
    assert events.count() == 60
    assert not events.filter(digest__isnull=True).exists()
    assert len(set(events.values_list("chain_shard", flat=True))) > 1
    assert verify().ok


@pytest.mark.django_db
def test_an_event_bulk_create_may_not_skip_conflicts(world):
    from ducha.core.events import ImmutableEventError

    with pytest.raises(ImmutableEventError):
        SecurityEvent.objects.bulk_create([SecurityEvent(kind="login")], ignore_conflicts=True)


@pytest.mark.django_db
def test_the_schedule_anchors_the_heads_daily_and_verifies_nightly(county, eager):
    from ducha.audit.chain_tasks import ANCHOR, VERIFY, anchor_chains, verify_chains
    from ducha.celery import beat_schedule

    tasks = {entry["task"] for entry in beat_schedule().values()}
    assert {ANCHOR, VERIFY} <= tasks
    digest = anchor_chains.delay().get()
    anchor = ChainAnchor.objects.get()
    assert digest == anchor.digest and digest.startswith("sm3:")
    heads = anchor.heads["problems.ProblemEvent"]
    assert sum(seq for seq, _ in heads.values()) == ProblemEvent.objects.count()
    assert verify_chains.delay().get() is True
    run = SecurityEvent.objects.get(kind=SecurityEventKind.AUDIT_VERIFIED)
    assert run.actor is None and run.username == "schedule" and run.detail["anchors"] == 1


@pytest.mark.django_db
def test_values_set_loosely_are_digested_as_the_database_gives_them_back(world, settings):
    """A string on an integer field, a local time, a lazy string, keys in any order: the
    digest computed at the insert is the one recomputed from the row read back."""
    from datetime import datetime as moment
    from zoneinfo import ZoneInfo

    problem = world.problem()
    ProblemEvent.objects.create(
        problem_id=str(problem.pk),
        actor=world.users["county_office"],
        created_at=moment(2026, 3, 1, 8, 30, 0, 123456, tzinfo=ZoneInfo("Asia/Shanghai")),
        action="urge",
        to_state=problem.state,
        comment="催办",
        payload={"z": 1.0, "a": [1e20, 0.1], "m": {"b": None, "a": "中文"}},
    )
    assert verify().ok


@pytest.mark.django_db
def test_repeated_clicks_queue_one_walk(county, auditor, django_capture_on_commit_callbacks):
    """Without a worker to run it, the first walk stays queued: the next click is told so
    and queues nothing."""
    from unittest import mock

    url = reverse("audit:chains")
    with (
        mock.patch("ducha.audit.chain_views.verify_chains.delay") as delay,
        django_capture_on_commit_callbacks(execute=True),
    ):
        auditor.post(url)
        again = auditor.post(url, follow=True)
    assert delay.call_count == 1
    assert "已有一次完整性校验在排队" in again.content.decode()
