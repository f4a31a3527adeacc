"""`manage.py rotate_field_keys`: every encrypted value re-encrypted under the current key."""

from io import StringIO

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from ducha.accounts.models import User
from ducha.core.crypto import key_id_of
from tests.crypto.conftest import NEW_KEY, OLD_KEY, admin_change
from tests.crypto.test_fields import stored_phone, write_phone

pytestmark = pytest.mark.django_db


def people(count: int) -> list[User]:
    return [
        User.objects.create_user(f"user{i}", phone=f"138{i:08d}", name=f"用户{i}")
        for i in range(count)
    ]


def rotate(*args: str) -> str:
    out = StringIO()
    call_command("rotate_field_keys", *args, stdout=out)
    return out.getvalue()


def test_rotation_re_encrypts_every_value_under_the_new_key(settings, superuser):
    settings.DUCHA_FIELD_KEYS = OLD_KEY
    users = people(7)
    User.objects.create_user("nophone")  # empty: stays empty, nothing to encrypt
    before = {user.pk: stored_phone(user) for user in users}
    assert {key_id_of(raw) for raw in before.values()} == {"old"}

    # The new key first, the old one still listed: old values still read before rotating,
    # and a save writes under the new key at once.
    settings.DUCHA_FIELD_KEYS = f"{NEW_KEY},{OLD_KEY}"
    assert User.objects.get(pk=users[0].pk).phone == "13800000000"
    assert admin_change(superuser, users[1], phone="13900000001").status_code == 302
    assert key_id_of(stored_phone(users[1])) == "new"

    output = rotate("--chunk-size", "3")
    # Chunks of 3 rows (one per transaction); users[1] was under the new key already.
    assert "accounts.user.phone：本批重新加密 3 个值" in output
    assert "已使用密钥 new 重新加密 6 个值。" in output
    assert {key_id_of(stored_phone(user)) for user in users} == {"new"}
    assert stored_phone(users[0]) != before[users[0].pk]

    # The old key can go now; every value reads under the new one alone.
    settings.DUCHA_FIELD_KEYS = NEW_KEY
    phones = {user.username: user.phone for user in User.objects.all()}
    assert phones["user0"] == "13800000000"
    assert phones["user1"] == "13900000001"
    assert phones["user6"] == "13800000006"
    assert phones["nophone"] == ""
    # Running again finds nothing left to do (a stopped run is restarted the same way).
    assert "重新加密 0 个值" in rotate()


def test_a_value_under_a_missing_key_stops_the_rotation_and_names_it(settings):
    settings.DUCHA_FIELD_KEYS = OLD_KEY
    users = people(2)
    settings.DUCHA_FIELD_KEYS = NEW_KEY  # the old key was dropped before rotating
    with pytest.raises(CommandError, match=rf"accounts.user.phone of row {users[0].pk}: .*'old'"):
        rotate()
    assert {key_id_of(stored_phone(user)) for user in users} == {"old"}  # nothing half-done
    settings.DUCHA_FIELD_KEYS = f"{NEW_KEY},{OLD_KEY}"
    rotate()
    assert {key_id_of(stored_phone(user)) for user in users} == {"new"}


def test_a_tampered_value_stops_the_rotation(settings):
    settings.DUCHA_FIELD_KEYS = OLD_KEY
    (user,) = people(1)
    raw = stored_phone(user)
    write_phone(user, raw[:-4] + ("AAAA" if raw[-4:] != "AAAA" else "BBBB"))
    settings.DUCHA_FIELD_KEYS = f"{NEW_KEY},{OLD_KEY}"
    with pytest.raises(CommandError, match="fails its SM4-GCM check"):
        rotate()
