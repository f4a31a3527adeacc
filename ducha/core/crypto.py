"""Commercial cryptography (密评, GB/T 39786 level 3, application layer): SM3 and SM4.

- `PBKDF2SM3PasswordHasher`: passwords stored as PBKDF2-HMAC-SM3 (`DUCHA_PASSWORD_HASHER=sm3`).
- `EncryptedCharField` / `EncryptedTextField`: personal data stored as SM4-GCM ciphertext under
  a key ring from the environment (`DUCHA_FIELD_KEYS`), rotated by `manage.py rotate_field_keys`.
- System checks that OpenSSL provides SM3 and SM4 and that the key ring is usable.

docs/security.md, section "Cryptography (密评)", maps each item to its test.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import os
import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from cryptography.exceptions import InvalidTag
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.conf import settings
from django.contrib.auth.hashers import PBKDF2PasswordHasher
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.db import models


def sm3(data: bytes = b"") -> Any:
    """A new SM3 hash object (OpenSSL 3's default provider has it; see `check_sm3`)."""
    return hashlib.new("sm3", data)


class PBKDF2SM3PasswordHasher(PBKDF2PasswordHasher):
    """PBKDF2-HMAC-SM3 (GB/T 32905 SM3 as the PRF of RFC 8018 PBKDF2).

    Stored as `pbkdf2_sm3$<iterations>$<salt>$<base64 of 32 bytes>`, the layout of Django's
    PBKDF2 hashers. 600,000 iterations is the count OWASP gives for PBKDF2-HMAC-SHA256; SM3 has
    the same block and output size, and OpenSSL computes it in about 0.3 s here (twice the time
    of Django's 1,000,000 SHA-256 rounds: SM3 has no CPU instructions of its own). Raising the
    count later re-encodes each hash at its user's next login (`must_update`).
    """

    algorithm = "pbkdf2_sm3"
    iterations = 600_000
    # Django's pbkdf2() calls digest() and passes its .name ("sm3") to hashlib.pbkdf2_hmac.
    digest = staticmethod(sm3)


# --- SM4 field encryption -------------------------------------------------------------------

# Every stored value is "<VERSION>:<key id>:<base64(nonce || ciphertext || tag)>".
VERSION = "sm4v1"
NONCE_BYTES = 12
TAG_BYTES = 16
KEY_BYTES = 16
KEY_ID = re.compile(r"[A-Za-z0-9_-]{1,32}")
# Published with the source like the development secret key, so only used with debug on.
DEVELOPMENT_KEYS = "dev:" + base64.b64encode(b"ducha-dev-key!!!").decode()


class FieldCryptoError(Exception):
    """An encrypted value cannot be read or written. Never shown to a user as such: a page
    that meets it fails (500) rather than show or save something it cannot vouch for."""


class MissingFieldKey(FieldCryptoError):
    pass


class TamperedValue(FieldCryptoError):
    pass


@dataclass(frozen=True)
class KeyRing:
    """Key id → 16-byte SM4 key; the first one is the current key (used for every write)."""

    keys: tuple[tuple[str, bytes], ...]

    @property
    def current_id(self) -> str:
        if not self.keys:
            raise MissingFieldKey(
                "No field encryption key: set DUCHA_FIELD_KEYS (e.g. "
                "'k1:<base64 of 16 random bytes>'; see docs/security.md)."
            )
        return self.keys[0][0]

    def key(self, key_id: str) -> bytes:
        for known, key in self.keys:
            if known == key_id:
                return key
        raise MissingFieldKey(
            f"The field encryption key {key_id!r} is not in DUCHA_FIELD_KEYS (known: "
            f"{', '.join(known for known, _key in self.keys) or 'none'}). Add it back: a "
            "value written under it cannot be read without it."
        )


def parse_keys(raw: str) -> KeyRing:
    """`"k2:<base64>,k1:<base64>"` → a key ring; ImproperlyConfigured names what is wrong."""
    keys: list[tuple[str, bytes]] = []
    for number, entry in enumerate((part.strip() for part in raw.split(",")), start=1):
        if not entry:
            continue
        key_id, separator, encoded = entry.partition(":")
        if not separator or not KEY_ID.fullmatch(key_id):
            raise ImproperlyConfigured(
                f"DUCHA_FIELD_KEYS entry {number} is not 'id:base64key' with an id of 1-32 "
                "letters, digits, '_' or '-'."
            )
        try:
            key = base64.b64decode(encoded, validate=True)
        except binascii.Error:
            key = b""
        if len(key) != KEY_BYTES:
            raise ImproperlyConfigured(
                f"DUCHA_FIELD_KEYS key {key_id!r} must be {KEY_BYTES} bytes in base64 (SM4 "
                "keys are 128 bits): python -c 'import base64, os; "
                "print(base64.b64encode(os.urandom(16)).decode())'"
            )
        if any(known == key_id for known, _key in keys):
            raise ImproperlyConfigured(f"DUCHA_FIELD_KEYS names the key {key_id!r} twice.")
        keys.append((key_id, key))
    return KeyRing(tuple(keys))


@lru_cache(maxsize=8)
def _ring(raw: str, debug: bool) -> KeyRing:
    return parse_keys(raw or (DEVELOPMENT_KEYS if debug else ""))


def key_ring() -> KeyRing:
    """The configured ring; with debug on and none configured, the development key."""
    return _ring(getattr(settings, "DUCHA_FIELD_KEYS", ""), settings.DEBUG)


def _associated(key_id: str, purpose: str) -> bytes:
    # The header and the column are authenticated with the ciphertext: a value copied into
    # another column, or relabelled with another key id, is refused like a changed byte.
    return f"{VERSION}:{key_id}:{purpose}".encode()


def encrypt(plaintext: str, purpose: str, ring: KeyRing | None = None) -> str:
    ring = ring or key_ring()
    key_id = ring.current_id
    nonce = os.urandom(NONCE_BYTES)
    encryptor = Cipher(algorithms.SM4(ring.key(key_id)), modes.GCM(nonce)).encryptor()
    encryptor.authenticate_additional_data(_associated(key_id, purpose))
    body = encryptor.update(plaintext.encode()) + encryptor.finalize()
    blob = base64.b64encode(nonce + body + encryptor.tag).decode()
    return f"{VERSION}:{key_id}:{blob}"


def key_id_of(stored: str) -> str:
    """The key id a stored value was written under (TamperedValue if it is not one)."""
    version, _sep, rest = stored.partition(":")
    key_id, separator, _blob = rest.partition(":")
    if version != VERSION or not separator or not KEY_ID.fullmatch(key_id):
        raise TamperedValue(f"Not an encrypted value of version {VERSION}.")
    return key_id


def decrypt(stored: str, purpose: str, ring: KeyRing | None = None) -> str:
    ring = ring or key_ring()
    try:
        key_id = key_id_of(stored)
        key = ring.key(key_id)
    except FieldCryptoError as error:
        # The column, for the log of the page that failed; never the value.
        raise type(error)(f"{purpose}: {error}") from None
    try:
        blob = base64.b64decode(stored.rsplit(":", 1)[1], validate=True)
    except binascii.Error:
        raise TamperedValue(f"The encrypted value of {purpose} is not base64.") from None
    if len(blob) < NONCE_BYTES + TAG_BYTES:
        raise TamperedValue(f"The encrypted value of {purpose} is truncated.")
    nonce, body, tag = blob[:NONCE_BYTES], blob[NONCE_BYTES:-TAG_BYTES], blob[-TAG_BYTES:]
    decryptor = Cipher(algorithms.SM4(key), modes.GCM(nonce, tag)).decryptor()
    decryptor.authenticate_additional_data(_associated(key_id, purpose))
    try:
        return (decryptor.update(body) + decryptor.finalize()).decode()
    except (InvalidTag, UnicodeDecodeError):
        raise TamperedValue(
            f"The encrypted value of {purpose} fails its SM4-GCM check: it was altered, "
            "moved from another column, or written under another key with the same id."
        ) from None


class EncryptedMixin:
    """Stores the value as SM4-GCM ciphertext; Python code sees the plaintext.

    Use it for personal data (names, phone numbers, identity numbers, contacts) of any model:
    ``phone = EncryptedCharField(_("phone"), max_length=20, blank=True, default="")``, then
    `makemigrations`. The column is `text` whatever `max_length` says; `max_length` bounds
    the plaintext (forms and saves refuse longer values).

    - Written under the current key of `DUCHA_FIELD_KEYS` (the first), with a fresh random
      nonce each save; read under the key its value names. `manage.py rotate_field_keys`
      re-encrypts every encrypted column with the current key.
    - The ciphertext is bound to its column (``app_label.model.field``): renaming the model or
      the field needs `purpose="<old label>"` on the field to keep reading old values.
    - An empty string and NULL are stored as they are: whether a value is given is not secret.
      Any other value without the `sm4v1:` header is refused as tampered, so turning an
      existing plaintext column into an encrypted one needs a data migration that encrypts
      each value (`field.get_prep_value`); new columns need none.
    - Nonces are random (96 bits): rotate a key long before 2**32 writes under it (NIST
      SP 800-38D); yearly rotation is far inside that.
    - **Encrypted values cannot be filtered, searched or ordered in the database** (each save
      gives different bytes): every lookup but `isnull` is refused with a FieldError, and
      ordering by the field sorts ciphertext. Keep such fields out of `search_fields`,
      `list_filter`, `ordering` and unique constraints; look rows up by another column.
    - `dumpdata` writes the plaintext (it serialises Python values); database dumps and
      backups hold the ciphertext, and the keys are not in them.
    - Do not put it on an append-only (event) table: rotation updates rows in place.
    """

    purpose_override: str | None

    def __init__(self, *args: Any, purpose: str | None = None, **kwargs: Any) -> None:
        self.purpose_override = purpose
        super().__init__(*args, **kwargs)

    @property
    def purpose(self) -> str:
        if self.purpose_override:
            return self.purpose_override
        return f"{self.model._meta.label_lower}.{self.name}"  # type: ignore[attr-defined]

    def deconstruct(self) -> Any:
        name, path, args, kwargs = super().deconstruct()  # type: ignore[misc]
        if self.purpose_override:
            kwargs["purpose"] = self.purpose_override
        return name, path, args, kwargs

    def get_internal_type(self) -> str:
        return "TextField"

    def get_lookup(self, lookup_name: str) -> Any:
        if lookup_name != "isnull":
            return None
        return super().get_lookup(lookup_name)  # type: ignore[misc]

    def get_transform(self, lookup_name: str) -> Any:
        return None

    def from_db_value(self, value: Any, expression: Any, connection: Any) -> Any:
        if value is None or value == "":
            return value
        return decrypt(value, self.purpose)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)  # type: ignore[misc]
        if value is None or value == "":
            return value
        value = str(value)
        limit = getattr(self, "max_length", None)
        if limit is not None and len(value) > limit:
            raise ValueError(f"{self.purpose} holds at most {limit} characters.")
        return encrypt(value, self.purpose)


