"""The worker's half of an import batch: checking its rows, importing them, failing it.

Each step writes one immutable `ImportEvent` in the same transaction. Problems are created
only through `do_create_problems`, the bulk form of `do_create_problem` and `do_assign`, a
chunk of rows to a transaction (an enterprise ledger's rows through
`ducha.resumption.bulk.import_enterprises`, the same way); each chunk commits its problems,
their `ImportedProblem` rows and the batch's progress together. An import that stops half
way (its worker or web process killed) keeps its committed chunks and resumes after the last
of them: when confirmed again or by the stale-import check, once its lease (`progress_at`)
has run out.

A worker runs these through `ducha.ledger.tasks`; small files run them during the request
(`ducha.ledger.actions`). See docs/decisions/0006-ledgers.md and 0008-import-chunks.md.
"""

from __future__ import annotations

import hashlib
import logging
import time
from collections.abc import Callable
from datetime import timedelta
from typing import Any

from django.db import OperationalError, connection, transaction
from django.db.models import F
from django.utils import timezone

from ducha.core.bulk import insert, insert_values
from ducha.ledger.checks import check_file, check_rows, columns_of
from ducha.ledger.choices import BatchAction, BatchKind, BatchState
from ducha.ledger.conf import ledger_setting
from ducha.ledger.kept import forget, keep, kept_rows
from ducha.ledger.models import ImportBatch, ImportedEnterprise, ImportedProblem, ImportEvent
from ducha.ledger.reading import FileRefused
from ducha.ledger.validation import CheckOutcome, ParsedRow, SheetRows, read_rows
from ducha.orgs.models import Org, Site, Team
from ducha.problems import bulk as problem_bulk
from ducha.problems.models import FocusArea
from ducha.problems.rollups.writes import deferred
from ducha.resumption import bulk as enterprise_bulk

log = logging.getLogger(__name__)
# A chunk that keeps meeting locks held by others is tried this many times, then left for the
# stale-import check to resume: the import yields to the offices' own writes.
LOCK_ATTEMPTS = 10
# A run resumed this many times at the same place without getting further is not tried
# again: a file that kills its worker (out of memory, say) would otherwise be retried for
# ever. The batch fails saying so.
MAX_RESUMES = 3
# The first key of a chunk's advisory lock (PostgreSQL), the chunk's index the second:
# "ducha" in ASCII, apart from any other advisory lock's.
CHUNK_LOCK = 0x6475_6368


def record(
    batch: ImportBatch, actor: Any, action: str, from_state: str, **payload: Any
) -> ImportEvent:
    return ImportEvent.objects.create(
        batch=batch,
        actor=actor,
        action=action,
        from_state=from_state,
        to_state=batch.state,
        payload=payload,
    )


def lock(batch_pk: int) -> ImportBatch:
    return ImportBatch.objects.select_for_update().get(pk=batch_pk)


def apply_outcome(batch: ImportBatch, outcome: CheckOutcome) -> None:
    batch.state = BatchState.VALIDATED
    batch.sheet = outcome.sheet[:100]
    batch.rows_total = outcome.rows_total
    batch.rows_valid = len(outcome.valid)
    batch.rows_invalid = outcome.rows_invalid
    batch.report = outcome.report()
    keep(batch, outcome.read)
    batch.progress_done = batch.progress_total = outcome.rows_total


def fail_batch(batch_pk: int, actor: Any, failure: dict[str, Any]) -> ImportBatch:
    with transaction.atomic():
        batch = lock(batch_pk)
        if batch.state not in (BatchState.UPLOADED, BatchState.IMPORTING):
            return batch
        from_state = batch.state
        if from_state == BatchState.IMPORTING and batch.progress_done:
            # Committed chunks stay; the message says so instead of "nothing was imported".
            failure = _partial(failure, batch.progress_done)
        batch.state = BatchState.FAILED
        batch.finished_at = timezone.now()
        batch.report = {**batch.report, "failure": failure}
        batch.save()
        record(batch, actor, BatchAction.FAIL, from_state, **failure)
    forget(batch)  # a failed batch is never imported; the workbook itself stays
    return batch


