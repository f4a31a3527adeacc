"""An administrator revokes a token of their jurisdiction through the owner's own action."""

import pytest
from django.contrib.auth.models import Permission
from django.test import Client

from ducha.accounts.actions import do_issue_token
from ducha.accounts.models import ApiToken, TokenEvent
from tests.world import PASSWORD

pytestmark = pytest.mark.django_db


def _admin(world) -> Client:
    user = world.users["county_admin"]
    user.is_staff = True
    user.save(update_fields=["is_staff"])
    user.user_permissions.set(Permission.objects.filter(content_type__app_label="accounts"))
    client = Client()
    assert client.login(username=user.username, password=PASSWORD)
    return client


def _revoke(client: Client, *tokens: ApiToken):
    return client.post(
        "/admin/accounts/apitoken/",
        {"action": "revoke", "_selected_action": [token.pk for token in tokens]},
    )


def test_the_admin_revokes_and_the_revocation_is_recorded(world):
    token, raw = do_issue_token(acting_user=world.users["county_handler"], name="经办人脚本")
    assert _revoke(_admin(world), token).status_code == 302
    assert ApiToken.authenticate(raw) is None
    event = TokenEvent.objects.get(action="revoke")
    assert (event.token, event.actor) == (token, world.users["county_admin"])
    # Revoking again changes nothing and records nothing.
    _revoke(_admin(world), token)
    assert TokenEvent.objects.filter(action="revoke").count() == 1


def test_a_token_of_another_jurisdiction_is_not_revoked(world):
    token, raw = do_issue_token(acting_user=world.users["sibling_handler"], name="邻区脚本")
    _revoke(_admin(world), token)
    assert ApiToken.authenticate(raw) == world.users["sibling_handler"]
    assert not TokenEvent.objects.filter(action="revoke").exists()


def test_the_change_form_cannot_set_the_revocation_time(world):
    token, raw = do_issue_token(acting_user=world.users["county_handler"], name="经办人脚本")
    _admin(world).post(
        f"/admin/accounts/apitoken/{token.pk}/change/", {"revoked_at_0": "2026-01-01"}
    )
    assert ApiToken.authenticate(raw) == world.users["county_handler"]
