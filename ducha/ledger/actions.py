"""Every change a person makes to an import batch: upload, confirm, cancel.

Each writes one immutable `ImportEvent` in the same transaction. Small files are checked and
imported during the request; larger ones by a Celery worker (`ducha.ledger.tasks`), with
progress the page polls. Checking, importing, failing and resuming a batch are the worker's
half, `ducha.ledger.runs`, which a request runs too for a small file. See
docs/decisions/0006-ledgers.md and 0008-import-chunks.md.
"""

from __future__ import annotations

import hashlib
from typing import Any

from django.core.exceptions import PermissionDenied
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import UploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ducha.core.errors import TransitionRefused
from ducha.core.scope import grants_for
from ducha.fieldwork.evidence import display_name
from ducha.ledger import tasks
from ducha.ledger.checks import check_file, columns_of
from ducha.ledger.choices import BatchAction, BatchKind, BatchState
from ducha.ledger.conf import ledger_setting
from ducha.ledger.kept import forget
from ducha.ledger.models import ImportBatch
from ducha.ledger.reading import LedgerFile, read_upload
from ducha.ledger.runs import apply_outcome, is_stale, lock, record, resume, run_import
from ducha.orgs.models import Org
from ducha.problems.choices import ACTION_ROLES, Action
from ducha.resumption.choices import ACTION_ROLES as RESUMPTION_ROLES
from ducha.resumption.choices import EnterpriseAction


def _import_roles(kind: str) -> frozenset[str]:
    """Who records what the rows become: problems, or the enterprises of the ledger."""
    if kind == BatchKind.ENTERPRISES:
        return RESUMPTION_ROLES[EnterpriseAction.REGISTER]
    return ACTION_ROLES[Action.CREATE]


def may_import(user: Any, kind: str = BatchKind.PROBLEMS) -> bool:
    """Roles that record problems (office staff, team members, admins) may import them; the
    offices that register enterprises may import enterprise ledgers."""
    roles = _import_roles(kind)
    return any(g.role in roles and g.region_path for g in grants_for(user))


def refuse_unless_may_import(user: Any, kind: str = BatchKind.PROBLEMS) -> None:
    if may_import(user, kind):
        return
    if kind == BatchKind.ENTERPRISES:
        raise PermissionDenied(_("Your roles may not register enterprises."))
    raise PermissionDenied(_("Your roles may not record problems."))


def _jurisdiction(user: Any, kind: str) -> Org | None:
    """The region the uploader records in: the deepest one all their grants share."""
    roles = _import_roles(kind)
    paths = [g.region_path for g in grants_for(user) if g.role in roles and g.region_path]
    if not paths:
        return None
    shared = paths[0].strip("/").split("/")
    for path in paths[1:]:
        parts = path.strip("/").split("/")
        length = 0
        while length < min(len(shared), len(parts)) and shared[length] == parts[length]:
            length += 1
        shared = shared[:length]
    return Org.objects.filter(pk=int(shared[-1])).first() if shared else None


def do_upload_import(
    *, acting_user: Any, upload: UploadedFile, kind: str = BatchKind.PROBLEMS
) -> ImportBatch:
    """Store an uploaded ledger and check it: now when small, by a worker when large.

    `kind` says what its rows are: problems, or enterprises of the 复工复产 ledger.
    A file that is not a ledger at all (wrong type, too large, wrong headings; for small
    files also no rows or too many) is refused with InvalidInput and nothing is kept.
    """
    refuse_unless_may_import(acting_user, kind)
    data = read_upload(upload)
    # The package and the headings, before anything is stored; only a small file (packed,
    # unpacked and in strings) is checked further in the request.
    inline = LedgerFile(data, columns_of(kind)).package.small
    outcome = check_file(acting_user, data, kind=kind) if inline else None
    digest = hashlib.sha256(data).hexdigest()
    batch = ImportBatch(
        kind=kind,
        uploaded_by=acting_user,
        region=_jurisdiction(acting_user, kind),
        original_name=_display_name(upload.name),
        size=len(data),
        sha256=digest,
    )
    batch.file.save(digest + ".xlsx", ContentFile(data), save=False)
    try:
        with transaction.atomic():
            batch.save()
            record(batch, acting_user, BatchAction.UPLOAD, "", sha256=digest, size=len(data))
            if outcome is not None:
                apply_outcome(batch, outcome)
                batch.save()
                record(batch, acting_user, BatchAction.VALIDATE, BatchState.UPLOADED)
            else:
                # The worker's lease starts now; its progress renews it (see resume_stale_imports).
                batch.progress_at = timezone.now()
                batch.save(update_fields=["progress_at"])
                tasks.later(tasks.check_batch, batch.pk, acting_user)
    except BaseException:
        forget(batch)
        batch.file.delete(save=False)
        raise
    return batch


def _display_name(name: str | None) -> str:
    return display_name(name)[:200]


def do_confirm_import(batch: ImportBatch, *, acting_user: Any) -> ImportBatch:
    """Import the valid rows. Confirming again (or twice at once) imports them once; confirming
    an import whose run died resumes it after its last committed chunk."""
    with transaction.atomic():
        locked = lock(batch.pk)
        if locked.state == BatchState.IMPORTED:
            return locked
        if locked.state == BatchState.IMPORTING:
            if not is_stale(locked):
                return locked
            resume(locked, acting_user)
        elif locked.state != BatchState.VALIDATED:
            raise TransitionRefused(
                _("This file can no longer be imported (it is “%(state)s”).")
                % {"state": BatchState(locked.state).label}
            )
        elif not locked.rows_valid:
            raise TransitionRefused(_("No row of this file can be imported."))
        else:
            locked.state = BatchState.IMPORTING
            locked.confirmed_by = acting_user
            locked.confirmed_at = locked.progress_at = timezone.now()
            locked.progress_done, locked.progress_total = 0, locked.rows_valid
            locked.save()
            record(locked, acting_user, BatchAction.CONFIRM, BatchState.VALIDATED)
        left = locked.rows_valid - locked.progress_done
        inline = left <= ledger_setting("DUCHA_LEDGER_INLINE_ROWS")
        if not inline and locked.progress_done:  # resumed: one run takes what is left
            tasks.later(tasks.import_batch, locked.pk, acting_user)
        elif not inline:
            tasks.import_later(locked, acting_user)
    if inline:
        return run_import(locked.pk)
    return locked


@transaction.atomic
def do_cancel_import(batch: ImportBatch, *, acting_user: Any) -> ImportBatch:
    """Import nothing (more). A file still being checked is cancelled too; its check is
    discarded. An import whose run died stops where it stands: its committed rows stay."""
    locked = lock(batch.pk)
    if locked.state == BatchState.CANCELLED:
        return locked
    stopped = is_stale(locked)
    if locked.state not in (BatchState.UPLOADED, BatchState.VALIDATED) and not stopped:
        raise TransitionRefused(
            _("This file can no longer be cancelled (it is “%(state)s”).")
            % {"state": BatchState(locked.state).label}
        )
    from_state = locked.state
    locked.state = BatchState.CANCELLED
    locked.finished_at = timezone.now()
    locked.save()
    extra = {"imported": locked.progress_done} if stopped else {}
    record(locked, acting_user, BatchAction.CANCEL, from_state, **extra)
    transaction.on_commit(lambda: forget(locked))
    return locked
