"""Verifying the hash chains (decision 0017), and the daily anchor of their heads.

`verify()` walks every immutable table once, in id order, a chunk of rows at a time (memory
does not grow with the table), keeping only each chain's last position and digest. The rows
of one chain are inserted in their chain's order (the head stays locked until the writing
transaction commits, and ids are drawn after sealing), so in id order every row must be the
next position of its chain and its digest must be that of its content chained to the one
before. What a row says about itself decides what is reported:

- `unsealed`: no digest or position: written around the application (a raw INSERT);
- `repeated`: a position of its chain that an earlier row holds already (a row inserted);
- `missing`: positions skipped before it (rows deleted);
- `altered`: its content, chained to the previous digest, does not give its digest (a
  field changed, or a forged row);
- `head`: the chain's head says more rows (the last ones deleted) or fewer (rows appended
  around the application) than the table holds;
- `anchor`: a row differs from what a day's anchor recorded for its position (the chain
  was recomputed after that day), or an anchor itself does not hash to its digest.

On PostgreSQL the walk runs in one REPEATABLE READ transaction: one snapshot of every table
and head, so writers carrying on meanwhile cannot look like a break.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import date
from types import SimpleNamespace
from typing import Any

from django.apps import apps
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from ducha.core.chains import (
    ALGORITHMS,
    algorithm,
    algorithm_of,
    content_fields,
    digest_of,
    row_digest,
)
from ducha.core.events import ImmutableEvent
from ducha.core.models import ChainAnchor, ChainHead

log = logging.getLogger(__name__)

CHUNK = 2000
# Breaks kept per table: the first is the one to look at; a few more show the extent.
KEPT_BREAKS = 20

Progress = Callable[[str, int], None]


@dataclass
class Break:
    table: str  # the model's label
    pk: int | None
    shard: int | None
    seq: int | None
    kind: str
    detail: str

    def as_dict(self) -> dict[str, Any]:
        return {
            "table": self.table,
            "id": self.pk,
            "shard": self.shard,
            "seq": self.seq,
            "kind": self.kind,
            "detail": self.detail,
        }


@dataclass
class TableReport:
    table: str
    rows: int = 0
    chains: int = 0
    breaks: list[Break] = field(default_factory=list)
    broken: int = 0

    def add(self, found: Break) -> None:
        self.broken += 1
        if len(self.breaks) < KEPT_BREAKS:
            self.breaks.append(found)


@dataclass
class Report:
    tables: list[TableReport] = field(default_factory=list)
    anchors: int = 0
    anchor_breaks: list[Break] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.anchor_breaks and not any(t.broken for t in self.tables)

    @property
    def rows(self) -> int:
        return sum(t.rows for t in self.tables)

    @property
    def first_break(self) -> Break | None:
        for table in self.tables:
            if table.breaks:
                return table.breaks[0]
        return self.anchor_breaks[0] if self.anchor_breaks else None

    def summary(self) -> dict[str, Any]:
        """What the audit row keeps of a verification."""
        first = self.first_break
        return {
            "ok": self.ok,
            "rows": self.rows,
            "anchors": self.anchors,
            "tables": {t.table: {"rows": t.rows, "broken": t.broken} for t in self.tables},
            "first_break": first.as_dict() if first else None,
        }


def chained_models() -> list[type[ImmutableEvent]]:
    return sorted(
        (model for model in apps.get_models() if issubclass(model, ImmutableEvent)),
        key=lambda model: model._meta.label,
    )


@contextmanager
def _snapshot() -> Iterator[None]:
    # Inside a caller's transaction (a test, an atomic block) its snapshot rules.
    outer = connection.in_atomic_block
    with transaction.atomic():
        if connection.vendor == "postgresql" and not outer:
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        yield


def _anchored() -> tuple[dict[tuple[str, int, int], tuple[str, str]], list[Break], int]:
    """Every position an anchor recorded: (label, shard, seq) -> (digest, day); the breaks
    of the anchors' own chain; how many anchors."""
    positions: dict[tuple[str, int, int], tuple[str, str]] = {}
    breaks: list[Break] = []
    previous = ""
    count = 0
    for anchor in ChainAnchor.objects.order_by("day", "pk").iterator(chunk_size=200):
        count += 1
        name = algorithm_of(anchor.digest)
        expected = (
            digest_of(name, _anchor_document(anchor.day, anchor.heads, previous))
            if name in ALGORITHMS
            else ""
        )
        if anchor.previous != previous or anchor.digest != expected:
            breaks.append(
                Break(
                    "core.ChainAnchor",
                    anchor.pk,
                    None,
                    None,
                    "anchor",
                    f"the anchor of {anchor.day} does not hash to its digest",
                )
            )
        previous = anchor.digest
        day = anchor.day.isoformat()
        for label, shards in (anchor.heads or {}).items():
            for shard, (seq, digest) in shards.items():
                if seq:
                    positions[(label, int(shard), int(seq))] = (digest, day)
    return positions, breaks, count