def _partial(failure: dict[str, Any], imported: int) -> dict[str, Any]:
    if failure["code"] not in ("row_failed", "internal", "stalled"):  # "nothing was imported"
        return failure
    return {
        "code": failure["code"] + "_partial",
        "params": {**failure["params"], "imported": imported},
    }


def _save_progress(batch_pk: int) -> Callable[[int, int], None]:
    def save(done: int, total: int) -> None:
        ImportBatch.objects.filter(pk=batch_pk, state=BatchState.UPLOADED).update(
            progress_done=done, progress_total=max(total, done), progress_at=timezone.now()
        )

    return save


def run_check(batch_pk: int) -> ImportBatch:
    """Check a stored batch's rows (the worker's half of a large upload)."""
    batch = ImportBatch.objects.select_related("uploaded_by").get(pk=batch_pk)
    if batch.state != BatchState.UPLOADED:
        return batch
    actor = batch.uploaded_by
    try:
        outcome = check_file(
            actor, _stored_bytes(batch), progress=_save_progress(batch_pk), kind=batch.kind
        )
    except FileRefused as refusal:
        return fail_batch(batch_pk, actor, refusal.as_report())
    except Exception:
        log.exception("checking import batch %s failed", batch_pk)
        return fail_batch(batch_pk, actor, {"code": "internal", "params": {}})
    with transaction.atomic():
        batch = lock(batch_pk)
        if batch.state != BatchState.UPLOADED:  # cancelled while the worker read it
            return batch
        apply_outcome(batch, outcome)
        batch.save()
        record(batch, actor, BatchAction.VALIDATE, BatchState.UPLOADED)
    return batch


def _stored_bytes(batch: ImportBatch) -> bytes:
    with batch.file.open("rb") as stored:
        data = stored.read()
    if hashlib.sha256(data).hexdigest() != batch.sha256:
        raise FileRefused("changed")
    return data


def lease() -> timedelta:
    return timedelta(seconds=ledger_setting("DUCHA_LEDGER_IMPORT_LEASE"))


def is_stale(batch: ImportBatch) -> bool:
    """An import whose run has not shown progress for a lease: its worker or web process died."""
    if batch.state != BatchState.IMPORTING:
        return False
    last = batch.progress_at or batch.confirmed_at
    return last is None or last <= timezone.now() - lease()


def resume(locked: ImportBatch, actor: Any, done: str = "imported") -> None:
    # A new lease, so that a second confirmation or check does not start a third run.
    locked.progress_at = timezone.now()
    locked.save(update_fields=["progress_at", "updated_at"])
    record(locked, actor, BatchAction.RESUME, locked.state, **{done: locked.progress_done})


def stale_check(batch: ImportBatch) -> bool:
    """A check handed to a worker that has shown no progress for a lease: its worker died.
    (A batch checked in the request has no lease: it is never 'uploaded' after it.)"""
    return (
        batch.state == BatchState.UPLOADED
        and batch.progress_at is not None
        and batch.progress_at <= timezone.now() - lease()
    )


def gave_up(locked: ImportBatch, done: str) -> bool:
    """Fail the batch if its run was resumed MAX_RESUMES times here without getting further."""
    resumes = locked.events.filter(action=BatchAction.RESUME).values_list("payload", flat=True)
    if sum(payload.get(done) == locked.progress_done for payload in resumes) < MAX_RESUMES:
        return False
    actor = locked.confirmed_by or locked.uploaded_by
    fail_batch(locked.pk, actor, {"code": "stalled", "params": {"times": MAX_RESUMES}})
    return True


def parts_of(batch: ImportBatch) -> int:
    """How many runs side by side import the batch: a problem ledger's chunks are shared out
    among the worker's processes; an enterprise ledger's go through one run, and so does any
    on SQLite, which writes one transaction at a time (the tasks would only queue)."""
    if batch.kind != BatchKind.PROBLEMS or connection.vendor != "postgresql":
        return 1
    return max(1, ledger_setting("DUCHA_LEDGER_IMPORT_PARTS"))


