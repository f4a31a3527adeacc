"""A database holding part of the demo refuses the load and is left untouched."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from ducha.accounts.models import User
from ducha.orgs.models import Org
from ducha.problems.models import Problem

pytestmark = pytest.mark.django_db


def test_load_refuses_a_database_that_holds_some_of_its_regions(world):
    before = Problem.objects.count()
    with pytest.raises(CommandError, match="河北省"):
        call_command("load_demo")
    assert Problem.objects.count() == before
    assert not world.orgs["province"].children.filter(name="石家庄市").exists()


def test_load_refuses_an_account_it_would_create_along_the_way():
    # A department's handler, created on first use once the zone and Hebei's accounts are
    # written, and not among the logins checked before the load starts: the conflict is met
    # mid-load, early enough that the test does not wait for the rest of it.
    User.objects.create_user("chengdu.bio", password="x")
    with pytest.raises(CommandError, match=r"(?i)unique"):
        call_command("load_demo")
    assert not Org.objects.filter(code__in=["130000", "510109"]).exists()
    assert list(User.objects.values_list("username", flat=True)) == ["chengdu.bio"]
    assert not Problem.objects.exists()
