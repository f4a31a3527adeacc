"""`manage.py load_demo`: fast, prints the logins, and does nothing the second time."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import call_command
from django.utils import translation

from ducha.accounts.models import Membership, User
from ducha.demo.cast import PASSWORD
from ducha.demo.logins import LOGINS, login_rows
from ducha.orgs.models import Org, Site, Team
from ducha.problems.models import Problem, ProblemEvent

pytestmark = pytest.mark.django_db

DOCS = Path(settings.BASE_DIR) / "docs" / "demo.md"


def counts() -> list[int]:
    models = [Org, Site, Team, User, Membership, Problem, ProblemEvent]
    return [model.objects.count() for model in models]


def test_the_load_prints_every_login_with_the_password(demo):
    # How long the load takes is measured by `python -m bench.demo`, not asserted here.
    for username in LOGINS:
        assert re.search(rf"^  {re.escape(username)} ", demo.output, re.MULTILINE), username
    assert PASSWORD in demo.output


def test_a_second_run_changes_nothing_and_says_so(demo):
    before = counts()
    out = io.StringIO()
    with translation.override("en"):
        call_command("load_demo", stdout=out)
    assert counts() == before
    assert "already loaded" in out.getvalue()


def test_docs_carry_the_same_login_table(demo):
    with translation.override("en"):
        rows = login_rows()
    text = DOCS.read_text(encoding="utf-8")
    documented = re.findall(r"^\| `([\w.]+)` \| ([^|]+) \| ([^|]+) \|", text, re.MULTILINE)
    assert [(u, role.strip(), org.strip()) for u, role, org in documented] == rows
    assert PASSWORD in text