class EncryptedCharField(EncryptedMixin, models.CharField):
    """A CharField stored encrypted with SM4 (see EncryptedMixin for what that allows)."""


class EncryptedTextField(EncryptedMixin, models.TextField):
    """A TextField stored encrypted with SM4 (see EncryptedMixin for what that allows)."""


def encrypted_fields() -> list[tuple[type[models.Model], EncryptedMixin]]:
    """Every encrypted column of the installed models (concrete tables only)."""
    from django.apps import apps

    found: list[tuple[type[models.Model], EncryptedMixin]] = []
    for model in apps.get_models():
        if model._meta.proxy or not model._meta.managed:
            continue
        for field in model._meta.local_concrete_fields:
            if isinstance(field, EncryptedMixin):
                found.append((model, field))
    return found


def encrypt_plaintext_column(app_label: str, model_name: str, field_name: str) -> Any:
    """A data migration's function that encrypts the values a column still holds in plain
    text (those written before the column became encrypted), under the current key.

    It reads and writes the column as raw text: the historical model's field would refuse
    a plaintext value as tampered."""

    def run(apps: Any, schema_editor: Any) -> None:
        model = apps.get_model(app_label, model_name)
        table = schema_editor.quote_name(model._meta.db_table)
        column = schema_editor.quote_name(model._meta.get_field(field_name).column)
        purpose = f"{app_label}.{model_name.lower()}.{field_name}"
        with schema_editor.connection.cursor() as cursor:
            cursor.execute(f"SELECT id, {column} FROM {table} WHERE {column} <> ''")  # noqa: S608
            rows = [(pk, value) for pk, value in cursor.fetchall()]
            for pk, value in rows:
                if value.startswith(f"{VERSION}:"):
                    continue
                cursor.execute(
                    f"UPDATE {table} SET {column} = %s WHERE id = %s",  # noqa: S608
                    [encrypt(value, purpose), pk],
                )

    return run


