"""A seeded random walk through every legal action, to test the numbers against."""

from __future__ import annotations

import random
from datetime import timedelta

from django.utils import timezone

from ducha.problems import actions, extensions, receipt
from ducha.problems.choices import ACTION_ROLES, ALLOWED_FROM, Action, DisputeDecision
from ducha.problems.models import FocusArea, Problem
from tests.world import World


def legal(problem: Problem) -> list[str]:
    # Actions nobody takes by hand (the ladder's) are not the walk's to take.
    return [
        action
        for action, states in ALLOWED_FROM.items()
        if problem.state in states and ACTION_ROLES[action]
    ]


def take(world, problem: Problem, action: str, rng: random.Random) -> None:
    office = world.users["county_office"]
    units = [world.orgs["county_dept"], world.orgs["county_market_dept"]]
    if problem.region_id == world.orgs["sibling"].pk:
        # A problem of the neighbouring county goes to a unit of its own (交's rule).
        office = world.users["sibling_office"]
        units = [world.orgs["sibling_dept"], world.orgs["sibling"]]
    later = timezone.now() + timedelta(hours=rng.randint(1, 200))
    calls = {
        Action.ASSIGN: lambda: actions.do_assign(
            problem,
            acting_user=office,
            responsible_org=rng.choice(units),
            deadline=rng.choice([None, later]),
        ),
        Action.REPORT_UP: lambda: actions.do_report_up(
            problem, acting_user=office, to_org=world.orgs["city_office"], comment="呈报"
        ),
        Action.INSTRUCT: lambda: actions.do_instruct(
            problem, acting_user=world.users["county_leader"], text="批示"
        ),
        Action.URGE: lambda: actions.do_urge(problem, acting_user=office),
        Action.SUBMIT_RECTIFICATION: lambda: actions.do_submit_rectification(
            problem, acting_user=office, text="整改"
        ),
        Action.VERIFY_ACCEPT: lambda: actions.do_verify(problem, acting_user=office, accept=True),
        Action.VERIFY_REJECT: lambda: actions.do_verify(
            problem, acting_user=office, accept=False, comment="不到位"
        ),
        # The walk has just read the problem, so it may replace a rule already recorded.
        Action.INSTITUTIONALIZE: lambda: actions.do_institutionalize(
            problem, acting_user=office, rule="建章立制", expected_version=problem.version
        ),
        Action.CLOSE_ON_SPOT: lambda: actions.do_close_on_spot(
            problem, acting_user=office, evidence="当场整改"
        ),
        Action.DISPUTE: lambda: actions.do_dispute(problem, acting_user=office, reason="退回"),
        Action.DECIDE_DISPUTE: lambda: actions.do_decide_dispute(
            problem,
            acting_user=office,
            decision=DisputeDecision.REASSIGN
            if problem.responsible_org_id == units[0].pk
            else DisputeDecision.UPHOLD,
            comment="裁定",
            responsible_org=units[1],
            deadline=rng.choice([None, later]),
        ),
        Action.REOPEN: lambda: actions.do_reopen(
            problem, acting_user=office, reason="反弹", deadline=rng.choice([None, later])
        ),
        Action.SIGN: lambda: receipt.do_sign(problem, acting_user=office),
        Action.REQUEST_EXTENSION: lambda: extensions.do_request_extension(
            problem,
            acting_user=office,
            deadline=max(problem.deadline, timezone.now()) + timedelta(hours=rng.randint(1, 99)),
            reason="延期",
        ),
        Action.DECIDE_EXTENSION: lambda: extensions.do_decide_extension(
            problem, acting_user=office, approve=rng.random() < 0.7, comment="审批"
        ),
    }
    try:
        calls[action]()
    except actions.TransitionRefused:
        # A common one without its rule cannot close; signing is once per assignment; one
        # extension request waits at a time, and a decision needs one.
        assert action in (
            Action.VERIFY_ACCEPT,
            Action.CLOSE_ON_SPOT,
            Action.SIGN,
            Action.REQUEST_EXTENSION,
            Action.DECIDE_EXTENSION,
        )
    except actions.InvalidInput:
        # The deadline moved past the date asked for (a dispute decided in between).
        assert action == Action.DECIDE_EXTENSION


def random_walk(world: World, seed: int, problems: int = 12, steps: int = 80) -> list[Problem]:
    """Problems over the world's regions, then `steps` random legal actions on them."""
    rng = random.Random(seed)
    areas = list(FocusArea.objects.filter(active=True))
    sites = [world.sites["checkpoint"], None]
    regions = ["county", "town", "sibling", "city"]
    made = []
    for number in range(problems):
        region = rng.choice(regions)
        site = rng.choice(sites) if region in ("county", "town") else None
        if region == "sibling":
            site = rng.choice([world.sites["sibling_market"], None])
        made.append(
            world.problem(
                by="city_office",
                region=region,
                site=site,
                focus_area=rng.choice(areas),
                found_at=timezone.now() - timedelta(hours=rng.randint(1, 400)),
                urgency=rng.choice(["normal", "urgent"]),
                nature=rng.choice(["individual", "individual", "common"]),
                title=f"问题{number}",
                team=rng.choice([None, world.teams["county_team"]]),
            )
        )
    for _ in range(steps):
        problem = Problem.objects.get(pk=rng.choice(made).pk)
        take(world, problem, rng.choice(legal(problem)), rng)
    return made