def chunks_of(batch: ImportBatch) -> list[list[int]]:
    """The chosen rows, a chunk to a transaction. Cut from the rows chosen at confirmation,
    never from those left, so that every run (each part, a resumed run) cuts them alike."""
    size = ledger_setting(
        "DUCHA_LEDGER_IMPORT_CHUNK"
        if batch.kind == BatchKind.PROBLEMS
        else "DUCHA_LEDGER_ENTERPRISE_IMPORT_CHUNK"
    )
    chosen = batch.valid_rows
    return [chosen[start : start + size] for start in range(0, len(chosen), size)]


def run_import(batch_pk: int, part: int = 0, parts: int = 1) -> ImportBatch:
    """Create the problems of the chosen rows not imported yet, a chunk to a transaction.

    With `parts` > 1 this run takes every `parts`-th chunk from the `part`-th on, beside the
    runs that take the others; the last of them to end marks the batch imported."""
    batch = ImportBatch.objects.select_related("confirmed_by").get(pk=batch_pk)
    if batch.state != BatchState.IMPORTING:
        return batch
    actor = batch.confirmed_by
    try:
        _heartbeat(batch_pk)
        mine = [
            (index, chunk) for index, chunk in enumerate(chunks_of(batch)) if index % parts == part
        ]
        outcome = _check_again(batch, actor, {n for _, chunk in mine for n in chunk})
        # Read after the check: rows committed meanwhile by another run are left out here,
        # and each chunk leaves out again, under its own lock, what got in since.
        done = set(imported_rows(batch).values_list("row", flat=True))
        work = [
            (index, _still_valid(outcome, [n for n in chunk if n not in done]))
            for index, chunk in mine
        ]
        work = [(index, rows) for index, rows in work if rows]
        objects = (
            _Objects([row for _, rows in work for row in rows])
            if batch.kind == BatchKind.PROBLEMS
            else None
        )
        for index, rows in work:
            if not _import_chunk(batch_pk, actor, index, rows, objects):
                return ImportBatch.objects.get(pk=batch_pk)
        return _finish(batch_pk, actor, whole=parts == 1)
    except _Busy:
        log.warning("import batch %s yields to other writers; it resumes later", batch_pk)
        return ImportBatch.objects.get(pk=batch_pk)
    except _RowFailed as failed:
        return fail_batch(batch_pk, actor, failed.report())
    except FileRefused as refusal:
        return fail_batch(batch_pk, actor, refusal.as_report())
    except Exception:
        log.exception("importing batch %s failed", batch_pk)
        return fail_batch(batch_pk, actor, {"code": "internal", "params": {}})


def _check_again(batch: ImportBatch, actor: Any, numbers: set[int]) -> CheckOutcome:
    """The rows `numbers` checked anew, from the cell values kept at the first check when
    they are there unchanged, else from the stored file. Problems this batch has recorded
    already do not make its other rows "already recorded"."""
    read = kept_rows(batch)
    if read is None:
        read = read_rows(_stored_bytes(batch), columns=columns_of(batch.kind))
    read = SheetRows(read.sheet, [raw for raw in read.rows if raw.number in numbers])
    return check_rows(actor, read, kind=batch.kind, batch=batch)


def imported_rows(batch: ImportBatch) -> Any:
    """The rows of the batch imported so far (`ImportedProblem` or `ImportedEnterprise`)."""
    if batch.kind == BatchKind.ENTERPRISES:
        return ImportedEnterprise.objects.filter(batch_id=batch.pk)
    return ImportedProblem.objects.filter(batch_id=batch.pk)


class _Busy(Exception):
    """A chunk met others' locks every time it was tried."""


def _heartbeat(batch_pk: int) -> None:
    ImportBatch.objects.filter(pk=batch_pk, state=BatchState.IMPORTING).update(
        progress_at=timezone.now()
    )


