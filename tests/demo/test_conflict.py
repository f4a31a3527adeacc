"""A database holding part of the demo's regions refuses the load and is left untouched."""

from __future__ import annotations

import pytest
from django.core.management import CommandError, call_command

from ducha.problems.models import Problem

pytestmark = pytest.mark.django_db


def test_load_refuses_a_database_that_holds_some_of_its_regions(world):
    before = Problem.objects.count()
    with pytest.raises(CommandError, match="河北省"):
        call_command("load_demo")
    assert Problem.objects.count() == before
    assert not world.orgs["province"].children.filter(name="石家庄市").exists()
