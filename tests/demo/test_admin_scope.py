"""The admin walk on the demo, as the district administrator the attack used: chengdu.admin
(with the other tests on the demo, which stays loaded for the whole package)."""

from __future__ import annotations

import pytest

from ducha.accounts.models import User
from ducha.demo.cast import PASSWORD as DEMO_PASSWORD
from tests.admin.test_admin_scope import _root_of, _signed_in, _with_every_permission
from tests.admin.walk import walk

pytestmark = pytest.mark.django_db


def test_the_demo_district_administrator_reaches_nothing_foreign(demo):
    user = User.objects.get(username="chengdu.admin")
    _with_every_permission(user)
    faults = walk(_signed_in(user.username, DEMO_PASSWORD), _root_of(user))
    assert not faults, "\n".join(faults)