def _verify_table(
    model: type[ImmutableEvent],
    anchored: dict[tuple[str, int, int], tuple[str, str]],
    progress: Progress | None,
    chunk: int,
) -> TableReport:
    label = model._meta.label
    report = TableReport(label)
    # shard -> (last position, last digest, id of that row)
    state: dict[int, tuple[int, str, int | None]] = {}
    # Values, not model instances: a third of the time of a walk went into building them.
    fields = [f for f in model._meta.concrete_fields if not f.primary_key]
    names = [str(f.attname) for f in fields]
    content = content_fields(model)
    rows = model._base_manager.order_by("pk").values_list("pk", *names)
    for values in rows.iterator(chunk_size=chunk):
        obj = SimpleNamespace(pk=values[0], **dict(zip(names, values[1:], strict=True)))
        report.rows += 1
        if progress and report.rows % (chunk * 10) == 0:
            progress(label, report.rows)
        shard, seq, digest = obj.chain_shard, obj.chain_seq, obj.digest or ""
        if shard is None or seq is None or algorithm_of(digest) not in ALGORITHMS:
            report.add(
                Break(label, obj.pk, shard, seq, "unsealed", "the row carries no chain link")
            )
            continue
        last_seq, last_digest, _ = state.get(shard, (0, "", None))
        if seq <= last_seq:
            report.add(
                Break(
                    label,
                    obj.pk,
                    shard,
                    seq,
                    "repeated",
                    f"position {seq} of chain {shard} is held by an earlier row: "
                    "this row was inserted",
                )
            )
            continue
        if seq > last_seq + 1:
            missing = f"{last_seq + 1}" if seq == last_seq + 2 else f"{last_seq + 1}–{seq - 1}"
            report.add(
                Break(
                    label,
                    obj.pk,
                    shard,
                    seq,
                    "missing",
                    f"position {missing} of chain {shard} before this row is missing: deleted",
                )
            )
        elif row_digest(model, obj, last_digest, algorithm_of(digest), content) != digest:
            report.add(
                Break(
                    label,
                    obj.pk,
                    shard,
                    seq,
                    "altered",
                    "the row's content does not give its digest: changed after it was "
                    "written, or not written by the application",
                )
            )
        seen = anchored.get((label, shard, seq))
        if seen is not None and seen[0] != digest:
            report.add(
                Break(
                    label,
                    obj.pk,
                    shard,
                    seq,
                    "anchor",
                    f"the digest differs from the one anchored on {seen[1]}",
                )
            )
        # Carry on from the row as it is, so one break is reported once.
        state[shard] = (seq, digest, obj.pk)
    heads = {h.shard: h for h in ChainHead.objects.filter(label=label)}
    report.chains = len(set(heads) | set(state))
    for shard in sorted(set(heads) | set(state)):
        last_seq, last_digest, last_pk = state.get(shard, (0, "", None))
        head = heads.get(shard)
        head_seq, head_digest = (head.seq, head.digest) if head else (0, "")
        if (head_seq, head_digest) == (last_seq, last_digest):
            continue
        if head_seq > last_seq:
            detail = (
                f"chain {shard} ends at position {last_seq} but its head is at {head_seq}: "
                "its last rows were deleted"
            )
        elif head_seq < last_seq:
            detail = (
                f"chain {shard} goes on to position {last_seq} past its head at {head_seq}: "
                "rows were appended around the application"
            )
        else:
            detail = f"the last row of chain {shard} differs from its head's digest"
        report.add(Break(label, last_pk, shard, last_seq, "head", detail))
    for (anchored_label, shard, seq), (_, day) in anchored.items():
        if anchored_label == label and seq > state.get(shard, (0, "", None))[0]:
            report.add(
                Break(
                    label,
                    None,
                    shard,
                    seq,
                    "anchor",
                    f"position {seq} of chain {shard}, anchored on {day}, is gone",
                )
            )
    if progress:
        progress(label, report.rows)
    return report


def verify(progress: Progress | None = None, chunk: int = CHUNK) -> Report:
    """Walk every chain; nothing is written."""
    report = Report()
    with _snapshot():
        anchored, report.anchor_breaks, report.anchors = _anchored()
        for model in chained_models():
            report.tables.append(_verify_table(model, anchored, progress, chunk))
    return report


# The daily anchor


def _anchor_document(day: date, heads: dict[str, Any], previous: str) -> dict[str, Any]:
    return {"day": day.isoformat(), "heads": heads, "previous": previous}


def write_anchor(day: date | None = None) -> ChainAnchor | None:
    """Hash the heads of every chain into the day's anchor; None if it has one already.

    No row is locked (the application's role may not lock the append-only anchors): two
    writers of one day meet at the unique day, and the anchors are written once a day."""
    day = day or timezone.localdate()
    if ChainAnchor.objects.filter(day=day).exists():
        return None
    try:
        with transaction.atomic():
            last = ChainAnchor.objects.order_by("-day", "-pk").first()
            heads: dict[str, dict[str, list[Any]]] = {}
            for head in ChainHead.objects.order_by("label", "shard"):
                heads.setdefault(head.label, {})[str(head.shard)] = [head.seq, head.digest]
            previous = last.digest if last else ""
            anchor = ChainAnchor.objects.create(
                day=day,
                heads=heads,
                previous=previous,
                digest=digest_of(algorithm(), _anchor_document(day, heads, previous)),
            )
    except IntegrityError:
        return None
    # The log is kept apart from the database: a copy of the anchor outside it.
    log.info("chain anchor %s %s", day.isoformat(), anchor.digest)
    return anchor
