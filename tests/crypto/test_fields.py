"""SM4-GCM encrypted columns (密评 重要数据存储机密性/完整性): User.phone as the first."""

import pytest
from django.core.exceptions import FieldError
from django.core.management import call_command
from django.core.management.base import SystemCheckError
from django.db import connection, transaction

from ducha.accounts.models import User
from ducha.core.crypto import MissingFieldKey, TamperedValue, encrypt
from tests.crypto.conftest import NEW_KEY, OLD_KEY, admin_change
from tests.pages.helpers import text

pytestmark = pytest.mark.django_db


def stored_phone(user: User) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM accounts_user WHERE id = %s", [user.pk])
        return cursor.fetchone()[0]


def write_phone(user: User, raw: str) -> None:
    with connection.cursor() as cursor:
        cursor.execute("UPDATE accounts_user SET phone = %s WHERE id = %s", [raw, user.pk])


def test_a_phone_set_in_the_admin_is_stored_encrypted(superuser, alice):
    response = admin_change(superuser, alice, phone="13812345678")
    assert response.status_code == 302
    raw = stored_phone(alice)
    assert "13812345678" not in raw
    assert raw.startswith("sm4v1:tests:")
    alice.refresh_from_db()
    assert alice.phone == "13812345678"
    # The admin shows it decrypted to whoever may edit the account.
    page = text(superuser.get(f"/admin/accounts/user/{alice.pk}/change/"))
    assert 'value="13812345678"' in page
    # The same number saved again gives other bytes (a fresh nonce each time).
    alice.save()
    assert stored_phone(alice) != raw


@pytest.mark.parametrize(
    "phone",
    [
        "12345",
        "138123456789",
        "1381234567a",
        "021-123",
        "+1 2025550123",
        "１３８１２３４５６７８",
        "1３８１２３４５６７８",
    ],
)
def test_a_bad_phone_is_refused_on_its_field_and_nothing_saved(superuser, alice, phone):
    alice.phone = "010-12345678"
    alice.save()
    before = stored_phone(alice)
    response = admin_change(superuser, alice, phone=phone, name="改了名字")
    assert response.status_code == 200
    form = response.context["adminform"].form
    assert list(form.errors) == ["phone"]
    assert "请输入11位手机号码" in text(response)
    alice.refresh_from_db()
    assert (alice.name, stored_phone(alice)) == ("爱丽丝", before)


@pytest.mark.parametrize("phone", ["13812345678", "+86 13812345678", "0755-1234567-123", ""])
def test_mobiles_and_landlines_are_accepted(superuser, alice, phone):
    assert admin_change(superuser, alice, phone=phone).status_code == 302
    alice.refresh_from_db()
    assert alice.phone == phone


def test_a_tampered_ciphertext_is_refused(alice):
    alice.phone = "13812345678"
    alice.save()
    raw = stored_phone(alice)
    # One changed character of the ciphertext, then the value moved under another key id.
    flipped = raw[:-6] + ("A" if raw[-6] != "A" else "B") + raw[-5:]
    write_phone(alice, flipped)
    with pytest.raises(TamperedValue, match="fails its SM4-GCM check"):
        User.objects.get(pk=alice.pk)
    write_phone(alice, "13812345678")  # plaintext written around the application
    with pytest.raises(TamperedValue, match=r"^accounts\.user\.phone: Not an encrypted value"):
        User.objects.get(pk=alice.pk)


def test_a_ciphertext_moved_from_another_column_is_refused(alice):
    # Bound to its column: a valid ciphertext of another encrypted column does not read here.
    write_phone(alice, encrypt("13812345678", "accounts.user.other"))
    with pytest.raises(TamperedValue):
        User.objects.get(pk=alice.pk)


def test_encrypted_values_cannot_be_filtered(alice):
    with pytest.raises(FieldError, match="Unsupported lookup"):
        list(User.objects.filter(phone="13812345678"))
    assert User.objects.filter(phone__isnull=False).count() == 1


def test_a_value_longer_than_its_bound_is_refused_by_the_orm(alice):
    alice.phone = "1" * 21
    bound = r"accounts\.user\.phone holds at most 20 characters"
    with pytest.raises(ValueError, match=bound), transaction.atomic():
        alice.save()


def test_a_missing_key_is_a_clear_error(alice, settings):
    settings.DUCHA_FIELD_KEYS = OLD_KEY
    alice.phone = "13812345678"
    alice.save()
    settings.DUCHA_FIELD_KEYS = NEW_KEY
    with pytest.raises(
        MissingFieldKey, match=r"^accounts\.user\.phone: .* key 'old' is not in DUCHA_FIELD_KEYS"
    ):
        User.objects.get(pk=alice.pk)


def test_without_keys_production_refuses_and_debug_uses_the_development_key(alice, settings):
    settings.DUCHA_FIELD_KEYS = ""
    with pytest.raises(SystemCheckError, match=r"ducha\.E103.*accounts\.user\.phone"):
        call_command("check")
    alice.phone = "13812345678"
    with pytest.raises(MissingFieldKey, match="set DUCHA_FIELD_KEYS"), transaction.atomic():
        alice.save()
    alice.refresh_from_db()
    assert stored_phone(alice) == ""  # nothing written in the clear
    settings.DEBUG = True
    call_command("check")
    alice.phone = "13812345678"
    alice.save()
    assert stored_phone(alice).startswith("sm4v1:dev:")


def test_a_malformed_key_ring_is_named_by_the_check(settings):
    settings.DUCHA_FIELD_KEYS = "k1:c2hvcnQ="
    with pytest.raises(SystemCheckError, match=r"ducha\.E102.*'k1' must be 16 bytes"):
        call_command("check")
    settings.DUCHA_FIELD_KEYS = f"{NEW_KEY},{NEW_KEY}"
    with pytest.raises(SystemCheckError, match="names the key 'new' twice"):
        call_command("check")
