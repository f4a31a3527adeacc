"""Parity of policies (政策措施): adopting one for a kind of common problem and linking more
problems to it, refused (or taken) alike by the pages and the API, on the same field."""

from __future__ import annotations

from datetime import timedelta
from typing import Any

import pytest
from django.utils import timezone

from ducha.policies.choices import MAX_PROBLEMS
from ducha.problems import actions as loop
from ducha.problems.models import Problem
from tests.parity.harness import TOP, Call, Case, check_refusal, check_success, post, run
from tests.policies.conftest import adopted, common, kind_of_three, other_kind
from tests.policies.files import HTML, PDF, upload, with_macros
from tests.world import World

pytestmark = pytest.mark.django_db

HQ = "city_command"


def _individual(world: World) -> Problem:
    """An individual problem the county reported up to the HQ: seen there, not common."""
    problem = world.problem(title="卡口个别问题")
    return loop.do_report_up(
        problem,
        acting_user=world.users["county_office"],
        to_org=world.orgs["city_command"],
        comment="请指挥部研究",
    )


def _ruled(world: World) -> Problem:
    problem = common(world, "卡口登记表格缺项", hours=5)
    return loop.do_institutionalize(
        problem, acting_user=world.users["county_office"], rule="卡口登记纳入日常考核"
    )


def _ids(problems: list[Problem]) -> list[int]:
    return [problem.pk for problem in problems]


# What each adopting case chooses, besides the kind's three problems, or instead of them.
Choice = Any


def kind_plus(extra: Any) -> Choice:
    return lambda world, problems: _ids(problems) + _ids(extra(world))


def adopt_setup(world: World) -> list[Problem]:
    return kind_of_three(world)


def _adopt_data(world: World, problems: list[Problem], change: dict[str, Any]) -> dict[str, Any]:
    data: dict[str, Any] = {
        "title": "关于规范卡口车辆登记的通知",
        "text": "各卡口实行进出车辆逐车登记，每日汇总报指挥部。",
        "issuing_body": world.orgs["city_command"].pk,
        "issued_on": timezone.localdate().isoformat(),
        "reference": "承防指〔2020〕12号",
        "problems": _ids(problems),
    }
    for name, value in change.items():
        data[name] = value(world, problems) if callable(value) else value
    return data


def adopt(name: str, change: dict[str, Any] | None = None, **options: Any) -> Case:
    change = change or {}

    def page(world: World, problems: list[Problem]) -> Call:
        url = f"/policies/kinds/{problems[0].focus_area_id}/"
        data = _adopt_data(world, problems, change)
        # A form sends an empty field where JSON sends null.
        return post(url, {name: "" if value is None else value for name, value in data.items()})

    def api(world: World, problems: list[Problem]) -> Call:
        return post("/policies", _adopt_data(world, problems, change))

    return Case(name, options.pop("persona", HQ), adopt_setup, page, api, **options)


def link_setup(world: World) -> tuple[Any, list[Problem]]:
    problems = kind_of_three(world)
    return adopted(world, problems[:1]), problems


def link(name: str, choose: Any, **options: Any) -> Case:
    def body(world: World, context: tuple[Any, list[Problem]]) -> dict[str, Any]:
        return {"problems": choose(world, context[1])}

    def page(world: World, context: tuple[Any, list[Problem]]) -> Call:
        return post(f"/policies/{context[0].pk}/link/", body(world, context))

    def api(world: World, context: tuple[Any, list[Problem]]) -> Call:
        return post(f"/policies/{context[0].pk}/actions/link", body(world, context))

    return Case(name, options.pop("persona", HQ), link_setup, page, api, **options)


def attach_setup(world: World) -> Any:
    return adopted(world, kind_of_three(world)[:1])


def attach(name: str, data: bytes | None, file_name: str = "通知.pdf", **options: Any) -> Case:
    """The issued document sent to a policy: as a form's file field and as a multipart part."""

    def sender(path: str) -> Any:
        def build(_world: World, policy: Any) -> Call:
            files = {} if data is None else {"document": [upload(data, file_name)]}
            return post(path.format(pk=policy.pk), **files)

        return build

    page, api = sender("/policies/{pk}/attach/"), sender("/policies/{pk}/actions/attach")
    return Case(name, options.pop("persona", HQ), attach_setup, page, api, **options)


def day(offset: int) -> Any:
    # Computed when the test runs, not when it is collected (a run may cross midnight).
    return lambda _w, _p: (timezone.localdate() + timedelta(days=offset)).isoformat()


def _outside(world: World) -> list[Problem]:
    return [common(world, "四川卡口问题", by="other_office", region="other_province")]


def _other_kind(world: World) -> list[Problem]:
    return [common(world, "核酸采样点排队拥挤", focus_area=other_kind(world))]


CASES = [
    adopt("adopt", good=True),
    adopt("adopt with no problem", {"problems": []}, field="problems"),
    adopt(
        "adopt too many problems",
        {"problems": list(range(1, MAX_PROBLEMS + 2))},
        field="problems",
    ),
    adopt(
        "adopt for a problem not common",
        {"problems": kind_plus(lambda w: [_individual(w)])},
        field="problems",
    ),
    adopt("adopt for a problem out of scope", {"problems": kind_plus(_outside)}, field="problems"),
    adopt("adopt for a missing problem", {"problems": [987654]}, field="problems"),
    adopt("adopt for two kinds", {"problems": kind_plus(_other_kind)}, field="problems"),
    adopt(
        "adopt for a problem already ruled",
        {"problems": kind_plus(lambda w: [_ruled(w)])},
        field="problems",
    ),
    adopt("adopt with an empty title", {"title": "  "}, field="title"),
    adopt("adopt with an empty text", {"text": ""}, field="text"),
    adopt("adopt with no date", {"issued_on": None}, field="issued_on"),
    adopt("adopt with a date of another century", {"issued_on": "1999-12-31"}, field="issued_on"),
    adopt("adopt with a date in the future", {"issued_on": day(1)}, field="issued_on"),
    adopt(
        "adopt issued by a body outside the HQ's jurisdiction",
        {"issuing_body": lambda w, _p: w.orgs["other_office"].pk},
        field="issuing_body",
    ),
    adopt("adopt as the office", persona="city_office", field=None, status=403, page_field=TOP),
    link("link", lambda w, ps: _ids(ps[1:]), good=True),
    link("link no problem", lambda w, ps: [], field="problems"),
    link("link a problem already answered", lambda w, ps: _ids(ps[:1]), field="problems"),
    link("link a problem not common", lambda w, ps: [_individual(w).pk], field="problems"),
    link("link a problem out of scope", lambda w, ps: _ids(_outside(w)), field="problems"),
    link("link a problem of another kind", lambda w, ps: _ids(_other_kind(w)), field="problems"),
    link("link a problem already ruled", lambda w, ps: [_ruled(w).pk], field="problems"),
    attach("attach the document", PDF, good=True),
    attach("attach no document", None, field="document"),
    attach("attach a web page named .pdf", HTML, field="document"),
    attach("attach a Word file with macros", with_macros(), "通知.docx", field="document"),
    attach("attach an empty file", b"", field="document"),
    attach("attach as the office", PDF, persona="city_office", status=403, page_field=TOP),
]


@pytest.mark.parametrize("case", [c for c in CASES if c.good], ids=str)
def test_the_same_good_input_gives_the_same_events(world, media, case):
    check_success(case, *run(world, case))


@pytest.mark.parametrize("case", [c for c in CASES if not c.good], ids=str)
def test_the_same_bad_input_is_refused_alike(world, media, case):
    check_refusal(case, *run(world, case))
