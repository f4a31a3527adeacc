"""Hash chains over the immutable tables (数据完整性, decision 0017): sealing new rows.

Every `ImmutableEvent` row carries `chain_shard`, `chain_seq` and `digest`. A table is split
into `DUCHA_CHAIN_SHARDS` chains by the row's parent object (the problem, the document, the
batch …: `chain_by`), so that writers of different objects do not wait for each other. A
row's digest is `"<algorithm>:<hex>"` over a canonical serialisation of its content and the
previous row's digest in its chain; the chain's last position and digest are kept in its
`ChainHead` row, locked by the writing transaction until it commits.

The serialisation is the same whether it is computed from the object about to be inserted
or from the row read back, on SQLite or PostgreSQL: columns by name, moments in UTC with
microseconds, JSON as stored (through the field's encoder) with sorted keys, decimals at the
field's places, empty values (None, "", {}, []) left out, so a column added later with an
empty default leaves the old rows' digests as they were.

Verification is in `core/chain_check.py`.
"""

from __future__ import annotations

import hashlib
import json
import zlib
from collections import defaultdict
from collections.abc import Iterable, Sequence
from contextlib import suppress
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from functools import cache
from typing import Any

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured, ValidationError
from django.db import connections, models, transaction

ALGORITHMS = ("sm3", "sha256")
# Columns that are not content: the id (drawn by the database on insert, after the digest
# is computed; the row's place is its shard and position instead) and the digest itself.
DIGEST_COLUMN = "digest"
EMPTY: tuple[Any, ...] = (None, "", {}, [])


def algorithm() -> str:
    """The configured digest for new rows; verification reads each row's own."""
    name = str(getattr(settings, "DUCHA_CHAIN_DIGEST", "sm3")).lower()
    if name not in ALGORITHMS:
        raise ImproperlyConfigured(f"DUCHA_CHAIN_DIGEST must be one of {', '.join(ALGORITHMS)}")
    return name


def shard_count() -> int:
    count = int(getattr(settings, "DUCHA_CHAIN_SHARDS", 1024))
    if not 1 <= count <= 1024:
        raise ImproperlyConfigured("DUCHA_CHAIN_SHARDS must be between 1 and 1024")
    return count


def hash_hex(name: str, data: bytes) -> str:
    """SM3 or SHA-256 of `data`, in hex. SM3 comes from OpenSSL 3 through hashlib."""
    if name not in ALGORITHMS:
        raise ValueError(f"unknown chain digest {name!r}")
    return hashlib.new(name, data).hexdigest()


def digest_of(name: str, document: Any) -> str:
    """`"<name>:<hex>"` of a JSON-able document, serialised canonically."""
    text = json.dumps(
        document, sort_keys=True, ensure_ascii=False, separators=(",", ":"), allow_nan=False
    )
    return f"{name}:{hash_hex(name, text.encode())}"


def algorithm_of(digest: str) -> str:
    return digest.partition(":")[0]


# The canonical content of a row


def _json_plain(value: Any) -> Any:
    # PostgreSQL's jsonb gives 1e20 back as an integer and 1.0 as 1.0: integral floats are
    # written as integers on both sides.
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        return {str(key): _json_plain(item) for key, item in value.items()}
    if isinstance(value, list):
        return [_json_plain(item) for item in value]
    return value


# Fields whose to_python hands a value of this type back as it is, and whose plain value is
# then that value: most of a row. Checked once per field, so sealing a large batch (an
# import, the demo) skips the conversions below for them.
_UNCHANGED: dict[Any, type] = {
    models.CharField.to_python: str,
    models.TextField.to_python: str,
    models.IntegerField.to_python: int,
    models.BooleanField.to_python: bool,
}


@cache
def _unchanged_type(field: models.Field) -> type | None:
    if isinstance(field, models.FileField | models.JSONField | models.GenericIPAddressField):
        return None
    if isinstance(field, models.ForeignKey):
        # A foreign key's to_python is its target's.
        return _unchanged_type(field.target_field)
    return _UNCHANGED.get(type(field).to_python)


def plain(field: models.Field, value: Any) -> Any:
    """A field's value as the digest sees it, the same before the insert and after a read."""
    if value is None:
        return None
    if type(value) is _unchanged_type(field):
        return value
    return converted(field, value)


