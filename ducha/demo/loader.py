"""Loading the demo: five scenes built in one transaction, then their history replayed.

The load is all or nothing, and a database that already holds the demo is left alone.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db import IntegrityError, transaction
from django.utils import timezone

from ducha.accounts.models import User
from ducha.demo import (
    accountability,
    cadres,
    chengdu,
    chengdu_bulk,
    chengdu_stories,
    daily_cycle,
    documents,
    fieldwork,
    handed_down,
    hebei,
    hebei_stories,
    huian,
    huian_stories,
    luohe,
    referrals,
    reportforms,
    resumption,
    suggestions,
    sweeps,
    tianjin,
)
from ducha.demo.cast import Cast
from ducha.demo.clock import replay_clock
from ducha.demo.logins import LOGINS
from ducha.demo.story import Story, replay
from ducha.orgs.choices import OrgKind
from ducha.orgs.models import Org
from ducha.problems.rollups.writes import deferred

# The zone's line in the problem list: 252 of 267 rectified, 94.38%.
CHENGDU_FOUND = 267
CHENGDU_RECTIFIED = 252


class DemoConflict(Exception):
    """The database already holds some of the demo's regions or accounts, but not the demo."""


@dataclass
class Loaded:
    problems: dict[str, int]
    accounts: int
    admin_kept: bool


def is_loaded() -> bool:
    return Org.objects.filter(kind=OrgKind.REGION, code=chengdu.ZONE_CODE).exists()


def region_codes() -> list[str]:
    codes = ["130000", "510000", "510100", chengdu.ZONE_CODE, "350000", "350500", "350521"]
    codes += [code for _, _, code, _ in hebei.CITIES]
    codes += [code for _, _, code, _, _ in hebei.COUNTIES]
    codes += list(tianjin.CODES)
    codes += list(luohe.CODES)
    return codes


def conflicts() -> list[str]:
    taken = list(Org.objects.filter(code__in=region_codes()).values_list("name", flat=True))
    names = [name for name in LOGINS if name != "admin"]
    taken += User.objects.filter(username__in=names).values_list("username", flat=True)
    return taken


def chengdu_story_list() -> list[Story]:
    featured = chengdu_stories.stories()
    still_open = [story for story in featured if not story.is_closed]
    if len(still_open) != CHENGDU_FOUND - CHENGDU_RECTIFIED:
        raise ValueError("every open problem in the zone is one of the hand-written stories")
    # The problems the zone's sweep brings are found by the communities, not told as stories.
    return featured + chengdu_bulk.stories(CHENGDU_FOUND - len(featured) - sweeps.zone_found())


def load(now: datetime | None = None) -> Loaded:
    taken = conflicts()
    if taken:
        raise DemoConflict(", ".join(taken))
    now = now or timezone.now()
    # Keyed by the scenes' place names, which are data and read the same in every language.
    scenes = {
        "河北省": hebei_stories.stories(),
        "成都高新区": chengdu_story_list(),
        "惠安县": huian_stories.stories(),
    }
    try:
        cast = _load(scenes, now)
    except IntegrityError as error:
        # An account or code the demo creates along the way exists already.
        raise DemoConflict(str(error)) from error
    problems = {name: len(stories) for name, stories in scenes.items()}
    problems["成都高新区"] += sweeps.zone_found()
    problems["惠安县"] += len(sweeps.found(sweeps.HUIAN))
    return Loaded(
        problems=problems,
        accounts=len(cast.users),
        admin_kept=cast.admin_kept,
    )


@transaction.atomic
def _load(scenes: dict[str, list[Story]], now: datetime) -> Cast:
    cast = Cast()
    for scene in (
        hebei,
        chengdu,
        huian,
        tianjin,
        luohe,
        fieldwork,
        handed_down,
        referrals,
        cadres,
        accountability,
        reportforms,
        sweeps,
    ):
        scene.build(cast)
    cast.admin_kept = User.objects.filter(username="admin").exists()
    if not cast.admin_kept:
        cast.person("admin", "系统管理员", superuser=True)
    for scene in (hebei, chengdu, huian, tianjin, luohe):
        scene.build_teams(cast)
    # The 复工复产 ledgers, tens of thousands of rows in a few batches; their stories, through
    # the actions, are replayed with the others.
    resumption.build(cast, now)
    # Thousands of problems change in this one transaction: their rollup changes are summed
    # and each row written once at the end (nothing in the load reads the rollups).
    with deferred():
        with replay_clock() as clock, fieldwork.field_clock(clock):
            for stories in scenes.values():
                replay(cast, stories, clock, now)
            # Before the daily cycle and the documents, whose figures count what sweeps found.
            sweeps.replay(cast, clock, now)
            fieldwork.replay(cast, clock, now)
            daily_cycle.replay(cast, clock, now)
            documents.replay(cast, clock, now)
            referrals.replay(cast, clock, now)
            accountability.replay(cast, clock, now)
            suggestions.replay(cast, clock, now)
            reportforms.replay(cast, clock, now)
            # Luohe's HQ answers a kind of common problem with one policy measure.
            luohe.replay(cast, clock, now)
        # Matters are handed down, signed and reported at the time of the load.
        handed_down.replay(cast)
        # Cadres seen by the stationed team in Tangshan, and the department's lists.
        cadres.replay(cast)
    return cast