# --- Startup checks ------------------------------------------------------------------------


@checks.register(checks.Tags.security)
def check_sm3(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    hashers = getattr(settings, "PASSWORD_HASHERS", [])
    if not hashers or not hashers[0].endswith(".PBKDF2SM3PasswordHasher"):
        return []
    try:
        sm3(b"abc")
    except ValueError as error:
        return [
            checks.Error(
                f"DUCHA_PASSWORD_HASHER is 'sm3' but this Python's OpenSSL has no SM3 ({error}).",
                hint="Use OpenSSL 3 with its default provider (Debian 12 and later), or set "
                "DUCHA_PASSWORD_HASHER=pbkdf2_sha256.",
                id="ducha.E101",
            )
        ]
    return []


@checks.register(checks.Tags.security)
def check_field_keys(app_configs: Any = None, **kwargs: Any) -> list[checks.CheckMessage]:
    fields = encrypted_fields()
    if not fields:
        return []
    columns = ", ".join(field.purpose for _model, field in fields)
    try:
        ring = key_ring()
    except ImproperlyConfigured as error:
        return [checks.Error(str(error), id="ducha.E102")]
    if not ring.keys:
        return [
            checks.Error(
                f"DUCHA_FIELD_KEYS is not set; these columns are stored encrypted: {columns}.",
                hint="Set DUCHA_FIELD_KEYS=k1:<base64 of 16 random bytes> (see "
                "docs/security.md) and keep the key outside the database and its backups.",
                id="ducha.E103",
            )
        ]
    try:
        decrypt(encrypt("check", "check", ring), "check", ring)
    except Exception as error:  # any failure means SM4-GCM is unusable here
        return [
            checks.Error(
                f"SM4-GCM does not work with this cryptography/OpenSSL: {error!r}.",
                hint="Install cryptography 44 or later (its wheels bring OpenSSL 3 with SM4).",
                id="ducha.E104",
            )
        ]
    return []
