"""Parity of the API tokens: issuing and revoking from the tokens page and over the API."""

from __future__ import annotations

from typing import Any

import pytest

from ducha.accounts.actions import do_issue_token, do_revoke_token
from tests.parity.harness import Case, check_refusal, check_success, delete, post, run
from tests.world import World

pytestmark = pytest.mark.django_db


def issuing(name: str, value: str, field: str | None = None, **more: Any) -> Case:
    return Case(
        name,
        "county_office",
        lambda world: None,
        lambda world, _: post("/accounts/tokens/", {"name": value, **more}),
        lambda world, _: post("/tokens", {"name": value, **more}),
        field=field,
        good=field is None,
    )


def _own(world: World) -> Any:
    token, _raw = do_issue_token(acting_user=world.users["county_office"], name="脚本")
    return token


def _theirs(world: World) -> Any:
    token, _raw = do_issue_token(acting_user=world.users["city_office"], name="他人的脚本")
    return token


def revoking(name: str, setup: Any, **options: Any) -> Case:
    return Case(
        name,
        "county_office",
        setup,
        lambda world, token: post(f"/accounts/tokens/{token.pk}/revoke/"),
        lambda world, token: delete(f"/tokens/{token.pk}"),
        **options,
    )


CASES = [
    issuing("issue a token", "每日导出脚本"),
    issuing("a name of blanks", "   ", "name"),
    issuing("a name too long", "名" * 101, "name"),
    issuing("a name on two lines", "导出\n脚本", "name"),
    issuing("a read token for a week", "只读脚本", lifetime_days=7, scope="read"),
    issuing("the longest lifetime", "脚本", lifetime_days=90),
    issuing("a lifetime over the maximum", "脚本", "lifetime_days", lifetime_days=91),
    issuing("a lifetime of zero days", "脚本", "lifetime_days", lifetime_days=0),
    issuing("a negative lifetime", "脚本", "lifetime_days", lifetime_days=-5),
    issuing("a lifetime that is no number", "脚本", "lifetime_days", lifetime_days="很久"),
    issuing("a huge lifetime", "脚本", "lifetime_days", lifetime_days=10**30),
    issuing("a scope that does not exist", "脚本", "scope", scope="admin"),
    revoking("revoke one's own token", _own, good=True),
    revoking("revoke somebody else's token", _theirs, status=404),
]


@pytest.mark.parametrize("case", [c for c in CASES if c.good], ids=str)
def test_the_same_good_input_gives_the_same_events(world, case):
    check_success(case, *run(world, case))


@pytest.mark.parametrize("case", [c for c in CASES if not c.good], ids=str)
def test_the_same_bad_input_is_refused_alike(world, case):
    check_refusal(case, *run(world, case))


def test_revoking_twice_changes_nothing_on_either_side(world):
    token = _own(world)
    case = revoking("revoke a revoked token", lambda world: token)
    do_revoke_token(token, acting_user=world.users["county_office"])
    page, api = run(world, case)
    assert (page.status, api.status) == (302, 204)
    assert page.rows == api.rows == []