def _wait_briefly() -> None:
    """Give up on a lock after a moment instead of queueing behind (or ahead of) everyone.

    A chunk's commit does not wait for its WAL to reach the disk either, which shortens the
    moment it holds the shared rollup rows: a chunk lost in a database crash is only
    imported again when the batch resumes (its ImportedProblem rows are lost with it).
    """
    if connection.vendor == "postgresql":
        timeout = ledger_setting("DUCHA_LEDGER_LOCK_TIMEOUT_MS")
        with connection.cursor() as cursor:
            cursor.execute(f"SET LOCAL lock_timeout = {int(timeout)}")
            cursor.execute("SET LOCAL synchronous_commit = off")
            # Each row's foreign keys checked as it is written, not all at the commit: by
            # then the chunk holds the chains' heads and the shared rollup rows.
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def _lock_refused(error: OperationalError) -> bool:
    return getattr(error.__cause__, "sqlstate", None) == "55P03"  # lock_not_available


def _hold(batch_pk: int, index: int) -> ImportBatch:
    """The batch, kept from a cancellation until the chunk commits, and chunk `index` kept
    from any other run. Runs of other chunks go on side by side (PostgreSQL): a key-share
    lock lets them, and their progress updates, pass; cancelling waits for them all."""
    if connection.vendor != "postgresql":
        return lock(batch_pk)  # SQLite: one writer at a time anyway
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT 1 FROM {ImportBatch._meta.db_table} WHERE id = %s FOR KEY SHARE",  # noqa: S608
            [batch_pk],
        )
        cursor.execute("SELECT pg_advisory_xact_lock(%s, %s)", [CHUNK_LOCK, index])
    # Without the report: its list of valid rows is as long as the file, and a chunk needs
    # only the batch's state.
    return ImportBatch.objects.defer("report").get(pk=batch_pk)


def _import_chunk(
    batch_pk: int, actor: Any, index: int, rows: list[Any], objects: _Objects | None
) -> bool:
    """One chunk in one transaction; False when the batch is no longer importing."""
    for attempt in range(LOCK_ATTEMPTS):
        try:
            with transaction.atomic():
                _wait_briefly()
                batch = _hold(batch_pk, index)
                if batch.state != BatchState.IMPORTING:
                    return False
                if objects is None:
                    created = _create_enterprise_rows(batch, actor, rows)
                else:
                    created = _create_rows(batch, actor, rows, objects)
                # Last, so that a run beside this one waits for the batch's row only while
                # this transaction commits.
                ImportBatch.objects.filter(pk=batch_pk).update(
                    progress_done=F("progress_done") + created,
                    progress_at=timezone.now(),
                    updated_at=timezone.now(),
                )
                return True
        except OperationalError as error:
            if not _lock_refused(error):
                raise
            time.sleep(0.05 * (attempt + 1))
    raise _Busy


def _create_rows(batch: ImportBatch, actor: Any, rows: list[ParsedRow], objects: _Objects) -> int:
    numbers = [row.number for row in rows]
    done = set(batch.imported.filter(row__in=numbers).values_list("row", flat=True))
    rows = [row for row in rows if row.number not in done]

    def imported(problems: list[Any]) -> None:
        insert_values(
            ImportedProblem,
            ("batch_id", "row", "problem_id"),
            [(batch.pk, r.number, problem.pk) for r, problem in zip(rows, problems, strict=True)],
        )

    # What other offices' actions wait for comes last: the event chains' heads (sealing the
    # events), then the chunk's rollup rows, just before it commits.
    with deferred():
        try:
            problem_bulk.do_create_problems(
                [_new_problem(batch, row, objects) for row in rows],
                acting_user=actor,
                before_events=imported,
            )
        except problem_bulk.BulkRowRefused as refused:
            number = rows[refused.index].number
            raise _RowFailed(number, "action", {"message": refused.error.message}) from None
    return len(rows)