def converted(field: models.Field, value: Any) -> Any:
    """`plain` for any value: through the field's conversion."""
    if isinstance(field, models.FileField):
        return getattr(value, "name", value) or None
    if isinstance(field, models.JSONField):
        return _json_plain(json.loads(json.dumps(value, cls=field.encoder)))
    # What the database gives back: "5" set on an integer field is read as 5. A value
    # to_python refuses is refused by the insert too, or stored as it is.
    with suppress(ValidationError):
        value = field.to_python(value)
    if value is None:
        return None
    if isinstance(value, datetime):
        if value.tzinfo is None:
            value = value.replace(tzinfo=UTC)
        return value.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%S.%fZ")
    if isinstance(value, date | time):
        return value.isoformat()
    if isinstance(value, timedelta):
        return (value.days * 86400 + value.seconds) * 1_000_000 + value.microseconds
    if isinstance(value, Decimal) or isinstance(field, models.DecimalField):
        places = getattr(field, "decimal_places", None)
        number = Decimal(str(value))
        return str(number.quantize(Decimal(1).scaleb(-places)) if places is not None else number)
    if isinstance(field, models.GenericIPAddressField):
        return str(field.get_prep_value(value))
    if isinstance(value, bytes | memoryview):
        return bytes(value).hex()
    if isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return _json_plain(value)
    return str(value)


def content_fields(model: type[models.Model]) -> list[models.Field]:
    return [
        field
        for field in model._meta.concrete_fields
        if not field.primary_key and field.attname != DIGEST_COLUMN
    ]


def row_digest(
    model: type[models.Model],
    obj: Any,
    previous: str,
    name: str,
    fields: Sequence[models.Field] | None = None,
) -> str:
    """The digest of `obj` (its content and place) chained to `previous`."""
    row = _content(obj, fields if fields is not None else content_fields(model))
    return digest_of(name, {"table": model._meta.label, "previous": previous, "row": row})


def _content(obj: Any, fields: Sequence[models.Field]) -> dict[str, Any]:
    """The row as its digest covers it: each field's plain value, empty ones left out."""
    row: dict[str, Any] = {}
    for field in fields:
        value = plain(field, getattr(obj, field.attname))
        if value not in EMPTY:
            row[str(field.column)] = value
    return row


# Shards


def chain_by(model: type[models.Model]) -> str | None:
    """The attribute whose value chooses a row's shard: the model's `chain_by`, else its
    first required foreign key (the object the record is about), else none (one chain)."""
    named = getattr(model, "chain_by", None)
    if named:
        return str(getattr(model._meta.get_field(named), "attname", named))
    for field in model._meta.concrete_fields:
        if isinstance(field, models.ForeignKey) and not field.null:
            return str(field.attname)
    return None


def shard_of(value: Any, shards: int) -> int:
    if value is None:
        return 0
    if isinstance(value, int):
        return value % shards
    return zlib.crc32(str(value).encode()) % shards


# Sealing new rows


def _head_table(using: str) -> tuple[Any, str]:
    from ducha.core.models import ChainHead

    connection = connections[using]
    return connection, connection.ops.quote_name(ChainHead._meta.db_table)


def _locked_heads(label: str, shards: Iterable[int], using: str) -> dict[int, list[Any]]:
    """The heads of `label`'s chains `shards`, locked until commit: shard -> [id, seq,
    digest]. Plain SQL: it runs in every transaction that writes a record, and the ORM's
    queryset and instances cost several times the statement here."""
    from ducha.core.models import ChainHead

    connection, table = _head_table(using)
    wanted = sorted(set(shards))
    marks = ", ".join(["%s"] * len(wanted))
    # Locked in shard order, so that two transactions appending to the same shards of one
    # table cannot wait for each other in a circle. SQLite locks the whole database anyway.
    lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
    sql = (
        f"SELECT shard, id, seq, digest FROM {table} "  # noqa: S608 (a table name)
        f"WHERE label = %s AND shard IN ({marks}) ORDER BY shard{lock}"
    )

    def read() -> dict[int, list[Any]]:
        with connection.cursor() as cursor:
            cursor.execute(sql, [label, *wanted])
            return {shard: [pk, seq, digest] for shard, pk, seq, digest in cursor.fetchall()}

    heads = read()
    if len(heads) < len(wanted):
        ChainHead.objects.db_manager(using).bulk_create(
            [ChainHead(label=label, shard=s) for s in wanted if s not in heads],
            ignore_conflicts=True,
        )
        heads = read()
    return heads


