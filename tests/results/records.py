"""Accountability records and commendations written straight to the database, each with the
event row its action would write: the figures read records, whoever made them."""

from __future__ import annotations

from datetime import date

from ducha.accountability.models import (
    Accountability,
    AccountabilityKind,
    Commendation,
    RecordEvent,
)
from tests.world import World

# Names that must never reach a reader of the figures (looked for in pages and JSON).
SECRET_NAMES = ("张保密", "李隐名", "王不显")


def accountability(
    world: World,
    code: str,
    *,
    count: int = 1,
    region: str = "county",
    state: str = "decided",
    decided_on: date | None = None,
    subject: str = "person",
    unit: str = "county_dept",
    kind: AccountabilityKind | None = None,
) -> list[Accountability]:
    kind = kind or AccountabilityKind.objects.get(code=code)
    made = []
    for number in range(count):
        record = Accountability(
            kind=kind,
            subject_kind=subject,
            person_name=SECRET_NAMES[number % len(SECRET_NAMES)] if subject == "person" else "",
            person_post="副局长" if subject == "person" else "",
            org=world.orgs[unit],
            region=world.orgs[region],
            keeper=world.orgs["county_discipline"],
            reason="工作不力，整改迟缓。",
            state=state,
            proposed_by=world.users["county_discipline"],
            decided_by=world.users["county_discipline"] if state != "proposed" else None,
            decided_on=decided_on if state != "proposed" else None,
        )
        record.copy_levels_from(world.orgs[region])
        record.save()
        RecordEvent.objects.create(
            accountability=record,
            actor=world.users["county_discipline"],
            action="decide" if state != "proposed" else "propose",
            from_state="proposed" if state != "proposed" else "",
            to_state=state,
        )
        made.append(record)
    return made


def commendation(
    world: World,
    kind: str,
    *,
    count: int = 1,
    region: str = "county",
    state: str = "decided",
    decided_on: date | None = None,
    subject: str = "unit",
    unit: str = "county_dept",
) -> list[Commendation]:
    made = []
    for number in range(count):
        record = Commendation(
            kind=kind,
            subject_kind=subject,
            person_name=SECRET_NAMES[number % len(SECRET_NAMES)] if subject == "person" else "",
            org=world.orgs[unit],
            region=world.orgs[region],
            keeper=world.orgs["county_office"],
            reason="整改迅速，成效明显。",
            state=state,
            proposed_by=world.users["county_office"],
            decided_by=world.users["county_leader"] if state != "proposed" else None,
            decided_on=decided_on if state != "proposed" else None,
        )
        record.copy_levels_from(world.orgs[region])
        record.save()
        RecordEvent.objects.create(
            commendation=record,
            actor=world.users["county_leader"],
            action="decide" if state != "proposed" else "propose",
            from_state="proposed" if state != "proposed" else "",
            to_state=state,
        )
        made.append(record)
    return made


def chengdu(world: World, day: date, region: str = "county") -> None:
    """快查快结: 6 criticised by bulletin, 1 ordered to a self-examination, 1 suspended,
    2 cases filed (written out of kind order, to show the sentence sorts them)."""
    accountability(world, "case_filed", count=2, region=region, decided_on=day)
    accountability(world, "public_criticism", count=6, region=region, decided_on=day)
    accountability(world, "suspension", region=region, decided_on=day, state="carried_out")
    accountability(world, "ordered_self_examination", region=region, decided_on=day)
