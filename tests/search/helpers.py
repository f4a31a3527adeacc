"""Searching as a persona, through the API and the page."""

from __future__ import annotations

from typing import Any

from ducha.fieldwork import actions as field_actions
from ducha.fieldwork.models import Inspection
from tests.fieldwork.domain.factory import inspect, item
from tests.world import World


def found(api: Any, q: str, kind: str = "", **params: Any) -> dict[str, Any]:
    """The sections of a search by kind: {"problems": {"count": …, "ids": […]}, …}."""
    query = {"q": q, **({"kind": kind} if kind else {}), **params}
    response = api.get("/search", query)
    assert response.status_code == 200, response.content
    return {
        section["kind"]: {
            "count": section["count"],
            "ids": [item["id"] for item in section["items"]],
            "items": section["items"],
        }
        for section in response.json()["sections"]
    }


def problem_ids(api: Any, q: str) -> list[int]:
    return found(api, q, "problems")["problems"]["ids"]


def visit(world: World, note: str, *, notes: str = "", **kwargs: Any) -> Inspection:
    """A recorded visit whose one passed answer carries `note`."""
    office = kwargs.pop("office", "county_office")
    question = item(world, kwargs.pop("question", "卡口是否逐车登记"), office)
    answer = field_actions.AnswerInput(item=question, result="pass", note=note)
    return inspect(world, [answer], notes=notes, **kwargs)