def seal(model: type[models.Model], objects: Sequence[Any], using: str) -> None:
    """Give new, unsaved rows of `model` their shard, position and digest, and move their
    chains' heads. Must run in the transaction that inserts them, in the order they are
    inserted: the heads stay locked until it commits."""
    if not objects:
        return
    if not transaction.get_connection(using).in_atomic_block:
        raise RuntimeError("chained rows are sealed inside the transaction that writes them")
    name, shards = algorithm(), shard_count()
    attname = chain_by(model)
    fields = content_fields(model)
    files = [field for field in fields if isinstance(field, models.FileField)]
    by_shard: dict[int, list[Any]] = defaultdict(list)
    for obj in objects:
        shard = shard_of(getattr(obj, attname) if attname else None, shards)
        by_shard[shard].append(obj)
        # A file is stored (and its final name chosen) by its field's pre_save; do it now
        # so the digest covers the name the row will hold. It is idempotent.
        for field in files:
            field.pre_save(obj, add=True)
        obj.chain_shard = shard
    # Everything but the place in the chain is read before the heads are locked: other
    # writers to these chains wait from the lock to the commit.
    seq = next(field for field in fields if field.attname == "chain_seq")
    placeless = [field for field in fields if field is not seq]
    contents = [_content(obj, placeless) for obj in objects]
    content_of = {id(obj): row for obj, row in zip(objects, contents, strict=True)}
    label = model._meta.label
    heads = _locked_heads(label, by_shard, using)
    for shard, members in by_shard.items():
        head = heads[shard]
        for obj in members:
            head[1] += 1
            obj.chain_seq = head[1]
            row = content_of[id(obj)]
            row[str(seq.column)] = plain(seq, obj.chain_seq)
            obj.digest = digest_of(name, {"table": label, "previous": head[2], "row": row})
            head[2] = obj.digest
    connection, table = _head_table(using)
    with connection.cursor() as cursor:
        cursor.executemany(
            f"UPDATE {table} SET seq = %s, digest = %s WHERE id = %s",  # noqa: S608
            [(seq, digest, pk) for pk, seq, digest in heads.values()],
        )


def backfill(model: Any, head_model: Any, attname: str | None) -> None:
    """Seal the rows a table held before it was chained, in id order (for migrations: the
    append-only triggers are lifted around it). `model` is the historical model."""
    name, shards = algorithm(), shard_count()
    fields = content_fields(model)
    heads: dict[int, list[Any]] = {}
    batch: list[Any] = []
    rows = model._base_manager.order_by("pk")
    for obj in rows.iterator(chunk_size=2000):
        shard = shard_of(getattr(obj, attname) if attname else None, shards)
        seq, previous = heads.get(shard, [0, ""])
        obj.chain_shard, obj.chain_seq = shard, seq + 1
        obj.digest = row_digest(model, obj, previous, name, fields)
        heads[shard] = [seq + 1, obj.digest]
        batch.append(obj)
        if len(batch) >= 500:
            model._base_manager.bulk_update(batch, ["chain_shard", "chain_seq", "digest"])
            batch = []
    if batch:
        model._base_manager.bulk_update(batch, ["chain_shard", "chain_seq", "digest"])
    head_model.objects.bulk_create(
        [
            head_model(label=model._meta.label, shard=shard, seq=seq, digest=digest)
            for shard, (seq, digest) in sorted(heads.items())
        ]
    )


def sealing_existing(app_label: str, model_name: str) -> Any:
    """A migration operation sealing the rows `model_name` held before it was chained."""
    from django.db import migrations

    def forwards(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        backfill(model, apps.get_model("core", "ChainHead"), chain_by(model))

    def backwards(apps: Any, schema_editor: Any) -> None:
        label = apps.get_model(app_label, model_name)._meta.label
        apps.get_model("core", "ChainHead").objects.filter(label=label).delete()

    return migrations.RunPython(forwards, backwards, elidable=False)
