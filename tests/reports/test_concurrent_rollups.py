"""Actions on different problems at the same moment share rollup rows and stay true."""

from __future__ import annotations

import threading

import pytest
from django.db import connections

from ducha.problems import actions
from ducha.problems.rollups.rebuild import expected_from_problems
from ducha.problems.rollups.writes import differences, stored
from tests.world import build_world

pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def test_racing_actions_keep_the_shared_rows_true():
    world = build_world()
    office, handler = world.users["county_office"], world.users["county_handler"]
    problems = [world.problem(title=f"并发问题{n}") for n in range(6)]
    barrier = threading.Barrier(len(problems))
    errors: list[BaseException] = []

    def loop(problem) -> None:
        try:
            barrier.wait()
            problem = actions.do_assign(
                problem, acting_user=office, responsible_org=world.orgs["county_dept"]
            )
            problem = actions.do_submit_rectification(problem, acting_user=handler, text="已整改")
            actions.do_verify(problem, acting_user=office, accept=True)
            world.problem(title=f"{problem.title}（新发现）")
        except BaseException as error:  # reported by the assertion below
            errors.append(error)
        finally:
            connections.close_all()

    threads = [threading.Thread(target=loop, args=(problem,)) for problem in problems]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert differences(expected_from_problems(), stored()) == []