def _create_enterprise_rows(
    batch: ImportBatch, actor: Any, rows: list[enterprise_bulk.EnterpriseRow]
) -> int:
    """The chunk's enterprises and their statuses (ducha.resumption.bulk), the rows they came
    from and the batch's progress, in the chunk's transaction."""
    done = set(
        imported_rows(batch).filter(row__in=[r.number for r in rows]).values_list("row", flat=True)
    )
    rows = [row for row in rows if row.number not in done]
    try:
        imported = enterprise_bulk.import_enterprises(rows, acting_user=actor, batch=batch)
    except enterprise_bulk.RowRefused as refused:
        number = refused.refusal.number
        raise _RowFailed(number, "action", {"message": refused.refusal.message}) from None
    insert(
        ImportedEnterprise,
        [
            ImportedEnterprise(
                batch=batch, row=item.row, enterprise=item.enterprise, created=item.created
            )
            for item in imported
        ],
    )
    return len(rows)


def _finish(batch_pk: int, actor: Any, *, whole: bool) -> ImportBatch:
    """Mark the batch imported: at the end of a run that took every chunk (`whole`), or of
    the last of the runs that shared them out."""
    with transaction.atomic():
        _wait_briefly()
        batch = lock(batch_pk)
        if batch.state != BatchState.IMPORTING:  # another run got here first
            return batch
        created = imported_rows(batch).count()
        if not whole and created < len(batch.valid_rows):
            return batch  # a run beside this one is still at work
        batch.state = BatchState.IMPORTED
        batch.finished_at = timezone.now()
        batch.progress_done = batch.progress_total = created
        batch.save()
        record(batch, actor, BatchAction.IMPORT, BatchState.IMPORTING, created=created)
    forget(batch)  # no re-check is left to need them; the workbook itself stays
    return batch


class _RowFailed(Exception):
    def __init__(self, row: int, code: str, params: dict[str, Any]) -> None:
        super().__init__(row, code)
        self.row, self.code, self.params = row, code, params

    def report(self) -> dict[str, Any]:
        return {
            "code": "row_failed",
            "params": {"row": self.row, "code": self.code, "params": self.params},
        }


def _still_valid(outcome: CheckOutcome, chosen: list[int]) -> list[ParsedRow]:
    """The chosen rows, checked again now; any that no longer passes stops the import."""
    valid = {row.number: row for row in outcome.valid}
    for number in chosen:
        if number not in valid:
            reason = next((e for e in outcome.errors if e.row == number), None)
            code, params = (reason.code, reason.params) if reason else ("internal", {})
            raise _RowFailed(number, code, params)
    return [valid[number] for number in chosen]


class _Objects:
    """The rows' regions, sites, teams, units and focus areas, fetched once per import."""

    def __init__(self, rows: list[ParsedRow]) -> None:
        self.regions = Org.objects.in_bulk({r.region_id for r in rows})
        self.units = Org.objects.in_bulk({r.unit_id for r in rows if r.unit_id})
        self.sites = Site.objects.select_related("region").in_bulk(
            {r.site_id for r in rows if r.site_id}
        )
        self.teams = Team.objects.in_bulk({r.team_id for r in rows if r.team_id})
        self.focus_areas = FocusArea.objects.in_bulk({r.focus_area_id for r in rows})


def _new_problem(batch: ImportBatch, row: ParsedRow, objects: _Objects) -> problem_bulk.NewProblem:
    return problem_bulk.NewProblem(
        title=row.title,
        description=row.description,
        region=objects.regions[row.region_id],
        site=objects.sites[row.site_id] if row.site_id else None,
        focus_area=objects.focus_areas[row.focus_area_id],
        team=objects.teams[row.team_id] if row.team_id else None,
        found_at=row.found_at,
        urgency=row.urgency,
        nature=row.nature,
        source={"import": batch.pk, "row": row.number},
        responsible_org=objects.units[row.unit_id] if row.unit_id else None,
        deadline=row.deadline,
    )
