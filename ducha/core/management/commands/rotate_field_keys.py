"""`manage.py rotate_field_keys`: re-encrypt every encrypted column with the current key.

Walks each encrypted column in primary-key order, a chunk at a time (one transaction per
chunk, so memory and locks stay bounded). A value already under the current key is skipped,
so a run that stopped is simply started again. Each row is written only if it still holds
the value read (compare and set): a save that happened meanwhile wrote under the current key
already. See docs/security.md, "Cryptography (密评)".
"""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand, CommandError
from django.db import connections, models, transaction
from django.utils.translation import gettext as _

from ducha.core.crypto import (
    EncryptedMixin,
    FieldCryptoError,
    decrypt,
    encrypt,
    encrypted_fields,
    key_id_of,
    key_ring,
)


class Command(BaseCommand):
    help = (
        "Re-encrypt every SM4-encrypted column with the current (first) key of "
        "DUCHA_FIELD_KEYS, in chunks; restartable. Keep the old keys listed until it is done."
    )

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--chunk-size", type=int, default=500, help="rows per transaction")
        parser.add_argument("--database", default="default", help="database alias")

    def handle(self, *args: Any, **options: Any) -> None:
        chunk = options["chunk_size"]
        if not 1 <= chunk <= 10_000:
            raise CommandError(_("--chunk-size must be between 1 and 10000."))
        try:
            current = key_ring().current_id
        except FieldCryptoError as error:
            raise CommandError(str(error)) from None
        total = 0
        for model, field in encrypted_fields():
            total += self._rotate(model, field, chunk, options["database"], options["verbosity"])
        if options["verbosity"] > 0:
            self.stdout.write(
                self.style.SUCCESS(
                    _("%(count)d values re-encrypted under the key %(key)s.")
                    % {"count": total, "key": current}
                )
            )

    def _rotate(
        self,
        model: type[models.Model],
        field: EncryptedMixin,
        chunk: int,
        using: str,
        verbosity: int,
    ) -> int:
        connection = connections[using]
        quote = connection.ops.quote_name
        table = quote(model._meta.db_table)
        pk = quote(str(model._meta.pk.column))
        column = quote(field.column)  # type: ignore[attr-defined]
        # Names from the model's meta, quoted by the backend; values are parameters.
        given = f"{column} IS NOT NULL AND {column} <> ''"
        select = f"SELECT {pk}, {column} FROM {table} WHERE "  # noqa: S608
        first = f"{select}{given} ORDER BY {pk} LIMIT %s"
        after = f"{select}{pk} > %s AND {given} ORDER BY {pk} LIMIT %s"
        update = f"UPDATE {table} SET {column} = %s WHERE {pk} = %s AND {column} = %s"  # noqa: S608
        ring = key_ring()
        current = ring.current_id
        last: Any = None
        rotated = 0
        while True:
            with transaction.atomic(using=using), connection.cursor() as cursor:
                if last is None:
                    cursor.execute(first, [chunk])
                else:
                    cursor.execute(after, [last, chunk])
                rows = cursor.fetchall()
                changed = 0
                for row_pk, stored in rows:
                    try:
                        if key_id_of(stored) == current:
                            continue
                        fresh = encrypt(decrypt(stored, field.purpose, ring), field.purpose, ring)
                    except FieldCryptoError as error:
                        raise CommandError(
                            f"{field.purpose} of row {row_pk}: {error} Nothing of this chunk "
                            "was changed; fix the key ring and run the command again."
                        ) from None
                    cursor.execute(update, [fresh, row_pk, stored])
                    changed += cursor.rowcount
            if not rows:
                break
            last = rows[-1][0]
            rotated += changed
            if verbosity > 0:
                self.stdout.write(
                    _("%(column)s: %(changed)d re-encrypted in this chunk, up to id %(last)s")
                    % {"column": field.purpose, "changed": changed, "last": last}
                )
        return rotated
